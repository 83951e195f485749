"""Opening the real app in Streamlit's AppTest, as the page tests do."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")
TIMEOUT = 60  # seconds a run may take (a cold page on a loaded machine takes several)


def open_app(
    page: str | None = None, params: Mapping[str, str] | None = None, *, first_run: bool = False
) -> AppTest:
    """The app run once with these query parameters, on ``page`` (a ``views/`` file).

    ``first_run`` runs the default page before switching: needed for a page whose
    ``url_path`` differs from its file name.
    """
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for name, value in (params or {}).items():
        at.query_params[name] = value
    if first_run:
        at.run()
    if page is not None:
        at.switch_page(page)
    return at.run()
