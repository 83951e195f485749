"""Presentation mode (``?present=1``): large type, no sidebar, one chart to a screen.

Meant for a projector at 1280×720: the sidebar and Streamlit's header are hidden, the
type is a third larger, :func:`dashboard.ui.show_chart` draws each chart 600 px high
with larger labels, and scrolling stops with the next chart at the top of the screen.
A button at the top leaves the mode; the link keeps it, so a shared link opens straight
into it.
"""

from __future__ import annotations

import streamlit as st

from dashboard import state
from dashboard.i18n import register, t

register(
    {
        "presentation_start": ("Trình chiếu", "Present"),
        "presentation_start_help": (
            "Chữ lớn, ẩn thanh bên, mỗi màn hình một biểu đồ: dùng khi chiếu lên màn hình "
            "phòng họp.",
            "Large type, no sidebar, one chart to a screen: for the meeting room's projector.",
        ),
        "presentation_exit": ("Thoát trình chiếu", "Leave presentation"),
    }
)

CSS = """
<style>
html { font-size: 21px; }
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"] {
    display: none !important;
}
[data-testid="stMainBlockContainer"] {
    max-width: 100% !important; padding: 0.5rem 1.5rem 2rem !important;
}
/* one chart to a screen: scrolling stops with the next chart at the top */
[data-testid="stMain"] { scroll-snap-type: y proximity; }
[data-testid="stPlotlyChart"] { scroll-snap-align: start; margin-bottom: 1.5rem; }
</style>
"""


def _start() -> None:
    st.query_params[state.PRESENT] = "1"


def _stop() -> None:
    del st.query_params[state.PRESENT]


def controls(lang: str) -> None:
    """In presentation mode its style and a button to leave it; otherwise a sidebar
    button to enter it."""
    if state.presenting():
        st.html(CSS)
        st.button(t("presentation_exit", lang), on_click=_stop, key="presentation_exit")
    else:
        st.sidebar.button(
            t("presentation_start", lang),
            on_click=_start,
            key="presentation_start",
            help=t("presentation_start_help", lang),
        )
