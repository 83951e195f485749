"""``python -m dashboard.pack``: the meeting pack of one unit and one year, as files.

    python -m dashboard.pack --unit 92 --year 2012 [--lang vi|en] [--db PATH] [--out DIR]

writes ``DIR/tai_lieu_hop_<unit>_<year>.pdf`` and ``.xlsx`` (each written whole or not at
all) and prints their two paths on stdout. Exit codes: 0 written; 2 a wrong request (a
missing or malformed option, an unknown unit, a year without figures), with a message
saying what to do; 1 anything else (no warehouse, no Chromium...). Messages go to stderr,
in Vietnamese, or English with ``--lang en``; never a traceback. Meant for scheduled runs
(cron) as much as by hand; it does not import Streamlit.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from dashboard import queries
from dashboard.formatting import format_number
from dashboard.i18n import LANGS, t
from dashboard.pack.content import PackContent, PackError, build_content
from etl.errors import EtlError
from etl.warehouse import resolve_db_path

USAGE_ERROR = 2
FAILURE = 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard.pack",
        description="Tạo tài liệu họp (PDF và Excel) của một đơn vị cho một năm / "
        "Make the meeting pack (PDF and Excel) of one unit for one year.",
    )
    parser.add_argument("--unit", required=True, metavar="CODE", help="mã đơn vị, ví dụ 92")
    parser.add_argument("--year", required=True, metavar="YEAR", help="năm, ví dụ 2012")
    parser.add_argument(
        "--lang", choices=LANGS, default="vi", help="ngôn ngữ của tài liệu (mặc định: vi)"
    )
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="tệp kho dữ liệu (mặc định: WAREHOUSE_DB hoặc data/warehouse.duckdb)",
    )
    parser.add_argument(
        "--out", metavar="DIR", default=".", help="thư mục ghi tệp (mặc định: thư mục hiện tại)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)  # a malformed command line exits 2 here
    lang = args.lang
    try:
        year = int(args.year)
    except ValueError:
        _error(t("pack_cli_bad_year", lang, value=args.year), lang)
        return USAGE_ERROR
    for name in ("kaleido", "choreographer", "logistro"):  # their chatter is not for users:
        logging.getLogger(name).setLevel(logging.CRITICAL)  # failures raise, and are said
    try:
        started = time.perf_counter()
        with queries.reader(resolve_db_path(args.db)) as con:
            content = build_content(con, args.unit, year, lang)
        paths = write_pack(content, Path(args.out))
        seconds = time.perf_counter() - started
    except PackError as err:
        _error(err.message(lang), lang)
        return USAGE_ERROR if err.usage else FAILURE
    except EtlError as err:
        _error(err.message(lang), lang)
        return FAILURE
    except Exception as exc:  # last line of defence: never a traceback
        reason = f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc) else ''}"
        _error(t("pack_failed", lang, reason=reason), lang)
        return FAILURE
    for path in paths:
        print(path)
    print(t("pack_cli_done", lang, seconds=format_number(seconds, lang, 1)), file=sys.stderr)
    return 0


def write_pack(content: PackContent, out_dir: Path) -> list[Path]:
    """Write the .pdf and the .xlsx into ``out_dir`` (created if needed); their paths.

    Both are made before either is written, so a failure leaves no pack half done."""
    from dashboard.pack.pdf import to_pdf  # a browser is needed from here on
    from dashboard.pack.xlsx import to_xlsx

    pdf, xlsx = to_pdf(content), to_xlsx(content)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = out_dir / content.file_stem
    paths = [stem.with_suffix(".pdf"), stem.with_suffix(".xlsx")]
    for path, data in zip(paths, (pdf, xlsx), strict=True):
        _write_whole(path, data)
    return paths


def _write_whole(path: Path, data: bytes) -> None:
    """Write through a temporary file in the same folder, so a reader never sees half."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _error(message: str, lang: str) -> None:
    print(f"Lỗi: {message}" if lang == "vi" else f"Error: {message}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
