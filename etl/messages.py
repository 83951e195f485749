"""Every message the ETL shows a user, in Vietnamese and English, by key.

Each message says what is wrong and ends with what to do.
"""

from __future__ import annotations

import os
from typing import Any

MESSAGES: dict[str, tuple[str, str]] = {
    # warehouse
    "db_unreadable": (
        "Không mở được kho dữ liệu {path} ({detail}). Kiểm tra đường dẫn, hoặc xóa tệp rồi chạy "
        "lại `python -m etl init`.",
        "Cannot open the warehouse {path} ({detail}). Check the path, or delete the file and run "
        "`python -m etl init` again.",
    ),
    "db_missing": (
        "Chưa có kho dữ liệu {path}. Chạy `python -m etl init` để tạo.",
        "The warehouse {path} does not exist. Run `python -m etl init` to create it.",
    ),
    "db_foreign": (
        "Tệp {path} là cơ sở dữ liệu DuckDB nhưng không phải kho của ứng dụng này. "
        "Chọn tệp khác bằng --db hoặc WAREHOUSE_DB.",
        "{path} is a DuckDB database but not this application's warehouse. "
        "Choose another file with --db or WAREHOUSE_DB.",
    ),
    "db_newer": (
        "Kho dữ liệu {path} có phiên bản cấu trúc {found}, mới hơn phiên bản {supported} mà "
        "chương trình này hiểu. Cập nhật chương trình.",
        "The warehouse {path} has schema version {found}, newer than the version {supported} "
        "this program understands. Update the program.",
    ),
    "db_older": (
        "Kho dữ liệu {path} có phiên bản cấu trúc {found}, cũ hơn {supported}. Chạy "
        "`python -m etl init` để nâng cấp.",
        "The warehouse {path} has schema version {found}, older than {supported}. Run "
        "`python -m etl init` to upgrade it.",
    ),
    "db_no_upgrade": (
        "Kho dữ liệu {path} có phiên bản cấu trúc {found}, quá cũ để nâng cấp tự động. Tạo kho "
        "mới bằng `python -m etl init --db <tệp mới>` rồi nạp lại các báo cáo.",
        "The warehouse {path} has schema version {found}, too old to upgrade automatically. "
        "Create a new one with `python -m etl init --db <new file>` and load the reports again.",
    ),
    "db_locked": (
        "Kho dữ liệu {path} đang được chương trình khác ghi. Đóng chương trình đó rồi thử lại.",
        "The warehouse {path} is being written by another program. Close it and try again.",
    ),
    # catalogue
    "catalogue_invalid": (
        "Danh mục {file} dòng {row}: {detail}. Sửa tệp danh mục rồi chạy lại.",
        "Catalogue {file} row {row}: {detail}. Fix the catalogue file and run again.",
    ),
}


def current_lang() -> str:
    """'en' when the environment asks for English (LANGUAGE, LC_ALL, LC_MESSAGES, LANG)."""
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "en" if value.lower().startswith("en") else "vi"
    return "vi"


def register(messages: dict[str, tuple[str, str]]) -> None:
    """Add a module's messages to the catalogue (keys must be new)."""
    clash = set(messages) & set(MESSAGES)
    if clash:
        raise ValueError(f"message keys defined twice: {sorted(clash)}")
    MESSAGES.update(messages)


def render(key: str, lang: str = "vi", **params: Any) -> str:
    vi, en = MESSAGES[key]
    template = en if lang == "en" else vi
    return template.format(**params)
