"""Tải lên: check a report file, preview what it holds, store it; list and roll back batches."""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard import queries, state, ui, upload
from dashboard.i18n import t, t_or
from etl.aliases import remember_unit_alias
from etl.annotate import annotate_bytes, annotated_file_name
from etl.batches import list_batches, rollback_batch
from etl.errors import EtlError
from etl.load import LoadOptions, LoadResult
from etl.templates import build_template, template_groups

FILE_TYPES = ["xlsx", "xlsm", "xls", "ods", "csv", "txt"]
CHECKED = "_upload_checked"  # (key, LoadResult) of the last dry run
OUTCOME = "_upload_outcome"  # (kind, message) left by a button for the next run
UNKNOWN = "_upload_unknown_units"  # the unknown unit names offered for mapping

lang = state.current_lang()
db_path = ui.db_path()
st.title(t("page_upload", lang))
st.caption(t("upload_intro", lang))

with ui.warehouse(lang, require_data=False) as con:
    indicators = queries.catalogue_indicators(con, lang)
    units = queries.catalogue_units(con, lang)
indicator_names = dict(zip(indicators["indicator_code"], indicators["indicator_name"], strict=True))
unit_names = dict(zip(units["unit_code"], units["unit_name"], strict=True))


def _options() -> LoadOptions:
    return LoadOptions(
        indicator=st.session_state.get("opt_indicator"),
        unit=st.session_state.get("opt_unit"),
        period=(st.session_state.get("opt_period") or "").strip() or None,
        loaded_by=(st.session_state.get("loaded_by") or "").strip(),
        source="upload",
        office=(st.session_state.get("loaded_by") or "").strip() or None,
    )


def _remember_mappings() -> None:
    """Button callback: remember each chosen unit for the unknown names, then re-check."""
    office = (st.session_state.get("loaded_by") or "").strip()
    try:
        for index, name in enumerate(st.session_state.get(UNKNOWN, [])):
            code = st.session_state.get(f"map_unit_{index}")
            if code:
                remember_unit_alias(db_path, office, name, code)
    except EtlError as exc:
        st.session_state[OUTCOME] = ("error", exc.message(lang))
        return
    st.session_state.pop(CHECKED, None)


def _offer_mappings(result: LoadResult) -> None:
    """Let the user say once which unit each unknown name means."""
    found = [p for p in result.errors if p.key == "unit_unknown"]
    names = list(dict.fromkeys(str(p.params["value"]) for p in found))
    if not names:
        return
    st.session_state[UNKNOWN] = names
    by_name = {name: code for code, name in unit_names.items()}
    with st.container(border=True):
        st.markdown(t("map_units_heading", lang))
        st.caption(t("map_units_caption", lang))
        for index, name in enumerate(names):
            hints = next(str(p.params["suggestions"]) for p in found if p.params["value"] == name)
            suggested = [by_name[h] for h in hints.split(", ") if h in by_name]
            choices = [None, *suggested, *(c for c in unit_names if c not in suggested)]
            st.selectbox(
                name,
                choices,
                key=f"map_unit_{index}",
                format_func=lambda code: (
                    t("map_units_choose", lang) if code is None else f"{unit_names[code]} ({code})"
                ),
            )
        office = (st.session_state.get("loaded_by") or "").strip()
        if not office:
            st.caption(t("loaded_by_needed_for_mapping", lang))
        st.button(
            t("map_units_remember", lang),
            key="remember_mappings",
            disabled=not office,
            on_click=_remember_mappings,
        )


def _store() -> None:
    """Button callback: store the checked file (runs before the page redraws)."""
    file = st.session_state.get("upload")
    if file is None:
        return
    try:
        result = upload.run_load(db_path, file.name, file.getvalue(), _options(), dry_run=False)
    except EtlError as exc:
        st.session_state[OUTCOME] = ("error", exc.message(lang))
        return
    st.session_state.pop(CHECKED, None)
    if result.batch_id is not None:
        message = t("stored", lang, rows=len(result.rows), batch=result.batch_id, file=file.name)
        st.session_state[OUTCOME] = ("success", message)
    else:
        st.session_state[OUTCOME] = ("error", _problem_lines(result) or t("not_stored", lang))


def _rollback() -> None:
    """Button callback: roll back the chosen batch."""
    batch_id = st.session_state.get("rollback_batch")
    if batch_id is None or not st.session_state.get("rollback_confirm"):
        return
    try:
        removed = rollback_batch(db_path, int(batch_id))
    except EtlError as exc:
        st.session_state[OUTCOME] = ("error", exc.message(lang))
        return
    st.session_state.pop(CHECKED, None)
    st.session_state["rollback_confirm"] = False
    st.session_state[OUTCOME] = ("success", t("rolled_back", lang, batch=batch_id, rows=removed))


def _problem_lines(result: LoadResult, severity: str = "error") -> str:
    return "\n".join(
        f"- `{p.location()}`: {p.message(lang)}" for p in result.problems if p.severity == severity
    )


def _check(file: Any) -> LoadResult | None:
    """The dry run of the uploaded file, reused while neither file nor options change."""
    data = file.getvalue()
    options = _options()
    key = upload.upload_key(data, options)
    checked = st.session_state.get(CHECKED)
    if checked is not None and checked[0] == key:
        return checked[1]
    try:
        bar = st.progress(0.0, text=t("checking", lang, file=file.name))

        def reading(sheet: str, index: int, count: int) -> None:
            bar.progress(
                index / max(count, 1),
                text=t("reading_sheet", lang, sheet=sheet, index=index + 1, count=count),
            )

        result = upload.run_load(
            db_path, file.name, data, options, dry_run=True, sheet_progress=reading
        )
        bar.empty()
    except EtlError as exc:
        ui.show_etl_error(exc, lang)
        return None
    st.session_state[CHECKED] = (key, result)
    return result


outcome = st.session_state.pop(OUTCOME, None)
if outcome is not None:
    (st.success if outcome[0] == "success" else st.error)(outcome[1])

left, right = st.columns([1, 2])
with left:
    st.text_input(t("loaded_by", lang), key="loaded_by", placeholder=t("loaded_by_hint", lang))
with right, st.expander(t("upload_hints", lang), key="hints_section"):
    st.caption(t("upload_hints_caption", lang))
    st.selectbox(
        t("indicator", lang),
        [None, *indicator_names],
        key="opt_indicator",
        format_func=lambda code: t("from_file", lang) if code is None else indicator_names[code],
    )
    st.selectbox(
        t("unit", lang),
        [None, *unit_names],
        key="opt_unit",
        format_func=lambda code: t("from_file", lang) if code is None else unit_names[code],
    )
    st.text_input(t("period", lang), key="opt_period", placeholder=t("period_hint", lang))


def _show_recognised(result: LoadResult) -> None:
    lines = upload.recognised(result, lang)
    if lines:
        with st.expander(t("recognised_heading", lang), expanded=not result.ok):
            st.markdown("\n".join(f"- {line}" for line in lines))


def _offer_marked_copy(file: Any, result: LoadResult) -> None:
    if not any(p.cell for p in result.problems):
        return
    st.download_button(
        t("marked_copy", lang),
        data=lambda: annotate_bytes(file.getvalue(), file.name, result.problems, lang),
        file_name=annotated_file_name(file.name, lang),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        help=t("marked_copy_help", lang),
        key="marked_copy",
    )


file = st.file_uploader(t("upload_file", lang), type=FILE_TYPES, key="upload")
if file is not None:
    result = _check(file)
    if result is not None:
        _show_recognised(result)
        if result.duplicate_of is not None:
            st.info(t("already_stored", lang, file=file.name, batch=result.duplicate_of))
        elif result.unchanged:
            st.info(t("nothing_new", lang, file=file.name))
        elif not result.ok:
            st.error(
                t("upload_rejected", lang, file=file.name, n=len(result.errors))
                + "\n\n"
                + _problem_lines(result)
            )
            _offer_mappings(result)
            _offer_marked_copy(file, result)
        else:
            warnings = _problem_lines(result, "warning")
            if warnings:
                st.warning(t("upload_warnings", lang, n=len(result.warnings)) + "\n\n" + warnings)
                _offer_marked_copy(file, result)
            counts = upload.summary(result.rows)
            st.markdown(t("upload_preview", lang, file=file.name, **counts))
            ui.table(
                upload.preview(result.rows, lang),
                lang,
                columns=list(upload.PREVIEW_COLUMNS),
                key="upload_preview",
            )
            who = (st.session_state.get("loaded_by") or "").strip()
            if not who:
                st.caption(t("loaded_by_needed", lang))
            replaced = sum(1 for p in result.warnings if p.key == "replaces_value")
            confirmed = not replaced or st.checkbox(
                t("confirm_replace", lang, n=replaced), key="confirm_replace"
            )
            st.button(
                t("store", lang),
                key="store",
                type="primary",
                disabled=not (who and confirmed),
                on_click=_store,
            )

with st.expander(t("templates_heading", lang), key="templates_section"):
    st.caption(t("templates_caption", lang))
    groups = {code: (vi, en) for code, vi, en in template_groups(db_path)}
    group = st.selectbox(
        t("template_group", lang),
        list(groups),
        key="template_group",
        format_func=lambda code: groups[code][1 if lang == "en" else 0],
    )
    if group is not None:
        st.download_button(
            t("template_download", lang),
            data=lambda: build_template(db_path, group, lang),
            file_name=f"mau_bao_cao_{group}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="template_download",
        )

st.divider()
st.subheader(t("batches_heading", lang))
try:
    batches = list_batches(db_path)
except EtlError as exc:
    ui.show_etl_error(exc, lang)
    st.stop()
if batches.empty:
    st.info(t("no_batches", lang))
    st.stop()
ui.table(
    batches.assign(
        status=batches["status"].map(lambda s: t_or(f"batch_status_{s}", lang, s)),
        source=batches["source"].map(lambda s: t_or(f"batch_source_{s}", lang, s)),
    ),
    lang,
    columns=["batch_id", "file_name", "loaded_by", "loaded_at", "row_count", "source", "status"],
    key="batches_table",
)
active = batches[batches["status"] == "active"]
if active.empty:
    st.stop()
files = dict(zip(active["batch_id"], active["file_name"], strict=True))
with st.expander(t("rollback_heading", lang), key="rollback_section"):
    st.selectbox(
        t("rollback_batch", lang),
        list(files),
        key="rollback_batch",
        format_func=lambda batch: f"{batch} · {files[batch]}",
    )
    confirmed = st.checkbox(t("rollback_confirm", lang), key="rollback_confirm")
    st.button(t("rollback", lang), key="rollback", disabled=not confirmed, on_click=_rollback)
