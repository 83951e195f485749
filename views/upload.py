"""Tải lên: check one or several report files, preview what each holds, store each as its
own batch; list and roll back batches."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TypeAlias

import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.typing import UploadedFile

from dashboard import queries, state, ui, upload
from dashboard.formatting import format_datetime
from dashboard.i18n import t, t_or
from dashboard.upload import UploadedReport
from etl.aliases import remember_unit_alias
from etl.annotate import annotate_bytes, annotated_file_name
from etl.batches import list_batches, rollback_batch
from etl.errors import EtlError
from etl.load import LoadOptions, LoadResult
from etl.templates import build_template, template_groups

FILE_TYPES = ["xlsx", "xlsm", "xls", "ods", "csv", "txt"]
CHECKED = "_upload_checked"  # check key → LoadResult: the dry runs of the current files
HASHES = "_upload_hashes"  # uploader's file id → SHA-256 of the content (hashed once)
GENERATION = "_upload_generation"  # counts this page's changes to the warehouse
PENDING = "_upload_pending"  # ids of the files a store button asked to store
OUTCOME = "_upload_outcome"  # [(kind, message)] left by a button for the next run
NEEDS_USER = ("errors", "confirm", "unreadable")  # file statuses that wait for the user

Checked: TypeAlias = LoadResult | str  # a dry run, or why the file could not be checked

log = logging.getLogger("views.upload")
lang = state.current_lang()
db_path = ui.db_path()
st.title(t("page_upload", lang))
st.caption(t("upload_intro", lang))
outcome_box = st.container()

with ui.warehouse(lang, require_data=False) as con:
    indicators = queries.catalogue_indicators(con, lang)
    units = queries.catalogue_units(con, lang)
indicator_names = dict(zip(indicators["indicator_code"], indicators["indicator_name"], strict=True))
unit_names = dict(zip(units["unit_code"], units["unit_name"], strict=True))


def _who() -> str:
    return (st.session_state.get("loaded_by") or "").strip()


def _options() -> LoadOptions:
    return LoadOptions(
        indicator=st.session_state.get("opt_indicator"),
        unit=st.session_state.get("opt_unit"),
        period=(st.session_state.get("opt_period") or "").strip() or None,
        loaded_by=_who(),
        source="upload",
        office=_who() or None,
    )


def _key(report: UploadedReport) -> str:
    """The check key of a file with the current options and warehouse."""
    generation = int(st.session_state.get(GENERATION, 0))
    return upload.check_key(report.sha256, _options(), generation)


def _confirm_key(check_key: str) -> str:
    """The replace confirmation belongs to one check: a new check asks again."""
    return f"confirm_replace_{check_key[:12]}"


def _say(kind: str, message: str) -> None:
    st.session_state.setdefault(OUTCOME, []).append((kind, message))


def _warehouse_changed() -> None:
    """Every check, and every confirmation given for one, is stale now."""
    st.session_state[GENERATION] = int(st.session_state.get(GENERATION, 0)) + 1
    st.session_state.pop(CHECKED, None)


def _problem_lines(result: LoadResult, severity: str = "error") -> str:
    return "\n".join(
        f"- `{p.location()}`: {p.message(lang)}" for p in result.problems if p.severity == severity
    )


def _remember_mappings(report_id: str, names: Sequence[str]) -> None:
    """Button callback: remember each chosen unit for the unknown names, then re-check."""
    try:
        for index, name in enumerate(names):
            code = st.session_state.get(f"map_unit_{report_id}_{index}")
            if code:
                remember_unit_alias(db_path, _who(), name, code)
    except EtlError as exc:
        _say("error", exc.message(lang))
    finally:
        _warehouse_changed()


def _rollback() -> None:
    """Button callback: roll back the chosen batch."""
    batch_id = st.session_state.get("rollback_batch")
    if batch_id is None or not st.session_state.get("rollback_confirm"):
        return
    try:
        removed = rollback_batch(db_path, int(batch_id))
    except EtlError as exc:
        _say("error", exc.message(lang))
        return
    _warehouse_changed()
    st.session_state["rollback_confirm"] = False
    _say("success", t("rolled_back", lang, batch=batch_id, rows=removed))


def _request_store(report_ids: tuple[str, ...]) -> None:
    """Button callback: the files to store, stored early in the next run (with a bar)."""
    st.session_state[PENDING] = report_ids


def _distinct(files: list[UploadedFile]) -> tuple[list[UploadedReport], dict[str, UploadedFile]]:
    """One entry per distinct content (each file hashed once), and its uploaded file."""
    known: dict[str, str] = st.session_state.get(HASHES, {})
    hashes = {f.file_id: known.get(f.file_id) or upload.content_sha256(f.getvalue()) for f in files}
    st.session_state[HASHES] = hashes
    reports = upload.distinct_files([(f.name, hashes[f.file_id]) for f in files])
    return reports, {r.id: files[r.position] for r in reports}


def _ready_to_store(report: UploadedReport) -> bool:
    """Stored only as shown: checked with the current options and, if it replaces stored
    values, confirmed."""
    key = _key(report)
    result = st.session_state.get(CHECKED, {}).get(key)
    confirmed = bool(st.session_state.get(_confirm_key(key)))
    return result is not None and upload.file_status(result, confirmed=confirmed) == "ready"


def _not_stored(name: str, result: LoadResult) -> tuple[str, str]:
    if result.duplicate_of is not None:
        return "info", t("already_stored", lang, file=name, batch=result.duplicate_of)
    if result.unchanged:
        return "info", t("nothing_new", lang, file=name)
    if result.errors:
        rejected = t("upload_rejected", lang, file=name, n=len(result.errors))
        return "error", rejected + "\n\n" + _problem_lines(result)
    return "error", t("not_stored", lang, file=name)


def _stored_lines(stored: list[tuple[str, LoadResult]]) -> str:
    """One line per stored file: its batch, who stored it and when (as the warehouse says)."""
    try:
        batches = list_batches(db_path).set_index("batch_id")
    except EtlError:
        batches = None
    lines = []
    for name, result in stored:
        who, when = _who(), ""
        if batches is not None and result.batch_id in batches.index:
            who = str(batches.at[result.batch_id, "loaded_by"])
            when = format_datetime(batches.at[result.batch_id, "loaded_at"], lang)
        rows = len(result.rows)
        lines.append(
            t("stored", lang, rows=rows, file=name, batch=result.batch_id, who=who, when=when)
        )
    return lines[0] if len(lines) == 1 else "\n".join(f"- {line}" for line in lines)


def _store_requested(reports: list[UploadedReport], files: dict[str, UploadedFile]) -> None:
    """Store the files a button asked for, each as its own batch, one after the other."""
    wanted = st.session_state.pop(PENDING, None)
    if not wanted:
        return
    if not _who():
        _say("error", t("loaded_by_needed", lang))
        return
    chosen = [r for r in reports if r.id in wanted]
    ready = [r for r in chosen if _ready_to_store(r)]
    skipped = [r.name for r in chosen if r not in ready]
    stored: list[tuple[str, LoadResult]] = []
    bar = st.progress(0.0)
    try:
        for index, report in enumerate(ready):
            text = t("storing_file", lang, index=index + 1, count=len(ready), file=report.name)
            bar.progress(index / len(ready), text=text)
            result = _store_one(report, files[report.id])
            if result is None:
                continue
            if result.batch_id is None:
                _say(*_not_stored(report.name, result))
            else:
                stored.append((report.name, result))
    finally:
        bar.empty()
        if ready:
            _warehouse_changed()
    if stored:
        _say("success", _stored_lines(stored))
    if skipped:
        _say("warning", t("store_skipped", lang, files=", ".join(skipped)))


def _store_one(report: UploadedReport, file: UploadedFile) -> LoadResult | None:
    """Store one file (whole or not at all); ``None`` after saying why it failed."""
    try:
        return upload.run_load(db_path, report.name, file.getvalue(), _options(), dry_run=False)
    except EtlError as exc:
        _say("error", f"{report.name}: {exc.message(lang)}")
    except Exception:
        log.exception("storing %s failed", report.name)
        _say("error", t("store_failed_unexpected", lang, file=report.name))
    return None


def _check_all(reports: list[UploadedReport], files: dict[str, UploadedFile]) -> dict[str, Checked]:
    """The dry run of every file, reused while neither its content, the options nor the
    warehouse change; a bar says which file and sheet is being read."""
    cached: dict[str, LoadResult] = st.session_state.get(CHECKED, {})
    keys = {r.id: _key(r) for r in reports}
    checked: dict[str, Checked] = {
        r.id: cached[keys[r.id]] for r in reports if keys[r.id] in cached
    }
    todo = [r for r in reports if r.id not in checked]
    if todo:
        bar = st.progress(0.0)
        for done, report in enumerate(todo):
            checked[report.id] = _check_one(report, files[report.id], bar, done, todo, reports)
        bar.empty()
    st.session_state[CHECKED] = {
        keys[r.id]: result for r in reports if isinstance(result := checked[r.id], LoadResult)
    }
    return checked


def _check_one(
    report: UploadedReport,
    file: UploadedFile,
    bar: DeltaGenerator,
    done: int,
    todo: list[UploadedReport],
    reports: list[UploadedReport],
) -> Checked:
    number, total = reports.index(report) + 1, len(reports)
    bar.progress(
        done / len(todo), text=t("checking", lang, index=number, count=total, file=report.name)
    )

    def reading(sheet: str, index: int, count: int) -> None:
        bar.progress(
            (done + index / max(count, 1)) / len(todo),
            text=t(
                "reading_sheet",
                lang,
                file_index=number,
                file_count=total,
                file=report.name,
                sheet=sheet,
                index=index + 1,
                count=count,
            ),
        )

    try:
        return upload.run_load(
            db_path, report.name, file.getvalue(), _options(), dry_run=True, sheet_progress=reading
        )
    except EtlError as exc:
        return exc.message(lang)
    except Exception:
        log.exception("checking %s failed", report.name)
        return t("check_failed_unexpected", lang, file=report.name)


def _offer_mappings(report: UploadedReport, result: LoadResult) -> None:
    """Let the user say once which unit each unknown name means."""
    found = [p for p in result.errors if p.key == "unit_unknown"]
    names = list(dict.fromkeys(str(p.params["value"]) for p in found))
    if not names:
        return
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
                key=f"map_unit_{report.id}_{index}",
                format_func=lambda code: (
                    t("map_units_choose", lang) if code is None else f"{unit_names[code]} ({code})"
                ),
            )
        if not _who():
            st.caption(t("loaded_by_needed_for_mapping", lang))
        st.button(
            t("map_units_remember", lang),
            key=f"remember_mappings_{report.id}",
            disabled=not _who(),
            on_click=_remember_mappings,
            args=(report.id, names),
        )


def _show_recognised(result: LoadResult) -> None:
    lines = upload.recognised(result, lang)
    if lines:
        st.caption(t("recognised_heading", lang))
        st.markdown("\n".join(f"- {line}" for line in lines))


def _offer_marked_copy(report: UploadedReport, file: UploadedFile, result: LoadResult) -> None:
    if not any(p.cell for p in result.problems):
        return
    st.download_button(
        t("marked_copy", lang),
        data=lambda: annotate_bytes(file.getvalue(), report.name, result.problems, lang),
        file_name=annotated_file_name(report.name, lang),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        help=t("marked_copy_help", lang),
        key=f"marked_copy_{report.id}",
    )


def _show_storable(report: UploadedReport, result: LoadResult, status: str) -> None:
    """What a file without errors would store, its warnings, and its store button."""
    warnings = _problem_lines(result, "warning")
    if warnings:
        st.warning(t("upload_warnings", lang, n=len(result.warnings)) + "\n\n" + warnings)
    counts = upload.summary(result.rows)
    st.markdown(t("upload_preview", lang, file=report.name, **counts))
    ui.table(
        upload.preview(result.rows, lang),
        lang,
        columns=list(upload.PREVIEW_COLUMNS),
        key=f"upload_preview_{report.id}",
    )
    if not _who():
        st.caption(t("loaded_by_needed", lang))
    replaced = upload.replaced_count(result)
    if replaced:
        st.checkbox(t("confirm_replace", lang, n=replaced), key=_confirm_key(_key(report)))
    st.button(
        t("store_file", lang, file=report.name),
        key=f"store_{report.id}",
        type="primary",
        disabled=not (_who() and status == "ready"),
        on_click=_request_store,
        args=((report.id,),),
    )


def _show_file(
    report: UploadedReport, file: UploadedFile, checked: Checked, status: str, *, alone: bool
) -> None:
    """One file's section: how it was read, its problems or its rows, and what to do."""
    result = checked if isinstance(checked, LoadResult) else None
    label = t(
        "file_section", lang, file=report.name, status=upload.status_word(status, result, lang)
    )
    with st.expander(label, expanded=alone or status in NEEDS_USER, key=f"file_{report.id}"):
        if result is None:
            st.error(str(checked))
            return
        _show_recognised(result)
        if result.duplicate_of is not None:
            st.info(t("already_stored", lang, file=report.name, batch=result.duplicate_of))
        elif result.unchanged:
            st.info(t("nothing_new", lang, file=report.name))
        elif not result.ok:
            rejected = t("upload_rejected", lang, file=report.name, n=len(result.errors))
            st.error(rejected + "\n\n" + _problem_lines(result))
            warnings = _problem_lines(result, "warning")
            if warnings:
                st.warning(t("upload_warnings", lang, n=len(result.warnings)) + "\n\n" + warnings)
            _offer_mappings(report, result)
        else:
            _show_storable(report, result, status)
        _offer_marked_copy(report, file, result)


def _show_summary(
    reports: list[UploadedReport], checked: dict[str, Checked], statuses: dict[str, str]
) -> None:
    """Several files: one row each, where they overlap, and one button to store the good ones."""
    results = {r.id: c if isinstance(c := checked[r.id], LoadResult) else None for r in reports}
    st.subheader(t("files_heading", lang, n=len(reports)))
    ui.table(
        upload.files_summary(reports, results, statuses, lang),
        lang,
        columns=list(upload.SUMMARY_COLUMNS),
        key="files_summary",
        numbers=["rows_to_store", "errors", "warnings"],
    )
    storable = [
        (r.name, result.rows)
        for r in reports
        if statuses[r.id] in ("ready", "confirm") and (result := results[r.id]) is not None
    ]
    for first, second, n in upload.overlaps(storable):
        st.warning(t("files_overlap", lang, first=first, second=second, n=n))
    ready = tuple(r.id for r in reports if statuses[r.id] == "ready")
    left_out = [
        f"{r.name} ({upload.status_word(statuses[r.id], results[r.id], lang)})"
        for r in reports
        if statuses[r.id] in NEEDS_USER
    ]
    st.caption(t("store_all_caption", lang))
    if left_out:
        st.caption(t("store_all_left_out", lang, files="; ".join(left_out)))
    if not _who():
        st.caption(t("loaded_by_needed", lang))
    st.button(
        t("store_all", lang, n=len(ready)),
        key="store_all",
        type="primary",
        disabled=not (ready and _who()),
        on_click=_request_store,
        args=(ready,),
    )


def _show_uploads(reports: list[UploadedReport], files: dict[str, UploadedFile]) -> None:
    for report in reports:
        if report.copies:
            copies = ", ".join(report.copies)
            st.info(t("same_content", lang, copies=copies, file=report.name))
    checked = _check_all(reports, files)
    statuses = {}
    for report in reports:
        result = checked[report.id]
        confirmed = bool(st.session_state.get(_confirm_key(_key(report))))
        statuses[report.id] = upload.file_status(
            result if isinstance(result, LoadResult) else None, confirmed=confirmed
        )
    if len(reports) > 1:
        _show_summary(reports, checked, statuses)
    for report in reports:
        alone = len(reports) == 1
        _show_file(report, files[report.id], checked[report.id], statuses[report.id], alone=alone)


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

uploaded = st.file_uploader(
    t("upload_file", lang), type=FILE_TYPES, accept_multiple_files=True, key="upload"
)
distinct, by_id = _distinct(list(uploaded or []))
with outcome_box:
    _store_requested(distinct, by_id)
    shown = {"success": st.success, "error": st.error, "warning": st.warning, "info": st.info}
    for kind, message in st.session_state.pop(OUTCOME, []):
        shown[kind](message)
if distinct:
    _show_uploads(distinct, by_id)

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
batch_files = dict(zip(active["batch_id"], active["file_name"], strict=True))
with st.expander(t("rollback_heading", lang), key="rollback_section"):
    st.selectbox(
        t("rollback_batch", lang),
        list(batch_files),
        key="rollback_batch",
        format_func=lambda batch: f"{batch} · {batch_files[batch]}",
    )
    confirmed = st.checkbox(t("rollback_confirm", lang), key="rollback_confirm")
    st.button(t("rollback", lang), key="rollback", disabled=not confirmed, on_click=_rollback)
