"""Files the loader must refuse: exit 1, one line per problem naming file, sheet and cell,
and the warehouse unchanged."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest
from msoffcrypto.format.ooxml import OOXMLFile

from etl.cli import main
from tests.workbooks import WIDE_POVERTY, write_xlsx

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def snapshot(db: Path) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return (
            con.execute("SELECT * FROM observation ORDER BY ALL").fetchall()
            + con.execute("SELECT batch_id, status FROM batch ORDER BY batch_id").fetchall()
        )
    finally:
        con.close()


def wide_with(row: int, col: int, value: Any) -> list[list[Any]]:
    rows = [list(r) for r in WIDE_POVERTY]
    rows[row][col] = value
    return rows


def encrypted(path: Path) -> Path:
    plain = write_xlsx(path.with_suffix(".plain.xlsx"), WIDE_POVERTY)
    with plain.open("rb") as source, path.open("wb") as target:
        OOXMLFile(source).encrypt("mat-khau", target)
    return path


# name → (builder of the bad file, expected location prefix after the file name, message part)
CELL_CASES: dict[str, tuple[Any, str, str]] = {
    "unknown_unit": (wide_with(5, 1, "Quận Ô Mông"), ":Báo cáo!B6: ", "Gần nhất: Quận Ô Môn"),
    "unknown_indicator": (
        wide_with(1, 0, "Chỉ tiêu: Tỷ lệ hộ giàu"),
        ":Báo cáo!A2: ",
        "Không có chỉ tiêu",
    ),
    "percent_over_100": (wide_with(5, 2, 140), ":Báo cáo!C6: ", "ngoài khoảng cho phép 0 – 100"),
    "text_not_number": (wide_with(5, 2, "chưa báo cáo"), ":Báo cáo!C6: ", "chưa báo cáo"),
    "excel_error_cell": (wide_with(5, 2, "#DIV/0!"), ":Báo cáo!C6: ", "lỗi Excel #DIV/0!"),
    "formula_without_result": (wide_with(6, 3, "=C7*2"), ":Báo cáo!D7: ", "chưa có kết quả"),
    "formula_like_unit": (wide_with(5, 1, "@Ô Môn"), ":Báo cáo!B6: ", "công thức"),
    "value_without_unit": (wide_with(6, 1, ""), ":Báo cáo!B7: ", "không ghi đơn vị"),
    "duplicate_unit_row": (wide_with(6, 1, "Ô Môn"), ":Báo cáo!C7: ", "Trùng với ô Báo cáo!C6"),
    "unit_not_yet_existing": (
        [
            ["Chỉ tiêu: Số đảng viên kết nạp mới"],
            ["Đơn vị", "2019"],
            ["Đảng bộ Cục Điện lực", 4],
        ],
        ":Báo cáo!A3: ",
        "không tồn tại trong kỳ 2019",
    ),
    "count_not_whole": (
        [
            ["Chỉ tiêu: members_admitted"],
            ["Đơn vị", "2019"],
            ["Đảng bộ Cục Xuất nhập khẩu", "4,5"],
        ],
        ":Báo cáo!B3: ",
        "số nguyên không âm",
    ),
    "period_unknown": (
        [
            ["STT", "Đơn vị", "Chỉ tiêu", "Năm", "Giá trị"],
            [1, "Quận Ô Môn", "Tỷ lệ hộ nghèo", "năm ngoái", 3],
        ],
        ":Báo cáo!D2: ",
        "Không hiểu kỳ báo cáo “năm ngoái”",
    ),
}


@pytest.mark.parametrize("case", sorted(CELL_CASES))
def test_bad_cell_is_named_and_nothing_is_stored(
    case: str, fresh_sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows, location, message = CELL_CASES[case]
    path = write_xlsx(tmp_path / f"{case}.xlsx", rows)
    before = snapshot(fresh_sample_db)
    assert main(["load", str(path), "--db", str(fresh_sample_db)]) == 1
    lines = capsys.readouterr().err.splitlines()
    expected = [line for line in lines if line.startswith(f"{path}{location}")]
    assert expected, lines
    assert message in expected[0]
    assert "Traceback" not in "\n".join(lines)
    assert snapshot(fresh_sample_db) == before


def _write(name: str, data: bytes) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    return build


FILE_CASES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "empty": (_write("rong.xlsx", b""), "Tệp rỗng"),
    "not_excel": (_write("thu.xlsx", b"Kinh gui ...\n" * 50), "bị hỏng hoặc không đúng định dạng"),
    "pdf": (_write("bao_cao.pdf", b"%PDF-1.4\n"), "Không phải tệp bảng tính"),
    "truncated_zip": (_write("cut.xlsx", b"PK\x03\x04" + b"\x00" * 64), "bị hỏng"),
    "password": (lambda folder: encrypted(folder / "mat_khau.xlsx"), "đặt mật khẩu"),
    "missing": (lambda folder: folder / "khong_co.xlsx", "Không tìm thấy tệp"),
    "no_table": (
        lambda folder: write_xlsx(folder / "van_ban.xlsx", [["Kính gửi: Thành ủy"], ["Nội dung"]]),
        "Không tìm thấy bảng số liệu",
    ),
}


@pytest.mark.parametrize("case", sorted(FILE_CASES))
def test_unreadable_file_gets_a_message_not_a_traceback(
    case: str, fresh_sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build, message = FILE_CASES[case]
    path = build(tmp_path)
    before = snapshot(fresh_sample_db)
    assert main(["load", str(path), "--db", str(fresh_sample_db)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{path}") or f"\n{path}" in err, err
    assert message in err
    assert "Traceback" not in err
    assert snapshot(fresh_sample_db) == before


def test_one_bad_cell_rejects_the_whole_file(
    fresh_sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Four good values and one bad: none of the five is stored."""
    path = write_xlsx(tmp_path / "mot_loi.xlsx", wide_with(6, 3, "-1,8"))
    before = snapshot(fresh_sample_db)
    assert main(["load", str(path), "--db", str(fresh_sample_db)]) == 1
    assert snapshot(fresh_sample_db) == before
    assert "1 lỗi" in capsys.readouterr().err


def test_foreign_and_newer_warehouses_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    foreign = tmp_path / "other.duckdb"
    con = duckdb.connect(str(foreign))
    con.execute("CREATE TABLE sales (id INTEGER)")
    con.close()
    assert main(["init", "--db", str(foreign), "--no-sample"]) == 1
    assert "không phải kho của ứng dụng này" in capsys.readouterr().err

    newer = tmp_path / "newer.duckdb"
    assert main(["init", "--db", str(newer), "--no-sample"]) == 0
    con = duckdb.connect(str(newer))
    con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    con.close()
    capsys.readouterr()
    assert main(["batches", "--db", str(newer)]) == 1
    assert "phiên bản cấu trúc 99" in capsys.readouterr().err

    con = duckdb.connect(str(newer))
    con.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    con.close()
    assert main(["init", "--db", str(newer), "--no-sample"]) == 1
    assert "quá cũ để nâng cấp tự động" in capsys.readouterr().err

    garbage = tmp_path / "garbage.duckdb"
    garbage.write_bytes(b"not a database at all" * 100)
    assert main(["batches", "--db", str(garbage)]) == 1
    assert "Không mở được kho dữ liệu" in capsys.readouterr().err


def test_module_entry_point_and_no_streamlit_import(empty_db: Path, tmp_path: Path) -> None:
    """`python -m etl` runs as documented, and the ETL never loads Streamlit."""
    path = write_xlsx(tmp_path / "sai.xlsx", wide_with(5, 2, 140))
    code = (
        "import runpy, sys; sys.argv = ['etl', 'load', sys.argv[1], '--db', sys.argv[2]];\n"
        "try:\n    runpy.run_module('etl', run_name='__main__')\n"
        "except SystemExit as e:\n"
        "    assert 'streamlit' not in sys.modules, 'etl imported streamlit'\n"
        "    raise\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path), str(empty_db)],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env={"LANG": "vi_VN.UTF-8", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert f"{path}:Báo cáo!C6: " in done.stderr
    assert done.stdout == ""
