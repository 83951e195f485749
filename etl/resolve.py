"""Turn raw records into tidy, validated rows, collecting every problem in one pass."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from etl.errors import Problem
from etl.layout import Cell, Cells, Column, SheetTable, cell_name
from etl.lookup import Catalogue, Family, IndicatorEntry
from etl.messages import register
from etl.periods import Period, parse_date, parse_period, period_from_dates
from etl.text import clean, fold, is_blank, vn_number
from etl.values import ValueParseError, parse_value

KEY = ["unit_code", "indicator_code", "period_start", "period_end"]
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
        "value_formula_uncached": (
            "Ô có công thức {value} nhưng chưa có kết quả (tệp được tạo bằng chương trình khác "
            "và chưa mở bằng Excel). Mở tệp bằng Excel, lưu lại rồi tải lên lại.",
            "The cell holds the formula {value} without a computed result (the file was made "
            "by another program and never opened in Excel). Open it in Excel, save it and "
            "upload it again.",
        ),
        "column_not_understood": (
            "Không hiểu cột “{value}” (không phải kỳ, chỉ tiêu hay đơn vị nào đã biết) nên "
            "{count} ô dưới tiêu đề này không được lưu. Nếu đó là số liệu, sửa tiêu đề cột "
            "(ví dụ “Năm 2025”, “Tháng 5/2025”, tên chỉ tiêu) rồi tải lên lại.",
            "Column “{value}” is not understood (not a known period, indicator or unit), so "
            "the {count} cells under it are not stored. If they are figures, correct the "
            "column heading (e.g. “Năm 2025”, “Tháng 5/2025”, an indicator name) and upload "
            "again.",
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
        "indicator_family_missing": (
            "Các cột Dự toán / Thực hiện / So sánh không ghi là của chỉ tiêu nào. Thêm dòng "
            "“Chỉ tiêu: <tên chỉ tiêu>” phía trên bảng, hoặc chọn chỉ tiêu khi tải lên "
            "(--indicator MÃ), một trong: {families}.",
            "Which indicator the Dự toán / Thực hiện / So sánh columns belong to is not said. "
            "Add a line “Chỉ tiêu: <name>” above the table, or choose the indicator when "
            "loading (--indicator CODE), one of: {families}.",
        ),
        "indicator_not_in_family": (
            "Chỉ tiêu “{value}” không có dự toán và thực hiện, nên không đọc được các cột Dự "
            "toán / Thực hiện / So sánh. Ghi hoặc chọn một chỉ tiêu có các cột đó: {families}.",
            "Indicator “{value}” has no estimate and actual, so the Dự toán / Thực hiện / So "
            "sánh columns cannot be read. Write or choose an indicator that has them: "
            "{families}.",
        ),
        "ratio_mismatch": (
            "Tỷ lệ ghi {ratio}, nhưng thực hiện {actual} (ô {actual_cell}) / dự toán {plan} "
            "(ô {plan_cell}) × {scale} = {computed}. Kiểm tra lại ba số liệu này.",
            "The ratio says {ratio}, but actual {actual} (cell {actual_cell}) / plan {plan} "
            "(cell {plan_cell}) × {scale} = {computed}. Check these three figures.",
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
    frames: list[pd.DataFrame] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def frame(self) -> pd.DataFrame:
        """Every stored-to-be row of the file, in ROW_COLUMNS order."""
        if not self.frames:
            return rows_frame([])
        return pd.concat(self.frames, ignore_index=True)[ROW_COLUMNS]


class _RecordError(Exception):
    def __init__(self, cell: Cell | None, key: str, **params: Any) -> None:
        super().__init__(key)
        self.cell = cell
        self.key = key
        self.params = params


_MISSING: Any = object()
_FORMULA_STARTS = ("=", "+", "@")  # a name starting so is never a unit
_MISSING_VALUE = _RecordError(None, "missing_value")


class _Memo:
    """Results (or the error) of resolving each distinct raw value once."""

    def __init__(self, compute: Any) -> None:
        self.compute = compute
        self.seen: dict[Any, Any] = {}

    def __call__(self, raw: Any) -> Any:
        try:
            found = self.seen.get(raw, _MISSING)
        except TypeError:  # unhashable: do not cache
            return self._compute(raw)
        if found is _MISSING:
            found = self.seen[raw] = self._compute(raw)
        return found

    def _compute(self, raw: Any) -> Any:
        try:
            return self.compute(raw)
        except _RecordError as err:
            return err


class Resolver:
    """Resolves the value cells of one file against one catalogue."""

    def __init__(self, catalogue: Catalogue, file_label: str, defaults: Defaults) -> None:
        self.catalogue = catalogue
        self.file_label = file_label
        self.defaults = defaults
        self.result = Resolved()
        self._seen = pd.DataFrame(columns=[*KEY, "source_sheet", "source_cell"])
        self._reported: set[tuple[str, str, str]] = set()
        self._values = _Memo(_parse_raw_number)
        self._periods = _Memo(self._parse_period)
        self._statuses = _Memo(self._parse_status)
        self._indicators = _Memo(self._find_indicator)
        self._units: dict[tuple[Any, date, date], Any] = {}

    def problem(
        self,
        sheet: str,
        cell: Cell | str | None,
        key: str,
        severity: str = "error",
        **params: Any,
    ) -> None:
        name = cell if isinstance(cell, str) else cell.name if cell is not None else ""
        once = (sheet, name, key)
        if once in self._reported:
            return  # the same title line or header cell fails for every row: say it once
        self._reported.add(once)
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
        for header, filled in table.ignored_columns:
            self.problem(
                table.sheet,
                header,
                "column_not_understood",
                "warning",
                value=clean(header.value),
                count=filled,
            )
        if table.cells is None:
            return
        frame = self._resolve_cells(table, table.cells)
        self.result.frames.append(frame)
        self._check_totals(table, frame)
        if table.by_family_role:
            self._check_ratios(table, frame)

    def add_cell_errors(self, table: SheetTable, errors: dict[tuple[int, int], str]) -> None:
        """Excel error values and formulas never calculated, inside the table: the reader
        sees them as empty, but a figure is missing there and must not pass unnoticed."""
        columns = {*table.columns.values(), *(spread.col for spread in table.spreads)}
        last_row = table.last_row
        for (row, col), text in sorted(errors.items()):
            if table.header_row < row <= last_row and col in columns:
                key = "value_formula_uncached" if text.startswith("=") else "value_excel_error"
                self.problem(table.sheet, Cell(None, row, col), key, value=text)

    def _resolve_cells(self, table: SheetTable, cells: Cells) -> pd.DataFrame:
        """Resolve every role of every value cell; report the first failure of each cell
        (in the order value, indicator, period, unit, range, status, target); return the
        rows of the cells that passed."""
        failures: dict[int, _RecordError] = {}
        values = self._column_values(cells, failures)
        if None in values:  # a missing value is not stored, and nothing else is checked
            for i in (i for i, parsed in enumerate(values) if parsed is None):
                failures.setdefault(i, _MISSING_VALUE)
        indicators = self._column_indicators(table, cells, failures)
        periods = self._column_periods(table, cells, failures)
        units = self._column_units(table, cells, periods, failures)
        self._check_ranges(cells, values, indicators, failures)
        statuses = self._column_statuses(table, cells, failures)
        targets = self._column_targets(cells, failures)
        for i in sorted(failures):
            err = failures[i]
            if err is not _MISSING_VALUE:
                self.problem(table.sheet, err.cell, err.key, **err.params)
        if failures:
            keep = [i for i in range(len(cells)) if i not in failures]
        else:
            keep = list(range(len(cells)))
        frame, keys_unique = self._frame(
            table, cells, keep, values, indicators, periods, units, statuses, targets
        )
        return self._without_duplicates(frame, keys_unique)

    # -- one role at a time -------------------------------------------------------------

    def _column_values(self, cells: Cells, failures: dict[int, _RecordError]) -> list[Any]:
        """(value, qualifier) per cell; None for a missing value (never stored) or a failure."""
        out: list[Any] = []
        for i, raw in enumerate(cells.value.raw):
            if type(raw) is float and raw == raw:  # the common case: a number cell, not NaN
                out.append((raw, None))
                continue
            parsed = self._values(raw)
            if isinstance(parsed, _RecordError):
                failures.setdefault(
                    i, _RecordError(cells.value.cell(i), parsed.key, **parsed.params)
                )
                parsed = None
            out.append(parsed)
        return out

    def _column_indicators(
        self, table: SheetTable, cells: Cells, failures: dict[int, _RecordError]
    ) -> list[str | None]:
        if table.by_family_role:
            return self._family_role_indicators(table, cells, failures)
        header = Cell(None, table.header_row, table.columns.get("unit", 0))
        column = self._source(
            table,
            cells,
            "indicator",
            self.defaults.indicator,
            failures,
            missing=_RecordError(header, "indicator_missing"),
        )
        if not isinstance(column, Column):
            return column
        return self._apply(column, self._indicators, failures)

    def _family_role_indicators(
        self, table: SheetTable, cells: Cells, failures: dict[int, _RecordError]
    ) -> list[str | None]:
        """The indicator of each cell of a table by family roles: the role its column
        header names (Dự toán, Thực hiện, So sánh) in the family the sheet or user says."""
        family = self._family(table)
        if isinstance(family, _RecordError):
            for i in range(len(cells)):
                failures.setdefault(i, family)
            return [None] * len(cells)
        by_col = {spread.col: family.code(spread.role or "") for spread in table.spreads}
        cols = cells.value.cols
        if isinstance(cols, int):
            return [by_col[cols]] * len(cells)
        return [by_col[col] for col in cols]

    def _family(self, table: SheetTable) -> Family | _RecordError:
        """The family a title line names, else the one of the indicator the user chose."""
        families = ", ".join(sorted(self.catalogue.families))
        said = table.meta.get("indicator")
        where = said or table.spreads[0].header
        text = str(said.value) if said is not None else self.defaults.indicator
        if not text:
            return _RecordError(where, "indicator_family_missing", families=families)
        found = self.catalogue.family_of(text)
        if found is None:
            value = clean(text)
            return _RecordError(where, "indicator_not_in_family", value=value, families=families)
        return found

    def _source(
        self,
        table: SheetTable,
        cells: Cells,
        role: str,
        default: str | None,
        failures: dict[int, _RecordError],
        *,
        missing: _RecordError,
    ) -> Column | list[Any]:
        """Where a role comes from for every cell: the table's column, else a title line,
        else what the user said (a plain list); else every cell fails with ``missing``."""
        column: Column | None = getattr(cells, role)
        if column is not None:
            return column
        meta = table.meta.get(role)
        if meta is not None:
            return Column([meta.value] * len(cells), meta.row, meta.col)
        if default:
            return [default] * len(cells)
        for i in range(len(cells)):
            failures.setdefault(i, missing)
        return [None] * len(cells)

    def _column_periods(
        self, table: SheetTable, cells: Cells, failures: dict[int, _RecordError]
    ) -> list[Period | None]:
        if cells.period_parsed is not None:
            return list(cells.period_parsed)
        if cells.period_from is not None or cells.period_to is not None:
            return [self._period_between(cells, i, failures) for i in range(len(cells))]
        column = cells.period
        if column is None:
            meta = table.meta.get("period")
            if meta is not None:
                column = Column([meta.value] * len(cells), meta.row, meta.col)
            elif self.defaults.period is not None:
                column = Column(
                    [self.defaults.period] * len(cells), cells.value.rows, cells.value.cols
                )
            else:
                for i in range(len(cells)):
                    failures.setdefault(i, _RecordError(cells.value.cell(i), "period_missing"))
                return [None] * len(cells)
        return self._apply(column, self._periods, failures)

    def _column_units(
        self,
        table: SheetTable,
        cells: Cells,
        periods: list[Period | None],
        failures: dict[int, _RecordError],
    ) -> list[str | None]:
        header = Cell(None, table.header_row, table.columns.get("indicator", 0))
        column = self._source(
            table,
            cells,
            "unit",
            self.defaults.unit,
            failures,
            missing=_RecordError(header, "unit_missing"),
        )
        if not isinstance(column, Column):
            return column
        timeless = {raw: self._timeless_unit(raw) for raw in dict.fromkeys(column.raw)}
        if None not in timeless.values():  # the usual case: no name depends on the period
            return list(map(timeless.__getitem__, column.raw))
        # one lookup per distinct (name, period); periods are shared objects, keyed by id
        keys = list(zip(column.raw, map(id, periods), strict=True))
        by_id = {id(period): period for period in periods}
        found = {key: self._unit(key[0], by_id[key[1]]) for key in dict.fromkeys(keys)}
        if not any(isinstance(result, _RecordError) for result in found.values()):
            return cast(list[str | None], list(map(found.__getitem__, keys)))
        out: list[str | None] = []
        for i, key in enumerate(keys):
            result = found[key]
            if isinstance(result, _RecordError):
                failures.setdefault(i, _RecordError(column.cell(i), result.key, **result.params))
                out.append(None)
            else:
                out.append(result)
        return out

    def _timeless_unit(self, raw: Any) -> str | None:
        """The one unit a name means whatever the period (the unit has always existed),
        else None: the name is then looked up period by period."""
        if type(raw) is not str:
            return None
        name = clean(raw)
        if name.startswith(_FORMULA_STARTS):
            return None
        candidates = self.catalogue.find_units(name)
        if len(candidates) != 1:
            return None
        entry = self.catalogue.units[next(iter(candidates))]
        return entry.code if entry.valid_from is None and entry.valid_to is None else None

    def _unit(self, raw: Any, period: Period | None) -> str | _RecordError | None:
        """The unit code a name stands for in a period (cached), or why there is none."""
        if period is None:
            return None
        key = (raw, period.start, period.end)
        found = self._units.get(key, _MISSING)
        if found is _MISSING:
            try:
                found = self._find_unit(raw, period)
            except _RecordError as err:
                found = err
            self._units[key] = found
        return cast(str | _RecordError, found)

    def _check_ranges(
        self,
        cells: Cells,
        values: list[Any],
        indicators: list[str | None],
        failures: dict[int, _RecordError],
    ) -> None:
        entries = self.catalogue.indicators
        numbers = np.fromiter(
            (math.nan if parsed is None else parsed[0] for parsed in values),
            dtype=float,
            count=len(values),
        )
        codes, distinct = pd.factorize(pd.Series(indicators, dtype=object), use_na_sentinel=True)
        doubtful = np.zeros(len(values), dtype=bool)
        for index, code in enumerate(distinct):
            entry = entries[code]
            low, high = entry.min_value, entry.max_value
            here = codes == index
            if low is not None:
                doubtful |= here & (numbers < low)
            if high is not None:
                doubtful |= here & (numbers > high)
            if entry.kind == "count":
                doubtful |= here & ((numbers < 0) | (numbers != np.floor(numbers)))
        doubtful &= ~np.isnan(numbers)  # no value: nothing to check
        for i in np.flatnonzero(doubtful).tolist():
            code = indicators[i]
            assert code is not None and values[i] is not None
            try:
                _check_value(entries[code], values[i][0])
            except _RecordError as err:
                failures.setdefault(i, _RecordError(cells.value.cell(i), err.key, **err.params))

    def _column_statuses(
        self, table: SheetTable, cells: Cells, failures: dict[int, _RecordError]
    ) -> list[str]:
        column = cells.status
        if column is None:
            meta = table.meta.get("status")
            if meta is None:
                return ["reported"] * len(cells)
            column = Column([meta.value] * len(cells), meta.row, meta.col)
        return [s or "reported" for s in self._apply(column, self._statuses, failures)]

    def _column_targets(
        self, cells: Cells, failures: dict[int, _RecordError]
    ) -> list[float | None]:
        if cells.target is None:
            return [None] * len(cells)
        out: list[float | None] = []
        for i, raw in enumerate(cells.target.raw):
            parsed = self._values(raw) if not is_blank(raw) else None
            if isinstance(parsed, _RecordError):
                failures.setdefault(
                    i, _RecordError(cells.target.cell(i), parsed.key, **parsed.params)
                )
                parsed = None
            out.append(parsed[0] if parsed else None)
        return out

    def _apply(self, column: Column, memo: _Memo, failures: dict[int, _RecordError]) -> list[Any]:
        """``memo`` of every raw value, each distinct one resolved once; a cell whose value
        fails gets None and its failure."""
        raws = column.raw
        try:
            distinct = dict.fromkeys(raws)
        except TypeError:  # something unhashable: one at a time
            distinct = None
        if distinct is not None:
            found = {raw: memo(raw) for raw in distinct}
            if not any(isinstance(result, _RecordError) for result in found.values()):
                return list(map(found.__getitem__, raws))  # the usual case, at C speed
        out: list[Any] = []
        for i, raw in enumerate(raws):
            result = memo(raw)
            if isinstance(result, _RecordError):
                cell = result.cell if result.cell is not None else column.cell(i)
                failures.setdefault(i, _RecordError(cell, result.key, **result.params))
                out.append(None)
            else:
                out.append(result)
        return out

    # -- resolving one distinct raw value ------------------------------------------------

    def _find_indicator(self, raw: Any) -> str:
        code = self.catalogue.find_indicator(str(raw))
        if code is None:
            suggestions = ", ".join(self.catalogue.closest_indicators(str(raw))) or "—"
            raise _RecordError(None, "indicator_unknown", value=clean(raw), suggestions=suggestions)
        return code

    def _parse_period(self, raw: Any) -> Period:
        period = parse_period(raw)
        if period is None:
            raise _RecordError(None, "period_unknown", value=clean(raw))
        return period

    def _parse_status(self, raw: Any) -> str | None:
        if is_blank(raw):
            return None  # an empty "Loại số liệu" cell: a reported figure
        status = STATUS_WORDS.get(fold(raw))
        if status is None:
            raise _RecordError(None, "status_unknown", value=clean(raw))
        return status

    def _find_unit(self, raw: Any, period: Period) -> str:
        name = clean(raw)
        if name.startswith(_FORMULA_STARTS):
            raise _RecordError(None, "unit_looks_like_formula", value=name)
        code, candidates = self.catalogue.unit_for_period(name, period.start, period.end)
        if code is not None:
            return code
        if not candidates:
            suggestions = ", ".join(self.catalogue.closest_units(name)) or "—"
            raise _RecordError(None, "unit_unknown", value=name, suggestions=suggestions)
        if len(candidates) == 1:
            unit = self.catalogue.units[next(iter(candidates))]
            valid = f"{_fmt(unit.valid_from)} – {_fmt(unit.valid_to)}"
            raise _RecordError(
                None, "unit_not_valid", value=name, period=period.label_vi, valid=valid
            )
        raise _RecordError(None, "unit_ambiguous", value=name, codes=", ".join(sorted(candidates)))

    def _period_between(
        self, cells: Cells, i: int, failures: dict[int, _RecordError]
    ) -> Period | None:
        start_cell = cells.period_from.cell(i) if cells.period_from is not None else None
        end_cell = cells.period_to.cell(i) if cells.period_to is not None else None
        try:
            return _period_between(
                None if start_cell is None or is_blank(start_cell.value) else start_cell,
                None if end_cell is None or is_blank(end_cell.value) else end_cell,
                cells.value.cell(i),
            )
        except _RecordError as err:
            failures.setdefault(i, err)
            return None

    # -- assembling ---------------------------------------------------------------------

    def _without_duplicates(self, frame: pd.DataFrame, keys_unique: bool) -> pd.DataFrame:
        """Drop, and report, a second value for the same unit, indicator and period;
        ``keys_unique`` says the frame itself holds none twice."""
        keys = frame[KEY]
        seen = self._seen
        if seen.empty and keys_unique:  # the usual first table: nothing to compare
            self._seen = frame[[*KEY, "source_sheet", "source_cell"]]
            return frame
        duplicated = keys.duplicated(keep="first").to_numpy()
        if not seen.empty:
            earlier = keys.merge(seen[KEY], on=KEY, how="left", indicator=True)["_merge"]
            duplicated = duplicated | (earlier == "both").to_numpy()
        if duplicated.any():
            where = pd.concat([seen, frame[~duplicated][[*KEY, "source_sheet", "source_cell"]]])
            first = where.drop_duplicates(KEY).set_index(KEY)
            for row in frame[duplicated].itertuples(index=False):
                other = first.loc[
                    (row.unit_code, row.indicator_code, row.period_start, row.period_end)
                ]
                self.problem(
                    row.source_sheet,
                    row.source_cell,
                    "duplicate_in_file",
                    other=f"{other.source_sheet}!{other.source_cell}",
                )
            frame = frame[~duplicated]
        self._seen = pd.concat(
            [seen, frame[[*KEY, "source_sheet", "source_cell"]]], ignore_index=True
        )
        return frame

    def _frame(
        self,
        table: SheetTable,
        cells: Cells,
        keep: list[int],
        values: list[Any],
        indicators: list[Any],
        periods: list[Any],
        units: list[Any],
        statuses: list[str],
        targets: list[float | None],
    ) -> tuple[pd.DataFrame, bool]:
        """The rows of the kept cells, and whether no (unit, indicator, period) is twice."""
        unit_names = {code: entry.name_vi for code, entry in self.catalogue.units.items()}
        indicator_names = {c: e.name_vi for c, e in self.catalogue.indicators.items()}

        def kept(column: list[Any]) -> list[Any]:
            return column if len(keep) == len(column) else [column[i] for i in keep]

        kept_values, kept_statuses = kept(values), kept(statuses)
        unit_codes, units_seen = _codes(kept(units))
        indicator_codes, indicators_seen = _codes(kept(indicators))
        period_ids = list(map(id, kept(periods)))
        period_codes, periods_seen = _codes(period_ids)
        by_id = dict(zip(period_ids, kept(periods), strict=True))
        distinct_periods = [by_id[key] for key in periods_seen]
        unit_at, indicator_at = pa.array(unit_codes), pa.array(indicator_codes)
        # one number per (unit, indicator, period dates): equal periods may be two objects
        span_codes, spans = _codes([(p.start, p.end) for p in distinct_periods])
        keys = (unit_codes * len(indicators_seen) + indicator_codes) * max(
            len(spans), 1
        ) + span_codes[period_codes]
        keys.sort()  # faster than np.unique here
        keys_unique = not (keys[1:] == keys[:-1]).any()

        def period_part(attribute: str, kind: pa.DataType) -> pa.Array:
            parts = [getattr(period, attribute) for period in distinct_periods]
            return pa.array(parts, kind).take(pa.array(period_codes))

        rows, cols = cells.value.rows, cells.value.cols
        assert isinstance(rows, list)
        if isinstance(cols, list):
            letters = {c: cell_name(0, c)[:-1] for c in set(cols)}
            kept_letters = pa.array(list(map(letters.__getitem__, kept(cols))), pa.string())
        else:
            kept_letters = pa.array([cell_name(0, cols)[:-1]] * len(keep), pa.string())
        row_numbers = pa.array(np.asarray(kept(rows), dtype=np.int64) + 1).cast(pa.string())
        preliminary = period_part("is_preliminary", pa.bool_()).to_numpy(zero_copy_only=False)
        if set(kept_statuses) <= {"reported"}:  # the usual case: no status column
            illustrative = np.zeros(len(keep), dtype=bool)
        else:
            status_array = np.asarray(kept_statuses, dtype=object)
            illustrative = status_array == "illustrative"
            preliminary = preliminary | (status_array == "preliminary")
        numbers, qualifiers = zip(*kept_values, strict=True) if kept_values else ((), ())
        columns = {  # Arrow from distinct values and codes: far faster than from lists
            "unit_code": pa.array(units_seen, pa.string()).take(unit_at),
            "unit_name": pa.array([unit_names[u] for u in units_seen]).take(unit_at),
            "indicator_code": pa.array(indicators_seen, pa.string()).take(indicator_at),
            "indicator_name": pa.array(
                [indicator_names[code] for code in indicators_seen], pa.string()
            ).take(indicator_at),
            "period_type": period_part("period_type", pa.string()),
            "period_label": period_part("label_vi", pa.string()),
            "value": pa.array(numbers, pa.float64()),
            "qualifier": pa.array(qualifiers, pa.string()),
            "target": pa.array(kept(targets), pa.float64()),
            "note": pa.array(kept(cells.note) if cells.note else [None] * len(keep), pa.string()),
            "is_illustrative": pa.array(illustrative, pa.bool_()),
            "is_preliminary": pa.array(preliminary, pa.bool_()),
            "source_sheet": pa.array([table.sheet] * len(keep), pa.string()),
            "source_cell": pc.binary_join_element_wise(kept_letters, row_numbers, ""),
        }
        names = [name for name in ROW_COLUMNS if name in columns]
        frame = pa.table([columns[name] for name in names], names=names).to_pandas()
        for name, attribute in (("period_start", "start"), ("period_end", "end")):
            dates = np.array([getattr(period, attribute) for period in distinct_periods], object)
            frame.insert(ROW_COLUMNS.index(name), name, dates[period_codes])  # few distinct
        return frame, keys_unique

    def _check_ratios(self, table: SheetTable, frame: pd.DataFrame) -> None:
        """Warn where a ratio column disagrees with its actual and plan columns."""
        family = self._family(table)
        if isinstance(family, _RecordError) or frame.empty:
            return
        for row in _ratio_mismatches(frame, family).itertuples(index=False):
            self.problem(
                table.sheet,
                str(row.ratio_cell),
                "ratio_mismatch",
                "warning",
                ratio=_vn_number(float(row.ratio)),
                actual=_vn_number(float(row.actual)),
                plan=_vn_number(float(row.plan)),
                actual_cell=row.actual_cell,
                plan_cell=row.plan_cell,
                scale=_vn_number(family.scale),
                computed=_vn_number(float(row.computed)),
            )

    def _check_totals(self, table: SheetTable, frame: pd.DataFrame) -> None:
        """Warn where a total row differs from the sum of the rows of its column."""
        totals = table.total_cells
        if totals is None or not len(totals) or frame.empty:
            return  # nothing to compare (and no sums to make over a large table)
        unread: dict[int, _RecordError] = {}  # a total we cannot read is not stored either
        values = self._column_values(totals, unread)
        unread.update({i: _MISSING_VALUE for i, v in enumerate(values) if v is None})
        indicators = self._column_indicators(table, totals, unread)
        periods = self._column_periods(table, totals, unread)
        sums = frame.groupby(["indicator_code", "period_start", "period_end"])["value"].sum()
        for i in range(len(totals)):
            code, period, parsed = indicators[i], periods[i], values[i]
            if i in unread or parsed is None or code is None or period is None:
                continue
            if self.catalogue.indicators[code].unit_aggregation != "sum":
                continue
            parts = sums.get((code, period.start, period.end))
            if parts is not None and abs(parts - parsed[0]) > max(0.5, 0.005 * abs(parts)):
                self.problem(
                    table.sheet,
                    totals.value.cell(i),
                    "total_mismatch",
                    "warning",
                    total=_num(parsed[0]),
                    parts=_num(float(parts)),
                )


RATIO_TOLERANCE = 0.5  # points: what rounding a ratio shown with no or one decimal explains


def _ratio_mismatches(frame: pd.DataFrame, family: Family) -> pd.DataFrame:
    """The ratio rows of a family that differ from scale × actual / plan of the same unit and
    period by more than rounding, with the parts and the computed ratio."""
    on = ["unit_code", "period_start", "period_end"]
    picked = [*on, "value", "source_cell"]
    parts = [
        frame.loc[frame["indicator_code"] == family.code(role), picked].rename(
            columns={"value": role, "source_cell": f"{role}_cell"}
        )
        for role in ("ratio", "actual", "plan")
    ]
    joined = parts[0].merge(parts[1], on=on).merge(parts[2], on=on)
    joined = joined[joined["plan"] != 0]
    joined["computed"] = family.scale * joined["actual"] / joined["plan"]
    return joined[(joined["ratio"] - joined["computed"]).abs() > RATIO_TOLERANCE]


def _parse_raw_number(raw: Any) -> tuple[float, str | None] | None:
    try:
        parsed = parse_value(raw)
    except ValueParseError as err:
        raise _RecordError(None, err.key, **err.params) from err
    if parsed.value is None or math.isnan(parsed.value):
        return None
    return parsed.value, parsed.qualifier


def _check_value(indicator: IndicatorEntry, value: float) -> None:
    low, high = indicator.min_value, indicator.max_value
    if (low is not None and value < low) or (high is not None and value > high):
        raise _RecordError(
            None,
            "value_out_of_range",
            value=_num(value),
            indicator=indicator.name_vi,
            low=_bound(low),
            high=_bound(high),
        )
    if indicator.kind == "count" and (value < 0 or not float(value).is_integer()):
        raise _RecordError(None, "value_not_whole", value=_num(value), indicator=indicator.name_vi)


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


def _codes(values: list[Any]) -> tuple[np.ndarray, list[Any]]:
    """Each value's position among the distinct values (in order of first appearance),
    and those values: a column of a few distinct values is then built from them once."""
    distinct = list(dict.fromkeys(values))
    index = {value: position for position, value in enumerate(distinct)}
    codes = np.fromiter(map(index.__getitem__, values), dtype=np.int64, count=len(values))
    return codes, distinct


def _num(value: float) -> str:
    return vn_number(value)


def _vn_number(value: float) -> str:
    """107.6923 → "107,69": two decimals at most."""
    return vn_number(value, 2)


def _bound(value: float | None) -> str:
    return "…" if value is None else _num(value)


def rows_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The tidy rows as a DataFrame with a fixed column order (empty when no rows)."""
    return pd.DataFrame.from_records(rows, columns=ROW_COLUMNS)
