"""Entry point: page navigation, the language switch and the warehouse path.

Run with ``streamlit run app.py``; the warehouse is ``data/warehouse.duckdb`` unless
the environment variable ``WAREHOUSE_DB`` names another file.
"""

from __future__ import annotations

import streamlit as st

import dashboard.pack  # noqa: F401  (registers the meeting pack's strings: its page title)
from dashboard import presentation, state, ui
from dashboard.i18n import LANGS, t

LANG_NAMES = {"vi": "Tiếng Việt", "en": "English"}

st.set_page_config(page_title="Chỉ tiêu xây dựng Đảng", layout="wide")

with st.sidebar:
    lang = (
        state.choose(
            "lang",
            LANGS,
            label="Ngôn ngữ / Language",
            lang=state.current_lang(),
            format_func=lambda code: LANG_NAMES[code],
            widget=st.radio,
            horizontal=True,
        )
        or "vi"
    )

pages = [
    st.Page("views/overview.py", title=t("page_overview", lang), default=True),
    st.Page("views/compare.py", title=t("page_compare", lang)),
    st.Page("views/completeness.py", title=t("page_completeness", lang), url_path="completeness"),
    st.Page("views/before_after.py", title=t("page_before_after", lang)),
    st.Page("views/explore.py", title=t("page_explore", lang)),
    st.Page("views/meeting_pack.py", title=t("page_meeting_pack", lang), url_path="meeting-pack"),
    st.Page("views/upload.py", title=t("page_upload", lang)),
]
page = st.navigation(pages, position="hidden" if state.presenting() else "sidebar")
st.set_page_config(page_title=f"{page.title} · {t('app_title', lang)}")
presentation.controls(lang)
with st.sidebar:
    link = st.empty()  # the link as the URL stands: kept if the page stops early (no data)
    with link.container():
        ui.copy_link(lang, page.url_path)
    st.caption(t("warehouse_at", lang, path=ui.db_path()))

page.run()
with link.container():  # again, now that the page has written its choices to the URL
    ui.copy_link(lang, page.url_path)
