"""Turn raw records into tidy, validated rows, collecting every problem in one pass."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from etl.errors import Problem
from etl.layout import Cell, RawRecord, SheetTable
from etl.lookup import Catalogue
from etl.messages import register
from etl.periods import Period, parse_date, parse_period, period_from_dates
from etl.text import clean, fold
from etl.values import ValueParseError, parse_value

ROW_COLUMNS = [
    "unit_code",
    "unit_name",
    "indicator_code",
    "indicator_name",
    "period_start",
    "period_end",
    "period_type",
    "period_label",
    "value",
    "qualifier",
    "target",
    "note",
    "is_illustrative",
    "is_preliminary",
    "source_sheet",
    "source_cell",
]
STATUS_WORDS = {
    "bao cao": "reported",
    "chinh thuc": "reported",
    "reported": "reported",
    "minh hoa": "illustrative",
    "illustrative": "illustrative",
    "so bo": "preliminary",
    "uoc": "preliminary",
    "uoc tinh": "preliminary",
    "preliminary": "preliminary",
}

register(
    {
        "unit_unknown": (
            "Không có đơn vị “{value}” trong danh mục. Gần nhất: {suggestions}. Sửa tên cho "
            "đúng danh mục, hoặc đề nghị bổ sung đơn vị vào data/units.csv.",
            "Unit “{value}” is not in the catalogue. Closest: {suggestions}. Correct the name, "
            "or ask for the unit to be added to data/units.csv.",
        ),
        "unit_not_valid": (
            "Đơn vị “{value}” không tồn tại trong kỳ {period} (hiệu lực {valid}). Kiểm tra kỳ "
            "báo cáo hoặc dùng đơn vị kế thừa.",
            "Unit “{value}” did not exist during {period} (valid {valid}). Check the period or "
            "use its successor unit.",
        ),
        "unit_ambiguous": (
            "Tên “{value}” ứng với nhiều đơn vị ({codes}). Ghi mã đơn vị hoặc tên đầy đủ.",
            "The name “{value}” matches several units ({codes}). Write the unit code or its "
            "full name.",
        ),
        "unit_missing_in_row": (
            "Dòng có số liệu nhưng không ghi đơn vị. Điền tên đơn vị vào ô này.",
            "The row has figures but no unit. Fill in the unit's name in this cell.",
        ),
        "total_mismatch": (
            "Dòng tổng ghi {total} nhưng các đơn vị trong bảng cộng lại được {parts}. Kiểm tra "
            "xem có thiếu đơn vị hoặc sai số liệu không.",
            "The total row says {total} but the units of the table add up to {parts}. Check "
            "for a missing unit or a wrong figure.",
        ),
        "group_row_skipped": (
            "Dòng nhóm “{value}” (đánh số I, II…) không phải một đơn vị nên không được lưu.",
            "The group row “{value}” (numbered I, II…) is not a unit and is not stored.",
        ),
        "unit_missing": (
            "Bảng không có cột “Đơn vị”, nên không biết số liệu của đơn vị nào. Thêm cột "
            "“Đơn vị”, hoặc chọn đơn vị khi tải lên (--unit MÃ).",
            "The table has no “Đơn vị” column, so which unit the figures belong to is not "
            "said. Add a “Đơn vị” column, or choose the unit when loading (--unit CODE).",
        ),
        "unit_looks_like_formula": (
            "“{value}” trông như công thức, không phải tên đơn vị. Ghi tên đơn vị.",
            "“{value}” looks like a formula, not a unit name. Write the unit's name.",
        ),
        "indicator_unknown": (
            "Không có chỉ tiêu “{value}” trong danh mục. Gần nhất: {suggestions}. Ghi đúng tên "
            "chỉ tiêu.",
            "Indicator “{value}” is not in the catalogue. Closest: {suggestions}. Write the "
            "indicator's catalogue name.",
        ),
        "indicator_missing": (
            "Không biết bảng này là chỉ tiêu nào. Thêm dòng “Chỉ tiêu: <tên chỉ tiêu>” phía "
            "trên bảng, hoặc chọn chỉ tiêu khi tải lên (--indicator MÃ).",
            "Which indicator this table holds is not said. Add a line “Chỉ tiêu: <name>” above "
            "the table, or choose the indicator when loading (--indicator CODE).",
        ),
        "period_unknown": (
            "Không hiểu kỳ báo cáo “{value}”. Ghi theo mẫu “2012”, “Quý III/2012”, “6 tháng "
            "đầu năm 2025”, “Tháng 5/2025” hoặc “2020-2025”.",
            "Period “{value}” is not understood. Write it like “2012”, “Quý III/2012”, "
            "“6 tháng đầu năm 2025”, “Tháng 5/2025” or “2020-2025”.",
        ),
        "period_missing": (
            "Không biết số liệu thuộc kỳ nào. Thêm cột “Năm” hoặc dòng “Kỳ báo cáo: …” phía "
            "trên bảng, hoặc chỉ rõ khi tải lên (--period).",
            "The period of the figures is not said. Add a column “Năm” or a line “Kỳ báo cáo: "
            "…” above the table, or say it when loading (--period).",
        ),
        "period_dates_invalid": (
            "Từ ngày “{start}” đến ngày “{end}” không hợp lệ. Ghi ngày dạng dd/mm/yyyy, ngày "
            "bắt đầu không sau ngày kết thúc.",
            "From “{start}” to “{end}” is not a valid span. Write dates as dd/mm/yyyy, the "
            "start not after the end.",
        ),
        "status_unknown": (
            "Loại số liệu “{value}” không hợp lệ. Ghi “Báo cáo”, “Minh họa” hoặc “Sơ bộ”.",
            "Data status “{value}” is not valid. Write “Báo cáo”, “Minh họa” or “Sơ bộ”.",
        ),
        "value_out_of_range": (
            "Giá trị {value} của “{indicator}” nằm ngoài khoảng cho phép {low} – {high}. Kiểm "
            "tra lại số liệu và đơn vị tính.",
            "Value {value} of “{indicator}” is outside the allowed range {low} – {high}. Check "
            "the figure and its measure.",
        ),
        "value_not_whole": (
            "“{indicator}” là số đếm, phải là số nguyên không âm, nhưng ô ghi {value}. Sửa lại "
            "số liệu.",
            "“{indicator}” is a count and must be a whole non-negative number, but the cell "
            "holds {value}. Correct the figure.",
        ),
        "duplicate_in_file": (
            "Trùng với ô {other}: cùng đơn vị, chỉ tiêu và kỳ. Giữ lại một ô.",
            "Same unit, indicator and period as cell {other}. Keep only one.",
        ),
        "total_row_skipped": (
            "Dòng tổng “{value}” không được lưu như một đơn vị.",
            "The total row “{value}” is not stored as a unit.",
        ),
        "no_table": (
            "Không tìm thấy bảng số liệu: cần một dòng tiêu đề có cột “Đơn vị” và cột “Giá trị” "
            "hoặc các cột năm. Xem mẫu trong data/sample/.",
            "No data table found: a header row needs a column “Đơn vị” and a column “Giá trị” "
            "or year columns. See the examples in data/sample/.",
        ),
        "no_rows": (
            "Tệp không có số liệu nào để lưu. Kiểm tra lại các ô giá trị.",
            "The file has no figures to store. Check the value cells.",
        ),
    }
)


@dataclass(frozen=True)
class Defaults:
    """What the user said about a table that the file does not say."""

    indicator: str | None = None
    unit: str | None = None
    period: str | None = None


@dataclass
class Resolved:
    rows: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class _RecordError(Exception):
    def __init__(self, cell: Cell | None, key: str, **params: Any) -> None:
        super().__init__(key)
        self.cell = cell
        self.key = key
        self.params = params


class Resolver:
    """Resolves the records of one file against one catalogue."""

    def __init__(self, catalogue: Catalogue, file_label: str, defaults: Defaults) -> None:
        self.catalogue = catalogue
        self.file_label = file_label
        self.defaults = defaults
        self.result = Resolved()
        self._seen: dict[tuple[str, str, date, date], str] = {}

    def problem(
        self, sheet: str, cell: Cell | None, key: str, severity: str = "error", **params: Any
    ) -> None:
        name = cell.name if cell is not None else ""
        self.result.problems.append(Problem(self.file_label, sheet, name, key, params, severity))

    def add_table(self, table: SheetTable) -> None:
        for cell in table.rows_without_unit:
            self.problem(table.sheet, cell, "unit_missing_in_row")
        for total in table.total_rows:
            self.problem(
                table.sheet, total, "total_row_skipped", "warning", value=clean(total.value)
            )
        for group in table.group_rows:
            self.problem(
                table.sheet, group, "group_row_skipped", "warning", value=clean(group.value)
            )
        first_row = len(self.result.rows)
        for record in table.records:
            try:
                row = self._resolve(table, record)
            except _RecordError as err:
                self.problem(table.sheet, err.cell, err.key, **err.params)
                continue
            if row is not None:
                self._add_row(table.sheet, record, row)
        self._check_totals(table, self.result.rows[first_row:])

    def _check_totals(self, table: SheetTable, rows: list[dict[str, Any]]) -> None:
        """Warn where a total row differs from the sum of the rows of its column."""
        sums: dict[tuple[str, date, date], float] = {}
        for row in rows:
            key = (row["indicator_code"], row["period_start"], row["period_end"])
            sums[key] = sums.get(key, 0.0) + row["value"]
        for record in table.total_records:
            try:
                parsed = _parse_number(record.value)
                indicator = self.catalogue.indicators[self._indicator(table, record)]
                period = self._period(table, record)
            except _RecordError:
                continue  # a total we cannot read is not stored either
            if parsed is None or indicator.unit_aggregation != "sum":
                continue
            parts = sums.get((indicator.code, period.start, period.end))
            if parts is not None and abs(parts - parsed[0]) > max(0.5, 0.005 * abs(parts)):
                self.problem(
                    table.sheet,
                    record.value,
                    "total_mismatch",
                    "warning",
                    total=_num(parsed[0]),
                    parts=_num(parts),
                )

    def _add_row(self, sheet: str, record: RawRecord, row: dict[str, Any]) -> None:
        key = (row["unit_code"], row["indicator_code"], row["period_start"], row["period_end"])
        here = f"{sheet}!{record.value.name}"
        if key in self._seen:
            self.problem(sheet, record.value, "duplicate_in_file", other=self._seen[key])
            return
        self._seen[key] = here
        self.result.rows.append(row)

    def _resolve(self, table: SheetTable, record: RawRecord) -> dict[str, Any] | None:
        parsed = _parse_number(record.value)
        if parsed is None:
            return None  # a missing value is not stored, never as zero
        value, qualifier = parsed
        indicator_code = self._indicator(table, record)
        period = self._period(table, record)
        unit_code = self._unit(table, record.unit, period)
        self._check_value(record.value, indicator_code, value)
        status = self._status(table, record)
        target = _parse_number(record.target) if record.target is not None else None
        indicator = self.catalogue.indicators[indicator_code]
        return {
            "unit_code": unit_code,
            "unit_name": self.catalogue.units[unit_code].name_vi,
            "indicator_code": indicator_code,
            "indicator_name": indicator.name_vi,
            "period_start": period.start,
            "period_end": period.end,
            "period_type": period.period_type,
            "period_label": period.label_vi,
            "value": value,
            "qualifier": qualifier,
            "target": target[0] if target else None,
            "note": record.note,
            "is_illustrative": status == "illustrative",
            "is_preliminary": status == "preliminary" or period.is_preliminary,
            "source_sheet": table.sheet,
            "source_cell": record.value.name,
        }

    def _indicator(self, table: SheetTable, record: RawRecord) -> str:
        cell = record.indicator or table.meta.get("indicator")
        if cell is None:
            if self.defaults.indicator:
                return self.defaults.indicator
            header = Cell(None, table.header_row, table.columns.get("unit", 0))
            raise _RecordError(header, "indicator_missing")
        code = self.catalogue.find_indicator(str(cell.value))
        if code is None:
            suggestions = ", ".join(self.catalogue.closest_indicators(str(cell.value))) or "—"
            raise _RecordError(
                cell, "indicator_unknown", value=clean(cell.value), suggestions=suggestions
            )
        return code

    def _period(self, table: SheetTable, record: RawRecord) -> Period:
        if record.period_parsed is not None:
            return record.period_parsed
        if record.period_from is not None or record.period_to is not None:
            return _period_between(record.period_from, record.period_to, record.value)
        cell = record.period or table.meta.get("period")
        raw: Any = cell.value if cell is not None else self.defaults.period
        if raw is None:
            raise _RecordError(record.value, "period_missing")
        period = parse_period(raw)
        if period is None:
            raise _RecordError(cell or record.value, "period_unknown", value=clean(raw))
        return period

    def _unit(self, table: SheetTable, cell: Cell | None, period: Period) -> str:
        cell = cell or table.meta.get("unit")
        if cell is None:
            if self.defaults.unit:
                return self.defaults.unit
            header = Cell(None, table.header_row, table.columns["indicator"])
            raise _RecordError(header, "unit_missing")
        name = clean(cell.value)
        if name.startswith(("=", "+", "@")):
            raise _RecordError(cell, "unit_looks_like_formula", value=name)
        code, candidates = self.catalogue.unit_for_period(name, period.start, period.end)
        if code is not None:
            return code
        if not candidates:
            suggestions = ", ".join(self.catalogue.closest_units(name)) or "—"
            raise _RecordError(cell, "unit_unknown", value=name, suggestions=suggestions)
        if len(candidates) == 1:
            unit = self.catalogue.units[next(iter(candidates))]
            valid = f"{_fmt(unit.valid_from)} – {_fmt(unit.valid_to)}"
            raise _RecordError(
                cell, "unit_not_valid", value=name, period=period.label_vi, valid=valid
            )
        raise _RecordError(cell, "unit_ambiguous", value=name, codes=", ".join(sorted(candidates)))

    def _check_value(self, cell: Cell, indicator_code: str, value: float) -> None:
        indicator = self.catalogue.indicators[indicator_code]
        low, high = indicator.min_value, indicator.max_value
        if (low is not None and value < low) or (high is not None and value > high):
            raise _RecordError(
                cell,
                "value_out_of_range",
                value=_num(value),
                indicator=indicator.name_vi,
                low=_bound(low),
                high=_bound(high),
            )
        if indicator.kind == "count" and (value < 0 or not float(value).is_integer()):
            raise _RecordError(
                cell, "value_not_whole", value=_num(value), indicator=indicator.name_vi
            )

    def _status(self, table: SheetTable, record: RawRecord) -> str:
        cell = record.status or table.meta.get("status")
        if cell is None:
            return "reported"
        status = STATUS_WORDS.get(fold(cell.value))
        if status is None:
            raise _RecordError(cell, "status_unknown", value=clean(cell.value))
        return status


def _parse_number(cell: Cell) -> tuple[float, str | None] | None:
    try:
        parsed = parse_value(cell.value)
    except ValueParseError as err:
        raise _RecordError(cell, err.key, **err.params) from err
    if parsed.value is None or math.isnan(parsed.value):
        return None
    return parsed.value, parsed.qualifier


def _period_between(start_cell: Cell | None, end_cell: Cell | None, value: Cell) -> Period:
    start = parse_date(start_cell.value) if start_cell is not None else None
    end = parse_date(end_cell.value) if end_cell is not None else None
    if start is None or end is None or start > end:
        where = start_cell or end_cell or value
        raise _RecordError(
            where,
            "period_dates_invalid",
            start=clean(start_cell.value) if start_cell is not None else "",
            end=clean(end_cell.value) if end_cell is not None else "",
        )
    return period_from_dates(start, end)


def _fmt(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "…"


def _num(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _bound(value: float | None) -> str:
    return "…" if value is None else _num(value)


def rows_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The tidy rows as a DataFrame with a fixed column order (empty when no rows)."""
    return pd.DataFrame.from_records(rows, columns=ROW_COLUMNS)
