"""Selections kept in the URL, so every view can be bookmarked and shared.

Each selector is a widget whose key is also its query parameter name (``unit``,
``indicator``, ``year``, ``campaign``, ``lang``...). The value shown is, in order:
the widget's own value while it stays valid; the query parameter; the last value
chosen on another page in this session; the default. An unknown value in the URL
gives a warning and the default. After the widget, the choice is written back to
the URL.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import streamlit as st

from dashboard.i18n import DEFAULT_LANG, LANGS, normalize_lang, t

T = TypeVar("T")
_KEPT = "_kept_"  # session keys remembering a choice across pages
LIST_SEPARATOR = ","


def current_lang() -> str:
    """The language chosen in the sidebar, else the ``lang`` query parameter, else ``vi``."""
    chosen = st.session_state.get("lang")
    if chosen in LANGS:
        return str(chosen)
    return normalize_lang(st.query_params.get("lang", DEFAULT_LANG))


PRESENT = "present"  # the query parameter of presentation mode: ``present=1``


def presenting() -> bool:
    """Whether the page is shown in presentation mode (large type, no sidebar)."""
    return st.query_params.get(PRESENT) == "1"


def peek(name: str) -> str | None:
    """The value of ``name`` in the URL or, failing that, chosen earlier in this session."""
    return _requested(name)[0]


def _requested(name: str) -> tuple[str | None, bool]:
    """The raw wanted value and whether it came from the URL."""
    if name in st.query_params:
        return st.query_params[name], True
    kept = st.session_state.get(_KEPT + name)
    return (str(kept) if kept is not None else None), False


def _remember(name: str, text: str) -> None:
    st.query_params[name] = text
    st.session_state[_KEPT + name] = text


def _warn_unknown(name: str, value: str, lang: str) -> None:
    """Warn about a value typed or shared in the link; a value this session wrote itself
    (valid on another page) is replaced silently."""
    if _KEPT + name not in st.session_state:
        st.warning(t("unknown_param", lang, name=name, value=value))


def choose(
    name: str,
    options: Sequence[T],
    *,
    label: str,
    lang: str,
    default: T | None = None,
    format_func: Callable[[Any], str] = str,
    widget: Callable[..., Any] | None = None,
    **widget_args: Any,
) -> T | None:
    """One value out of ``options`` with a selectbox (or ``widget``) keyed ``name``.

    Returns None, drawing nothing, when there are no options.
    """
    options = list(options)
    if not options:
        return None
    current = st.session_state.get(name)
    if current is None or current not in options:
        by_text = {str(option): option for option in options}
        wanted, from_url = _requested(name)
        if wanted is not None and wanted in by_text:
            current = by_text[wanted]
        else:
            if wanted is not None and from_url:
                _warn_unknown(name, wanted, lang)
            current = default if default in options else options[0]
    # Always set: another page's widget with this key may have left its value behind,
    # which a new widget would otherwise ignore.
    st.session_state[name] = current
    chosen = (widget or st.selectbox)(
        label, options, key=name, format_func=format_func, **widget_args
    )
    _remember(name, str(chosen))
    return chosen


def choose_many(
    name: str,
    options: Sequence[T],
    *,
    label: str,
    lang: str,
    default: Sequence[T] = (),
    format_func: Callable[[Any], str] = str,
    **widget_args: Any,
) -> list[T]:
    """Several values with a multiselect keyed ``name``; comma-separated in the URL."""
    options = list(options)
    current = st.session_state.get(name)
    if not isinstance(current, list) or any(value not in options for value in current):
        by_text = {str(option): option for option in options}
        wanted, from_url = _requested(name)
        if wanted is not None:
            parts = [part for part in wanted.split(LIST_SEPARATOR) if part]
            unknown = [part for part in parts if part not in by_text]
            if unknown and from_url:
                _warn_unknown(name, LIST_SEPARATOR.join(unknown), lang)
            current = [by_text[part] for part in parts if part in by_text]
        else:
            current = [value for value in default if value in options]
    st.session_state[name] = current
    chosen = st.multiselect(label, options, key=name, format_func=format_func, **widget_args)
    _remember(name, LIST_SEPARATOR.join(str(value) for value in chosen))
    return list(chosen)


def choose_year_range(
    name: str,
    first: int,
    last: int,
    *,
    label: str,
    lang: str,
    default: tuple[int, int] | None = None,
) -> tuple[int, int]:
    """A (from, to) year range with a slider keyed ``name``; ``2010-2016`` in the URL."""
    if first >= last:
        _remember(name, f"{first}-{first}")
        return first, first
    current = st.session_state.get(name)
    if not _valid_range(current, first, last):
        wanted, from_url = _requested(name)
        parsed = _parse_range(wanted)
        current = (first, last)
        if parsed is not None and _valid_range(parsed, first, last):
            current = parsed
        else:
            if wanted is not None and from_url:
                _warn_unknown(name, wanted, lang)
            if default is not None and _valid_range(default, first, last):
                current = default
    st.session_state[name] = current
    chosen: Any = st.slider(label, min_value=first, max_value=last, key=name, step=1)
    low, high = chosen
    _remember(name, f"{low}-{high}")
    return int(low), int(high)


def _parse_range(text: str | None) -> tuple[int, int] | None:
    if not text:
        return None
    low, _, high = text.partition("-")
    try:
        return int(low), int(high or low)
    except ValueError:
        return None


def _valid_range(value: Any, first: int, last: int) -> bool:
    return (
        isinstance(value, tuple)
        and len(value) == 2
        and all(isinstance(v, int) for v in value)
        and first <= value[0] <= value[1] <= last
    )
