"""Tài liệu họp: the meeting pack of one unit and one year, as a PDF and an .xlsx."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard import queries, state, ui
from dashboard.i18n import t
from dashboard.pack import content, pdf, xlsx

lang = state.current_lang()
st.title(t("page_meeting_pack", lang))
st.markdown(t("pack_intro", lang))

with ui.warehouse(lang) as con:
    unit, year, names = ui.choose_unit_and_year(con, lang)

if year is None:
    st.info(t("pack_no_year", lang, unit=names[unit]))
    st.stop()

st.caption(t("pack_key_note", lang, year=year, n=content.MAX_KEY_INDICATORS))
browser = pdf.chromium_path()
has_browser = Path(browser).exists()
if has_browser:
    st.caption(t("pack_time_note", lang))
else:
    st.warning(t("pack_no_browser", lang, path=browser))


def _make(kind: str, unit: str = unit, year: int = year, lang: str = lang) -> bytes:
    """The file, built when its button is clicked (on Streamlit's worker thread)."""
    with queries.reader(ui.db_path()) as connection:
        made = content.build_content(connection, unit, year, lang)
    return pdf.to_pdf(made) if kind == "pdf" else xlsx.to_xlsx(made)


stem = content.file_stem(unit, year)
left, right, _ = st.columns([1, 1, 1])
left.download_button(
    t("pack_download_pdf", lang),
    data=lambda: _make("pdf"),
    file_name=f"{stem}.pdf",
    mime="application/pdf",
    key="pack_pdf",
    disabled=not has_browser,
    type="primary",
)
right.download_button(
    t("pack_download_xlsx", lang),
    data=lambda: _make("xlsx"),
    file_name=f"{stem}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="pack_xlsx",
)
