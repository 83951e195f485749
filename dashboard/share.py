"""The link that reopens exactly the view on screen, for the "copy link" control."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode


def share_url(page_url: str | None, params: Mapping[str, str], page_path: str = "") -> str:
    """The page's address (``st.context.url``: scheme, host, port and the page's path)
    with the query parameters that describe the view, in their order.

    When the address is unknown (no browser, as in tests) the link is relative, the
    page's ``page_path`` and the query (``completeness?unit=92``): still enough to paste
    after the app's address.
    """
    query = urlencode(list(params.items()))
    if page_url:
        root = page_url.split("?", 1)[0]
        root = root if "/" in root.split("://", 1)[-1] else root + "/"
        return f"{root}?{query}" if query else root
    path = page_path.strip("/")
    return f"{path}?{query}" if query else path
