"""dashboard.ranking on a tiny warehouse whose numbers are worked out by hand.

The warehouse holds the catalogue (``etl init --no-sample``) and one report loaded
through the ETL, under Thành phố Cần Thơ (92):

poverty rate (lower is better), %:

| unit                    | 2012                  | 2013 | 2014                  |
| ----------------------- | --------------------- | ---- | --------------------- |
| 916 Quận Ninh Kiều      | 5                     | —    | 2                     |
| 917 Quận Ô Môn          | 3                     | —    | 4                     |
| 918 Quận Bình Thủy      | (10 + 30) / (100 + 900) = 4, from its units | — | the same: 4 |
| 919 Quận Cái Răng       | —                     | —    | 1,5                   |
| 923 Quận Thốt Nốt       | —                     | —    | 6                     |

918 reports no rate: its units do, as parts (Phường Trà Nóc 10 poor of 100 households,
the tax office 30 of 900). Its rate is 100 × 40 / 1 000 = 4 %; the mean of the two
rates would be (10 + 3,33) / 2 = 6,67 % and rank it last. Nobody reported 2013, so
2014's ranks move from 2012's:

- 2012: 917 (3) 1st, 918 (4) 2nd, 916 (5) 3rd.
- 2014: 919 (1,5) 1st, new; 916 (2) 2nd, up 1 from 3rd; 917 and 918 (4) tie 3rd,
  917 down 2 from 1st, 918 down 1 from 2nd; 923 (6) 5th, new (competition ranking:
  no 4th).

disbursement rate of public investment (higher is better), 2014, target 100 each:
916 90, 917 "hơn 95" (a lower bound), 919 97 (illustrative): 919 1st, 917 2nd, 916 3rd.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboard import queries, ranking
from etl.cli import main as etl_main
from etl.load import load_file

REPORT = """\
Đơn vị;Chỉ tiêu;Năm;Giá trị;Kế hoạch;Loại số liệu
Quận Ninh Kiều;Tỷ lệ hộ nghèo;2012;5;;Báo cáo
Quận Ô Môn;Tỷ lệ hộ nghèo;2012;3;;Báo cáo
Phường Trà Nóc;Số hộ nghèo;2012;10;;Báo cáo
Phường Trà Nóc;Tổng số hộ;2012;100;;Báo cáo
Chi cục Thuế quận Bình Thủy;Số hộ nghèo;2012;30;;Báo cáo
Chi cục Thuế quận Bình Thủy;Tổng số hộ;2012;900;;Báo cáo
Quận Ninh Kiều;Tỷ lệ hộ nghèo;2014;2;;Báo cáo
Quận Ô Môn;Tỷ lệ hộ nghèo;2014;4;;Báo cáo
Quận Cái Răng;Tỷ lệ hộ nghèo;2014;1,5;;Báo cáo
Quận Thốt Nốt;Tỷ lệ hộ nghèo;2014;6;;Báo cáo
Phường Trà Nóc;Số hộ nghèo;2014;10;;Báo cáo
Phường Trà Nóc;Tổng số hộ;2014;100;;Báo cáo
Chi cục Thuế quận Bình Thủy;Số hộ nghèo;2014;30;;Báo cáo
Chi cục Thuế quận Bình Thủy;Tổng số hộ;2014;900;;Báo cáo
Quận Ninh Kiều;Tỷ lệ giải ngân vốn đầu tư công;2014;90;100;Báo cáo
Quận Ô Môn;Tỷ lệ giải ngân vốn đầu tư công;2014;hơn 95;100;Báo cáo
Quận Cái Răng;Tỷ lệ giải ngân vốn đầu tư công;2014;97;100;Minh họa
"""


@pytest.fixture(scope="module")
def tiny_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("ranking")
    db = folder / "warehouse.duckdb"
    assert etl_main(["init", "--db", str(db), "--no-sample"]) == 0
    report = folder / "bao_cao.csv"
    report.write_text(REPORT, encoding="utf-8")
    result = load_file(db, report)
    assert result.ok, [p.message("vi") for p in result.errors]
    assert result.batch_id is not None
    return db


@pytest.fixture
def con(tiny_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with queries.reader(tiny_db) as connection:
        yield connection


def _rows(table: pd.DataFrame) -> list[tuple]:
    return [
        (
            row.unit_code,
            int(row.rank),
            None if pd.isna(row.previous_rank) else int(row.previous_rank),
            row.movement_label,
        )
        for row in table.itertuples()
    ]


def test_a_rate_is_rolled_up_from_parts_not_averaged(con: duckdb.DuckDBPyConnection) -> None:
    values = ranking.compare_values(con, "92", "poverty_rate")
    binh_thuy = values[(values["unit_code"] == "918") & (values["year"] == 2014)].iloc[0]
    assert binh_thuy["value"] == pytest.approx(4.0)  # 100 × 40 / 1 000, not 6,67
    assert binh_thuy["derivation"] == "rollup"
    assert binh_thuy["numerator_value"] == 40 and binh_thuy["denominator_value"] == 1000
    assert ranking.ranking_years(values) == [2012, 2014]
    # The city's rate: only 918 brings both parts; the others are named, not averaged in.
    city = ranking.parent_value(values, 2014)
    assert city is not None
    assert city["value"] == pytest.approx(4.0)
    assert list(city["missing_parts"]) == ["916", "917", "919", "923"]


def test_ranks_lowest_first_with_ties_movement_and_a_new_unit(
    con: duckdb.DuckDBPyConnection,
) -> None:
    values = ranking.compare_values(con, "92", "poverty_rate")
    first = ranking.rank_children(values, 2012, "lower_better")
    assert first.previous_year is None
    assert _rows(first.table) == [("917", 1, None, ""), ("918", 2, None, ""), ("916", 3, None, "")]
    result = ranking.rank_children(values, 2014, "lower_better")
    assert result.previous_year == 2012  # 2013 has no ranking: skipped
    assert _rows(result.table) == [
        ("919", 1, None, "mới"),
        ("916", 2, 3, "▲1"),
        ("917", 3, 1, "▼2"),
        ("918", 3, 2, "▼1"),
        ("923", 5, None, "mới"),
    ]
    assert list(result.table["movement"].astype("float")[1:4]) == [1, -2, -1]
    assert list(result.table["value"]) == pytest.approx([1.5, 2, 4, 4, 6])
    english = ranking.rank_children(values, 2014, "lower_better", "en")
    assert english.table["movement_label"].iloc[0] == "new"


def test_ranks_agree_with_compare_children(con: duckdb.DuckDBPyConnection) -> None:
    values = ranking.compare_values(con, "92", "poverty_rate")
    ours = ranking.rank_children(values, 2014, "lower_better").table
    theirs = queries.compare_children(con, "92", "poverty_rate", 2014)
    columns = ["rank", "unit_code", "value"]
    assert ours[columns].to_dict("records") == theirs[columns].to_dict("records")


def test_higher_better_ranks_the_highest_first_and_keeps_bounds(
    con: duckdb.DuckDBPyConnection,
) -> None:
    values = ranking.compare_values(con, "92", "capital_disbursement_rate")
    table = ranking.rank_children(values, 2014, "higher_better").table
    assert list(table["unit_code"]) == ["919", "917", "916"]
    assert list(table["rank"]) == [1, 2, 3]
    assert list(table["qualifier"].fillna("")) == ["", "lower_bound", ""]
    assert list(table["value_status"]) == ["illustrative", "reported", "reported"]
    # Neutral (no better direction) ranks the highest first too.
    assert list(ranking.rank_children(values, 2014, "neutral").table["unit_code"]) == [
        "919",
        "917",
        "916",
    ]


def test_heat_table_units_by_years(con: duckdb.DuckDBPyConnection) -> None:
    values = ranking.compare_values(con, "92", "poverty_rate")
    ranked = ranking.rank_children(values, 2014, "lower_better").table
    order = ranking.row_order(values, ranked)
    assert order == ["919", "916", "917", "918", "923"]
    table = ranking.heat_table(values, order, "vi", measure="%")
    assert table.codes == order
    assert table.names == [
        "Quận Cái Răng", "Quận Ninh Kiều", "Quận Ô Môn", "Quận Bình Thủy", "Quận Thốt Nốt",
    ]  # fmt: skip
    assert table.years == [2012, 2014]
    expected = [[math.nan, 1.5], [5, 2], [3, 4], [4, 4], [math.nan, 6]]
    got = table.values.to_numpy().tolist()
    for row, want in zip(got, expected, strict=True):
        assert row == pytest.approx(want, nan_ok=True)
    assert table.text.to_numpy().tolist() == [
        ["", "1,5"], ["5", "2"], ["3", "4"], ["4", "4"], ["", "6"],
    ]  # fmt: skip
    assert table.hover.loc["919", 2014] == "1,5 %"
    assert table.hover.loc["919", 2012] == "—"


def test_heat_table_marks_bounds_and_illustrative_values(con: duckdb.DuckDBPyConnection) -> None:
    values = ranking.compare_values(con, "92", "capital_disbursement_rate")
    ranked = ranking.rank_children(values, 2014, "higher_better").table
    table = ranking.heat_table(values, ranking.row_order(values, ranked), "vi", measure="%")
    assert table.text[2014].tolist() == ["97 ○", "hơn 95", "90"]
    assert table.hover[2014].tolist() == ["97 % (minh họa)", "hơn 95 %", "90 %"]
    english = ranking.heat_table(values, ["917"], "en")
    assert english.text[2014].tolist() == ["over 95"]


def test_target_line_is_the_shared_target_of_the_children(
    con: duckdb.DuckDBPyConnection,
) -> None:
    values = ranking.compare_values(con, "92", "capital_disbursement_rate")
    ranked = ranking.rank_children(values, 2014, "higher_better").table
    assert list(ranked["target"]) == [100, 100, 100]
    assert ranking.target_line(None, ranked) == 100  # the city reported none itself
    assert ranking.target_line({"target": 98.5}, ranked) == 98.5  # the parent's own first
    different = ranked.assign(target=[100, 95, 100])
    assert ranking.target_line(None, different) is None  # each bar then marks its own
    partial = ranked.assign(target=[100, None, 100])
    assert ranking.target_line({"target": None}, partial) is None


def test_quality_note_counts_and_names(con: duckdb.DuckDBPyConnection) -> None:
    values = ranking.compare_values(con, "92", "capital_disbursement_rate")
    ranked = ranking.rank_children(values, 2014, "higher_better").table
    note = ranking.quality_note(ranked, "vi", measure="%")
    assert note == (
        "⚠ 1 trong 3 giá trị là số liệu minh họa, không phải số báo cáo chính thức; "
        "không phải số chính xác (giá trị cận hoặc gần đúng): Quận Ô Môn: hơn 95 %."
    )
    poverty = ranking.compare_values(con, "92", "poverty_rate")
    exact = ranking.rank_children(poverty, 2014, "lower_better").table
    assert ranking.quality_note(exact, "vi") == ""
    children = poverty[~poverty["is_parent"]]
    assert ranking.quality_note(children, "vi") == ""
    over_time = values[~values["is_parent"]]
    assert "Quận Ô Môn 2014: hơn 95 %" in ranking.quality_note(
        over_time, "vi", measure="%", with_year=True
    )


def test_ancestors_from_the_top_down(con: duckdb.DuckDBPyConnection) -> None:
    assert ranking.ancestors(con, "31171") == [
        ("VN", "Cả nước"),
        ("92", "Thành phố Cần Thơ"),
        ("918", "Quận Bình Thủy"),
        ("31171", "Phường Trà Nóc"),
    ]
    assert ranking.ancestors(con, "92", "en") == [("VN", "Viet Nam"), ("92", "Can Tho City")]
    assert ranking.ancestors(con, "VN") == [("VN", "Cả nước")]
    assert ranking.ancestors(con, "no-such-unit") == []


def test_parent_on_children_scale() -> None:
    assert ranking.parent_on_children_scale("rate")
    assert ranking.parent_on_children_scale("ratio_to_plan")
    assert not ranking.parent_on_children_scale("count")
    assert not ranking.parent_on_children_scale("amount")


@pytest.mark.parametrize(
    ("event", "unit"),
    [
        ({"selection": {"points": [{"customdata": ["918", "Quận Bình Thủy"], "y": "918"}]}}, "918"),
        ({"selection": {"points": [{"y": "917", "x": 3.0}]}}, "917"),  # no customdata: the bar's y
        ({"selection": {"points": [{"customdata": "919"}]}}, "919"),
        ({"selection": {"points": [], "point_indices": [], "box": [], "lasso": []}}, None),
        ({"selection": {}}, None),
        ({}, None),
        (None, None),
    ],
)
def test_clicked_unit(event: object, unit: str | None) -> None:
    assert ranking.clicked_unit(event) == unit


def test_units_to_show() -> None:
    codes = [f"u{i:02d}" for i in range(1, 31)]  # 30 ranked units, best first
    assert ranking.units_to_show(codes[:5], ["x"], limit=24) == [*codes[:5], "x"]
    shown = ranking.units_to_show(codes, ["x"], limit=24)
    assert shown == codes[:12] + codes[-12:]  # the first and the last twelve
    with_keep = ranking.units_to_show(codes, ["x"], limit=24, keep="u15")
    assert with_keep == [*codes[:12], "u15", *codes[-12:]]
    assert ranking.units_to_show(codes, ["x"], limit=24, keep="x")[-1] == "x"
    assert ranking.units_to_show(codes, limit=5) == [*codes[:3], *codes[-2:]]


def test_movement_label() -> None:
    assert ranking.movement_label(2, True) == "▲2"
    assert ranking.movement_label(-1, True) == "▼1"
    assert ranking.movement_label(0, True) == "="
    assert ranking.movement_label(pd.NA, True) == "mới"
    assert ranking.movement_label(pd.NA, True, "en") == "new"
    assert ranking.movement_label(3, False) == ""


def test_cell_text() -> None:
    assert ranking.cell_text(3093, None, "reported") == "3.093"
    assert ranking.cell_text(9.52, None, "preliminary") == "9,52 ◆"
    assert ranking.cell_text(80, "lower_bound", "illustrative") == "hơn 80 ○"
    assert ranking.cell_text(float("nan"), None, "reported") == ""
