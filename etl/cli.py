"""The ``python -m etl`` command: init, load, batches, rollback.

Exit codes: 0 done, 1 rejected (nothing written), 2 usage error. Problems go to
stderr, one line each as ``FILE:SHEET!CELL: message``; data (``--json``, the
batch list) goes to stdout. Messages are Vietnamese unless LANG/LANGUAGE say en.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from etl.batches import list_batches, rollback_batch
from etl.catalogue import DATA_DIR, load_catalogue
from etl.errors import EtlError, Problem
from etl.load import LoadOptions, LoadResult, load_file
from etl.messages import current_lang, register
from etl.warehouse import open_warehouse, resolve_db_path

SAMPLE_DIR = DATA_DIR / "sample"
SAMPLE_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")

register(
    {
        "cli_init_done": (
            "Đã tạo/cập nhật kho {path}: {units} đơn vị, {indicators} chỉ tiêu, {campaigns} đợt.",
            "Created/upgraded the warehouse {path}: {units} units, {indicators} indicators, "
            "{campaigns} campaigns.",
        ),
        "cli_loaded": (
            "Đã lưu {rows} dòng số liệu (đợt nạp {batch_id}).",
            "Stored {rows} rows (batch {batch_id}).",
        ),
        "cli_would_load": (
            "Kiểm tra xong: {rows} dòng số liệu sẽ được lưu (chạy thử, chưa lưu gì).",
            "Checked: {rows} rows would be stored (dry run, nothing stored).",
        ),
        "cli_rejected": (
            "Không lưu tệp: {errors} lỗi. Sửa các ô nêu trên rồi nạp lại.",
            "File not stored: {errors} errors. Fix the cells above and load it again.",
        ),
        "cli_rolled_back": (
            "Đã hủy đợt nạp {batch_id}: xóa {rows} dòng, giá trị trước đó được khôi phục.",
            "Rolled back batch {batch_id}: removed {rows} rows, earlier values restored.",
        ),
        "cli_no_batches": ("Chưa có đợt nạp nào.", "No batches yet."),
        "cli_reading": ("Đang đọc {file} …", "Reading {file} …"),
        "unexpected": (
            "Lỗi không mong đợi ({detail}). Kho dữ liệu không bị thay đổi. Báo lỗi này cho "
            "nhóm phát triển kèm tệp đã dùng.",
            "Unexpected error ({detail}). The warehouse was not changed. Report it to the "
            "developers with the file used.",
        ),
    }
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m etl",
        description="Nạp báo cáo Excel vào kho dữ liệu DuckDB / Load Excel reports into DuckDB.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    init = sub.add_parser("init", help="tạo/nâng cấp kho, nạp danh mục và báo cáo mẫu")
    _add_db(init)
    init.add_argument("--no-sample", action="store_true", help="không nạp báo cáo mẫu")

    load = sub.add_parser("load", help="nạp một hoặc nhiều tệp báo cáo")
    load.add_argument("files", nargs="+", metavar="FILE")
    _add_db(load)
    load.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không lưu")
    load.add_argument("--json", action="store_true", help="in kết quả dạng JSON ra stdout")
    load.add_argument("--indicator", metavar="CODE", help="mã chỉ tiêu khi tệp không ghi")
    load.add_argument("--unit", metavar="CODE", help="mã đơn vị khi tệp không ghi")
    load.add_argument("--period", metavar="TEXT", help="kỳ báo cáo khi tệp không ghi")
    load.add_argument("--by", metavar="NAME", help="người nạp (mặc định: tài khoản máy)")
    load.add_argument(
        "--office", metavar="NAME", help="dùng các tên đơn vị đã ghép cho cơ quan gửi này"
    )

    batches = sub.add_parser("batches", help="liệt kê các đợt nạp")
    _add_db(batches)

    rollback = sub.add_parser("rollback", help="hủy một đợt nạp")
    rollback.add_argument("batch_id", type=int, metavar="BATCH")
    _add_db(rollback)
    return parser


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="tệp kho dữ liệu (mặc định: WAREHOUSE_DB hoặc data/warehouse.duckdb)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    lang = current_lang()
    db_path = resolve_db_path(args.db)
    try:
        handler = {"init": _init, "load": _load, "batches": _batches, "rollback": _rollback}
        return handler[args.command](args, db_path, lang)
    except EtlError as err:
        print(
            f"Lỗi: {err.message(lang)}" if lang == "vi" else f"Error: {err.message(lang)}",
            file=sys.stderr,
        )
        return 1
    except Exception as exc:  # last line of defence: never a traceback
        detail = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        print(Problem("", "", "", "unexpected", {"detail": detail}).message(lang), file=sys.stderr)
        return 1


def _say(key: str, lang: str, **params: Any) -> None:
    print(Problem("", "", "", key, params).message(lang), file=sys.stderr)


def _init(args: argparse.Namespace, db_path: Path, lang: str) -> int:
    con = open_warehouse(db_path)
    try:
        con.execute("BEGIN TRANSACTION")
        counts = load_catalogue(con)
        con.execute("COMMIT")
    finally:
        con.close()
    _say(
        "cli_init_done",
        lang,
        path=db_path,
        units=counts["unit"],
        indicators=counts["indicator"],
        campaigns=counts["campaign"],
    )
    if args.no_sample:
        return 0
    status = 0
    samples = sorted(p for p in SAMPLE_DIR.iterdir() if p.suffix.lower() in SAMPLE_SUFFIXES)
    for path in samples:
        options = LoadOptions(loaded_by="etl init", source="sample")
        result = load_file(
            db_path,
            path,
            options,
            display_name=f"data/sample/{path.name}",
            progress=_progress(lang),
        )
        status = max(status, _report(result, lang, dry_run=False))
    return status


def _progress(lang: str) -> Any:
    def report(message: str) -> None:
        if ":" not in message:
            _say("cli_reading", lang, file=message)

    return report


def _load(args: argparse.Namespace, db_path: Path, lang: str) -> int:
    options = LoadOptions(
        indicator=args.indicator,
        unit=args.unit,
        period=args.period,
        source="cli",
        office=args.office,
    )
    if args.by:
        options.loaded_by = args.by
    results = [
        load_file(
            db_path,
            Path(name),
            options,
            dry_run=args.dry_run,
            display_name=name,
            progress=None if args.json else _progress(lang),
        )
        for name in args.files
    ]
    status = 0
    for result in results:
        status = max(status, _report(result, lang, dry_run=args.dry_run, quiet=args.json))
    if args.json:
        payload = results[0] if len(results) == 1 else None
        document = _json(payload, lang) if payload else {"files": [_json(r, lang) for r in results]}
        print(json.dumps(document, ensure_ascii=False, default=str))
    return status


def _json(result: LoadResult, lang: str) -> dict[str, Any]:
    return {
        "file": result.file_name,
        "batch_id": result.batch_id,
        "rows": len(result.rows),
        "duplicate_of": result.duplicate_of,
        "tables": [asdict(table) for table in result.tables],
        "skipped_sheets": result.skipped_sheets,
        "errors": [p.as_dict(lang) for p in result.errors],
        "warnings": [p.as_dict(lang) for p in result.warnings],
    }


def _report(result: LoadResult, lang: str, *, dry_run: bool, quiet: bool = False) -> int:
    for problem in result.problems:
        print(problem.line(lang), file=sys.stderr)
    if not result.ok:
        if not quiet:
            _say("cli_rejected", lang, errors=len(result.errors))
        return 1
    if quiet:
        return 0
    if result.batch_id is not None:
        _say("cli_loaded", lang, rows=len(result.rows), batch_id=result.batch_id)
    elif dry_run and result.duplicate_of is None and not result.unchanged:
        _say("cli_would_load", lang, rows=len(result.rows))
    return 0


def _batches(args: argparse.Namespace, db_path: Path, lang: str) -> int:
    frame = list_batches(db_path)
    if frame.empty:
        _say("cli_no_batches", lang)
        return 0
    print(frame.to_string(index=False))
    return 0


def _rollback(args: argparse.Namespace, db_path: Path, lang: str) -> int:
    removed = rollback_batch(db_path, args.batch_id)
    _say("cli_rolled_back", lang, batch_id=args.batch_id, rows=removed)
    return 0
