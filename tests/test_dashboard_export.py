"""Downloads: CSV that Excel opens with Vietnamese letters intact, XLSX with a bold header."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
from openpyxl import load_workbook

from dashboard.export import to_csv_bytes, to_xlsx_bytes

FRAME = pd.DataFrame(
    {
        "unit_name": ["Quận Ô Môn", "Huyện Thới Lai"],
        "period_start": [pd.Timestamp("2012-01-01"), pd.Timestamp("2013-01-01")],
        "value": [9.52, float("nan")],
        "unit_code": ["917", "00927"],
    }
)


def test_csv_has_a_bom_and_keeps_codes_as_text() -> None:
    data = to_csv_bytes(FRAME)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == "unit_name,period_start,value,unit_code"
    assert "Quận Ô Môn" in text and "00927" in text


def test_xlsx_has_a_bold_frozen_header_and_typed_cells() -> None:
    book = load_workbook(io.BytesIO(to_xlsx_bytes({"Bảng": FRAME, "Dữ liệu": FRAME.head(1)})))
    assert book.sheetnames == ["Bảng", "Dữ liệu"]
    sheet = book["Bảng"]
    assert [cell.value for cell in sheet[1]] == list(FRAME.columns)
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet["A2"].value == "Quận Ô Môn"
    assert sheet["B2"].value.date() == date(2012, 1, 1)
    assert sheet["B2"].number_format == "DD/MM/YYYY"
    assert sheet["C2"].value == 9.52 and sheet["C3"].value is None
    assert sheet["D3"].value == "00927"
    assert book["Dữ liệu"].max_row == 2


def test_a_single_frame_gets_one_named_sheet() -> None:
    book = load_workbook(io.BytesIO(to_xlsx_bytes(FRAME, sheet_name="Data")))
    assert book.sheetnames == ["Data"]
