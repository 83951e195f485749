"""A warehouse ``--scale`` times the sample, for the view benchmark.

    python -m bench.make_warehouse OUT.duckdb [--scale 100] [--seed 7] [--sample DB]

It starts as the sample warehouse (``python -m etl init``: the real catalogue and the
sample reports, or a copy of ``--sample``) and adds, drawn from a seeded generator:

- wards and communes under each Cần Thơ district, a tenth of them created in 2009,
  all ending on 30/06/2025 and merged two to four at a time into new wards of the new
  city (``92-2025``) from 01/07/2025 (the successor map);
- party organisations under the ministry's party committee (``DBBCT``), a quarter of
  them with four chi bộ whose figures they add up, some founded in 2018, some merged
  in pairs into new organisations on 01/03/2025;
- yearly values: households, poor households and the poverty rate, budget estimate,
  collection and its ratio, capital allocated, disbursed and its rate, orchard area
  (wards, 2006-2024); members, admissions, inspections, supervisions, discipline
  (party, 2015-2024); first-half 2025 values (second half for the new wards) marked
  preliminary; admissions over the term 2020-2025. Rates are 100 × numerator /
  denominator of the stored parts; the two ratios to plan carry a target of 100.
- one batch per report file (older files illustrative), one correction batch whose
  values supersede stored ones (history stays in ``observation``) and two batches
  rolled back with :func:`etl.batches.rollback_batch`.

The generated current values number about ``(scale - 1)`` × the sample's, so
``v_observation`` holds about ``scale`` × the sample's rows. Everything is written in
a few bulk inserts from DataFrames, never row by row.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from etl.batches import rollback_batch
from etl.cli import main as etl_main
from etl.load import SUPERSEDE_CURRENT
from etl.warehouse import fetch_value, open_for_reading, open_warehouse

GENERATOR_VERSION = 1
CITY, NEW_CITY, COMMITTEE = "92", "92-2025", "DBBCT"
WARD_YEARS = np.arange(2006, 2025)
PARTY_YEARS = np.arange(2015, 2025)
WARD_END, NEW_WARD_START = date(2025, 6, 30), date(2025, 7, 1)
PARTY_END, NEW_PARTY_START = date(2025, 2, 28), date(2025, 3, 1)
H1_2025 = (date(2025, 1, 1), date(2025, 6, 30))
H2_2025 = (date(2025, 7, 1), date(2025, 12, 31))
TERM = (date(2020, 1, 1), date(2025, 6, 30))
LOADED_FROM = datetime(2026, 1, 5, 8, 0)
ANCHOR_YEAR = 2016  # the last year the sample reports for every Cần Thơ district
DEFAULTS = {
    "households": 30000.0, "poverty_rate": 3.0,
    "budget_revenue_estimate": 150000.0, "capital_allocated": 200000.0,
}  # fmt: skip
# Current values one generated unit holds, for sizing (a ward: 10 indicators over ~18.7
# years, 3 first-half values and a share of its new ward's; a top party organisation:
# its own ~100 and, for a quarter of them, four chi bộ's).
WARD_VALUES, PARTY_VALUES = 191, 196

WARD_SHEETS = {
    "households": "Hộ nghèo", "poor_households": "Hộ nghèo", "poverty_rate": "Hộ nghèo",
    "budget_revenue_estimate": "Ngân sách - giải ngân",
    "budget_revenue_collected": "Ngân sách - giải ngân",
    "tax_collection_vs_estimate": "Ngân sách - giải ngân",
    "capital_allocated": "Ngân sách - giải ngân", "capital_disbursed": "Ngân sách - giải ngân",
    "capital_disbursement_rate": "Ngân sách - giải ngân",
    "orchard_area_renovated": "Nông nghiệp",
}  # fmt: skip
PARTY_SHEETS = {
    "party_members": "Số đảng viên", "members_admitted": "Kết nạp đảng viên",
    "members_made_official": "Chuyển đảng chính thức",
    "inspected_organisations": "Kiểm tra tổ chức đảng", "inspected_members": "Kiểm tra đảng viên",
    "supervised_organisations": "Giám sát tổ chức đảng",
    "supervised_members": "Giám sát đảng viên", "disciplined_members": "Kỷ luật đảng viên",
    "disciplined_organisations": "Kỷ luật tổ chức đảng",
}  # fmt: skip
TARGETS = {"tax_collection_vs_estimate": 100.0, "capital_disbursement_rate": 100.0}
PLACE_FIRST = ("An", "Bình", "Long", "Hòa", "Thạnh", "Phú", "Tân", "Trường", "Mỹ", "Thới")
PLACE_SECOND = ("Lợi", "Hưng", "Thuận", "Đông", "Tây", "Lạc", "Khánh", "Xuân", "Phước", "Điền")
ORG_KINDS = ("Vụ", "Cục", "Viện", "Trung tâm", "Công ty", "Tổng công ty", "Trường Cao đẳng")
ORG_FIELDS = (
    "Hóa chất", "Cơ khí", "Điện lực", "Dệt may", "Thương mại điện tử", "Xúc tiến thương mại",
    "Năng lượng", "Khoáng sản", "Công nghiệp nhẹ", "Logistics", "An toàn thực phẩm", "Xuất khẩu",
)  # fmt: skip
UNIT_COLUMNS = (
    "unit_code", "name_vi", "name_en", "parent_code", "level", "kind", "valid_from",
    "valid_to", "successor_code",
)  # fmt: skip
OBS_COLUMNS = (
    "unit_code", "indicator_code", "period_start", "period_end", "period_type", "value",
    "qualifier", "target", "note", "is_illustrative", "is_preliminary", "source_sheet",
    "source_cell",
)  # fmt: skip


@dataclass(frozen=True)
class Counts:
    """What a generated warehouse holds."""

    units: int
    generated_units: int
    observations: int
    current: int
    sample_current: int
    batches: int
    rolled_back: int
    by_status: dict[str, int]
    seconds: float


def ascii_name(text: str) -> str:
    """``Thạnh Lợi`` → ``Thanh Loi`` (English names of generated units)."""
    plain = text.replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFKD", plain).encode("ascii", "ignore").decode()


def place_name(index: int) -> str:
    first, second = divmod(index, len(PLACE_SECOND))
    name = f"{PLACE_FIRST[first % len(PLACE_FIRST)]} {PLACE_SECOND[second]}"
    rounds = index // (len(PLACE_FIRST) * len(PLACE_SECOND))
    return f"{name} {rounds + 1}" if rounds else name


def _where(flag: object, value: object) -> np.ndarray:
    """``value`` where ``flag`` holds, else None (an object array, for text and dates)."""
    out = np.full(len(np.asarray(flag)), None, dtype=object)
    out[np.asarray(flag, dtype=bool)] = value
    return out


def org_name(index: int) -> str:
    kind = ORG_KINDS[index % len(ORG_KINDS)]
    field = ORG_FIELDS[index // len(ORG_KINDS) % len(ORG_FIELDS)]
    return f"Đảng bộ {kind} {field} số {index // (len(ORG_KINDS) * len(ORG_FIELDS)) + 1}"


def party_file(period_type: str, start: date) -> str:
    if period_type == "span":
        return "dang_bo_bct_nhiem_ky_2020_2025.xlsx"
    if period_type == "half":
        return "dang_bo_bct_6_thang_2025.xlsx"
    return f"dang_bo_bct_nam_{start.year}.xlsx"


# --- units -------------------------------------------------------------------------------


def ward_units(rng: np.random.Generator, n: int, districts: pd.DataFrame) -> pd.DataFrame:
    """``n`` wards spread over ``districts`` (quận → phường, huyện → xã), each merged into
    a new ward of the new city on 01/07/2025; the new wards follow them."""
    district = districts.iloc[np.arange(n) % len(districts)].reset_index(drop=True)
    number = np.arange(n) // len(districts) + 1
    is_ward = (district["kind"] == "quận").to_numpy()
    kind = np.where(is_ward, "phường", "xã")
    places = [place_name(i) for i in range(n)]
    created = rng.random(n) < 0.1
    old = pd.DataFrame(
        {
            "unit_code": [
                f"{d}.{k:03d}" for d, k in zip(district["unit_code"], number, strict=True)
            ],
            "name_vi": [f"{k.capitalize()} {p}" for k, p in zip(kind, places, strict=True)],
            "name_en": [
                f"{ascii_name(p)} {'Ward' if w else 'Commune'}"
                for p, w in zip(places, is_ward, strict=True)
            ],
            "parent_code": district["unit_code"].to_numpy(),
            "level": "ward",
            "kind": kind,
            "valid_from": _where(created, date(2009, 1, 1)),
            "valid_to": WARD_END,
            "first_year": np.where(created, 2009, int(WARD_YEARS[0])),
        }
    )
    old = old.sort_values("unit_code", kind="stable").reset_index(drop=True)
    group = np.cumsum(rng.integers(2, 5, n))  # merged 2-4 at a time, in code order
    new_index = np.searchsorted(group, np.arange(n), side="right")
    old["successor_code"] = [f"{NEW_CITY}.{g + 1:03d}" for g in new_index]
    first = old.drop_duplicates("successor_code")
    new = pd.DataFrame(
        {
            "unit_code": first["successor_code"].to_numpy(),
            "name_vi": first["name_vi"].to_numpy(),
            "name_en": first["name_en"].to_numpy(),
            "parent_code": NEW_CITY,
            "level": "ward",
            "kind": first["kind"].to_numpy(),
            "valid_from": NEW_WARD_START,
            "valid_to": None,
            "successor_code": None,
            "first_year": 2025,
        }
    )
    return pd.concat([old, new], ignore_index=True)


def party_units(rng: np.random.Generator, n: int) -> pd.DataFrame:
    """``n`` organisations under the committee; every fourth has four chi bộ; a few merge
    in pairs on 01/03/2025 into new ones; some were founded in 2018."""
    index = np.arange(n)
    codes = [f"{COMMITTEE}-G{i + 1:04d}" for i in index]
    names = [org_name(int(i)) for i in index]
    has_cells = index % 4 == 0
    plain = index[~has_cells]
    n_merging = min(len(plain) - len(plain) % 2, max(2, round(0.06 * n) // 2 * 2))
    merging = rng.choice(plain, n_merging, replace=False) if n_merging else plain[:0]
    founded = (rng.random(n) < 0.08) & ~np.isin(index, merging)
    successor = np.full(n, None, dtype=object)
    for pair, (a, b) in enumerate(np.sort(merging).reshape(-1, 2)):
        successor[[a, b]] = f"{COMMITTEE}-M{pair + 1:03d}"
    top = pd.DataFrame(
        {
            "unit_code": codes,
            "name_vi": names,
            "name_en": [f"Party Organisation {ascii_name(name[8:])}" for name in names],
            "parent_code": COMMITTEE,
            "level": "party",
            "kind": "đảng bộ cơ sở",
            "valid_from": _where(founded, date(2018, 1, 1)),
            "valid_to": _where(pd.notna(successor), PARTY_END),
            "successor_code": successor,
            "first_year": np.where(founded, 2018, int(PARTY_YEARS[0])),
            "has_cells": has_cells,
        }
    )
    merged = top.dropna(subset=["successor_code"]).drop_duplicates("successor_code")
    new = pd.DataFrame(
        {
            "unit_code": merged["successor_code"].to_numpy(),
            "name_vi": [f"{name} (hợp nhất)" for name in merged["name_vi"]],
            "name_en": [f"{name} (merged)" for name in merged["name_en"]],
            "parent_code": COMMITTEE,
            "level": "party",
            "kind": "đảng bộ cơ sở",
            "valid_from": NEW_PARTY_START,
            "valid_to": None,
            "successor_code": None,
            "first_year": 2025,
            "has_cells": False,
        }
    )
    owners = top[top["has_cells"]]
    cells = pd.DataFrame(
        {
            "unit_code": [f"{code}-C{k}" for code in owners["unit_code"] for k in range(1, 5)],
            "name_vi": [f"Chi bộ {k} ({name})" for name in owners["name_vi"] for k in range(1, 5)],
            "name_en": [f"Cell {k} ({name})" for name in owners["name_en"] for k in range(1, 5)],
            "parent_code": np.repeat(owners["unit_code"].to_numpy(), 4),
            "level": "party",
            "kind": "chi bộ",
            "valid_from": np.repeat(owners["valid_from"].to_numpy(), 4),
            "valid_to": None,
            "successor_code": None,
            "first_year": np.repeat(owners["first_year"].to_numpy(), 4),
            "has_cells": False,
        }
    )
    return pd.concat([top, new, cells], ignore_index=True)


# --- values ------------------------------------------------------------------------------


def _long(
    codes: Sequence[str], periods: pd.DataFrame, values: dict[str, np.ndarray], mask: np.ndarray
) -> pd.DataFrame:
    """Matrices units × periods, one per indicator, as long rows where ``mask`` holds.

    ``periods`` has one row per column: period_start, period_end, period_type, label.
    """
    unit_index, period_index = np.nonzero(mask)
    frames = []
    for indicator, matrix in values.items():
        frame = periods.iloc[period_index].reset_index(drop=True)
        frame.insert(0, "unit_code", np.asarray(codes, dtype=object)[unit_index])
        frame.insert(1, "indicator_code", indicator)
        frame["value"] = matrix[unit_index, period_index].astype(float)
        frame["unit_row"] = unit_index
        frame["period_col"] = period_index
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def _years(years: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period_start": [date(int(y), 1, 1) for y in years],
            "period_end": [date(int(y), 12, 31) for y in years],
            "period_type": "year",
            "label": [str(int(y)) for y in years],
        }
    )


def _one_period(start: date, end: date, kind: str, label: str) -> pd.DataFrame:
    return pd.DataFrame(
        {"period_start": [start], "period_end": [end], "period_type": [kind], "label": [label]}
    )


def ward_observations(
    rng: np.random.Generator, units: pd.DataFrame, anchors: pd.DataFrame
) -> pd.DataFrame:
    """Yearly socio-economic values of the old wards, their first half of 2025 and the
    new wards' second half (sums of the wards they replace).

    A district's wards share its 2016 figures in ``anchors`` (households, poverty_rate,
    budget_revenue_estimate, capital_allocated; one row per district), so that their
    roll-up continues the district's own series.
    """
    old = units[units["first_year"] < 2025].reset_index(drop=True)
    n, t = len(old), WARD_YEARS - ANCHOR_YEAR
    noise = lambda sd: 1 + rng.normal(0, sd, (n, len(t)))  # noqa: E731
    district = anchors.reindex(old["parent_code"]).fillna(anchors.median()).fillna(DEFAULTS)
    weight = pd.Series(rng.gamma(8.0, 1.0, n))
    share = (weight / weight.groupby(old["parent_code"]).transform("sum")).to_numpy()[:, None]
    anchor = {key: district[key].to_numpy()[:, None] for key in DEFAULTS}
    households = np.round(
        anchor["households"]
        * share
        * (1 + rng.normal(0.012, 0.006, n))[:, None] ** t
        * noise(0.004)
    )
    rate = (
        anchor["poverty_rate"]
        * rng.lognormal(0, 0.25, n)[:, None]
        * np.exp(-rng.uniform(0.1, 0.17, n)[:, None] * t)
    )
    poor = np.round(households * np.clip(rate * noise(0.05), 0.2, 45) / 100)
    estimate = np.round(anchor["budget_revenue_estimate"] * share * 1.1**t * noise(0.03), -1)
    collected = np.round(estimate * rng.normal(1.04, 0.07, (n, len(t))))
    allocated = np.round(anchor["capital_allocated"] * share * 1.09**t * noise(0.1))
    disbursed = np.round(allocated * np.clip(rng.normal(0.86, 0.09, (n, len(t))), 0.35, 1.0))
    values = {
        "households": households,
        "poor_households": poor,
        "poverty_rate": np.round(100 * poor / households, 2),
        "budget_revenue_estimate": estimate,
        "budget_revenue_collected": collected,
        "tax_collection_vs_estimate": np.round(100 * collected / estimate, 2),
        "capital_allocated": allocated,
        "capital_disbursed": disbursed,
        "capital_disbursement_rate": np.round(100 * disbursed / allocated, 2),
        "orchard_area_renovated": np.round(rng.gamma(2.0, 6.0, (n, len(t))), 1),
    }
    mask = WARD_YEARS[None, :] >= old["first_year"].to_numpy()[:, None]
    yearly = _long(old["unit_code"], _years(WARD_YEARS), values, mask)
    yearly["file"] = [
        f"phuong_xa_{code.split('.')[0]}_{'2006_2015' if start.year <= 2015 else '2016_2024'}.xlsx"
        for code, start in zip(yearly["unit_code"], yearly["period_start"], strict=True)
    ]
    yearly["is_illustrative"] = [start.year <= 2015 for start in yearly["period_start"]]

    half_households = np.round(households[:, -1:] * (1 + rng.normal(0.004, 0.003, (n, 1))))
    half_poor = np.round(poor[:, -1:] * rng.uniform(0.85, 1.0, (n, 1)))
    first_half = _long(
        old["unit_code"],
        _one_period(*H1_2025, "half", "H1"),
        {
            "households": half_households,
            "poor_households": half_poor,
            "poverty_rate": np.round(100 * half_poor / half_households, 2),
        },
        np.ones((n, 1), dtype=bool),
    )
    first_half["file"] = [
        f"phuong_xa_{c.split('.')[0]}_6_thang_2025.xlsx" for c in first_half["unit_code"]
    ]

    sums = (
        pd.DataFrame(
            {"unit_code": old["successor_code"], "h": half_households[:, 0], "p": half_poor[:, 0]}
        )
        .groupby("unit_code", sort=True)
        .sum()
    )
    h = np.round(sums["h"].to_numpy()[:, None] * 1.002)
    p = sums["p"].to_numpy()[:, None]
    second_half = _long(
        sums.index,
        _one_period(*H2_2025, "half", "H2"),
        {"households": h, "poor_households": p, "poverty_rate": np.round(100 * p / h, 2)},
        np.ones((len(sums), 1), dtype=bool),
    )
    second_half["file"] = f"phuong_xa_{NEW_CITY}_6_thang_cuoi_2025.xlsx"
    for frame in (first_half, second_half):
        frame["is_illustrative"] = False
        frame["is_preliminary"] = True
    yearly["is_preliminary"] = False
    rows = pd.concat([yearly, first_half, second_half], ignore_index=True)
    rows["source_sheet"] = rows["indicator_code"].map(WARD_SHEETS)
    rows["target"] = rows["indicator_code"].map(TARGETS)
    rough = (rows["indicator_code"] == "orchard_area_renovated") & (rng.random(len(rows)) < 0.03)
    rows["qualifier"] = _where(rough, "approximate")
    rows["note"] = _where(rough, "ước tính")
    return rows


def _party_values(
    rng: np.random.Generator, members0: np.ndarray, n_periods: int
) -> dict[str, np.ndarray]:
    """Counts of ``len(members0)`` organisations over ``n_periods`` (the last a half-year)."""
    n = len(members0)
    t = np.arange(n_periods)
    members = np.round(
        members0[:, None] * (1 + rng.normal(0.01, 0.02, n))[:, None] ** t
        + rng.normal(0, 2, (n, n_periods))
    ).clip(3)
    share = np.ones(n_periods)
    share[-1] = 0.5  # the first half of 2025
    admitted = rng.poisson(0.035 * members * share)
    made_official = rng.binomial(np.roll(admitted, 1, axis=1), 0.95)
    made_official[:, 0] = rng.poisson(0.03 * members[:, 0])
    return {
        "party_members": members,
        "members_admitted": admitted,
        "members_made_official": made_official,
        "inspected_organisations": rng.poisson((0.2 + members / 400) * share),
        "inspected_members": rng.poisson(0.05 * members * share),
        "supervised_organisations": rng.poisson((0.3 + members / 300) * share),
        "supervised_members": rng.poisson(0.06 * members * share),
        "disciplined_members": rng.poisson(0.003 * members * share),
        "disciplined_organisations": rng.poisson(0.01 * share, (n, n_periods)),
    }


def party_observations(rng: np.random.Generator, units: pd.DataFrame) -> pd.DataFrame:
    """Yearly values 2015-2024 and the first half of 2025 of every organisation without
    chi bộ and of every chi bộ; an organisation with chi bộ reports their sums; term
    totals of admissions 2020-2025."""
    leaves = units[~units["has_cells"]].reset_index(drop=True)
    is_cell = (leaves["kind"] == "chi bộ").to_numpy()
    members0 = np.exp(rng.normal(np.where(is_cell, np.log(30), np.log(120)), 0.6)).clip(8, 2500)
    periods = pd.concat(
        [_years(PARTY_YEARS), _one_period(*H1_2025, "half", "H1")], ignore_index=True
    )
    first_year = leaves["first_year"].to_numpy()[:, None]
    columns = np.append(PARTY_YEARS, 2025)[None, :]
    mask = columns >= first_year
    mask[:, -1] &= leaves["valid_to"].isna().to_numpy()
    values = _party_values(rng, members0, len(periods))
    rows = _long(leaves["unit_code"], periods, values, mask)
    parents = leaves.set_index("unit_code")["parent_code"]
    owners = units.loc[units["has_cells"], "unit_code"]
    of_cells = rows[rows["unit_code"].map(parents).isin(owners)]
    keys = ["indicator_code", "period_start", "period_end", "period_type", "label"]
    summed = (
        of_cells.assign(unit_code=of_cells["unit_code"].map(parents))
        .groupby(["unit_code", *keys], as_index=False, sort=False)[["value"]]
        .sum()
    )
    rows = pd.concat([rows, summed], ignore_index=True)
    term = (
        rows[
            rows["indicator_code"].isin(["members_admitted", "members_made_official"])
            & (rows["period_start"] >= TERM[0])
        ]
        .groupby(["unit_code", "indicator_code"], as_index=False)["value"]
        .sum()
        .assign(period_start=TERM[0], period_end=TERM[1], period_type="span", label="NK")
    )
    lasting = units.loc[units["valid_to"].isna() & (units["first_year"] < 2025), "unit_code"]
    term = term[term["unit_code"].isin(lasting)]
    rows = pd.concat([rows, term], ignore_index=True)
    rows["file"] = [
        party_file(kind, start)
        for kind, start in zip(rows["period_type"], rows["period_start"], strict=True)
    ]
    rows["is_illustrative"] = [start.year <= 2016 for start in rows["period_start"]]
    rows["is_preliminary"] = (rows["period_type"] == "half").to_numpy()
    rows["source_sheet"] = rows["indicator_code"].map(PARTY_SHEETS)
    rows["target"] = np.nan
    bound = (rows["indicator_code"] == "inspected_members") & (rng.random(len(rows)) < 0.01)
    rows["qualifier"] = _where(bound, "lower_bound")
    rows["note"] = None
    return rows


def _cells(rows: pd.DataFrame) -> pd.Series:
    """A plausible cell per value: one row per unit of its file, one column per period."""
    row_number = rows.groupby("file", sort=False)["unit_code"].rank(method="dense").astype(int) + 6
    column = rows["label"].astype("category").cat.codes.to_numpy() % 20
    letters = np.array([chr(ord("C") + i) for i in range(20)], dtype=object)
    return pd.Series(letters[column], index=rows.index) + row_number.astype(str)


# --- storing -----------------------------------------------------------------------------


def _reserve_batches(
    con: duckdb.DuckDBPyConnection, files: Sequence[str], *, source: str, by: str
) -> pd.DataFrame:
    """Batch rows for ``files`` with ids drawn from the warehouse's sequence."""
    sql = "SELECT nextval('batch_id_seq') FROM range(?)"
    ids = [row[0] for row in con.execute(sql, [len(files)]).fetchall()]
    base = int(fetch_value(con, "SELECT count(*) FROM batch"))
    return pd.DataFrame(
        {
            "batch_id": ids,
            "file_name": list(files),
            "file_sha256": [hashlib.sha256(f.encode()).hexdigest() for f in files],
            "loaded_by": by,
            "loaded_at": [LOADED_FROM + timedelta(minutes=base + i) for i in range(len(files))],
            "row_count": 0,
            "status": "active",
            "source": source,
        }
    )


def store(
    con: duckdb.DuckDBPyConnection, rows: pd.DataFrame, *, source: str, by: str
) -> dict[str, int]:
    """Store ``rows`` (with a ``file`` column) as one batch per file, superseding stored
    values of the same unit, indicator and period as ``etl.load`` does; return the ids."""
    files = list(dict.fromkeys(rows["file"]))
    batches = _reserve_batches(con, files, source=source, by=by)
    ids = dict(zip(batches["file_name"], batches["batch_id"], strict=True))
    batches["row_count"] = batches["file_name"].map(rows["file"].value_counts())
    incoming = rows.assign(batch_id=rows["file"].map(ids))[["batch_id", *OBS_COLUMNS]]
    sql = con.execute
    sql("BEGIN TRANSACTION")
    con.register("new_batches", batches)
    con.register("incoming_rows", incoming)
    sql(f"INSERT INTO batch ({', '.join(batches.columns)}) SELECT * FROM new_batches")
    sql(SUPERSEDE_CURRENT)  # as etl load does
    sql(
        f"""
        INSERT INTO observation
        SELECT batch_id, unit_code, indicator_code, CAST(period_start AS DATE),
               CAST(period_end AS DATE), period_type, value, qualifier, target, note,
               is_illustrative, is_preliminary, source_sheet, source_cell, true
        FROM incoming_rows ORDER BY {", ".join(("batch_id", *OBS_COLUMNS[:4]))}
        """
    )
    sql("COMMIT")
    con.unregister("incoming_rows")
    con.unregister("new_batches")
    return ids


def _corrections(rng: np.random.Generator, rows: pd.DataFrame) -> list[pd.DataFrame]:
    """Three later files: a correction that stays, a wrong one and a mistaken period
    (both rolled back afterwards)."""
    orchard = rows[
        (rows["indicator_code"] == "orchard_area_renovated")
        & (rows["period_start"] == date(2023, 1, 1))
    ]
    fixed = orchard.sample(frac=0.3, random_state=rng).assign(
        value=lambda f: np.round(f["value"] * 1.1, 1),
        note="số liệu điều chỉnh",
        file="dieu_chinh_nong_nghiep_2023.xlsx",
    )
    supervised = rows[
        (rows["indicator_code"] == "supervised_members")
        & (rows["period_start"] == date(2024, 1, 1))
    ]
    wrong = supervised.sample(frac=0.3, random_state=rng).assign(
        value=lambda f: f["value"] * 10, file="giam_sat_2024_nham_don_vi_tinh.xlsx"
    )
    households = rows[
        (rows["indicator_code"] == "households") & (rows["period_start"] == date(2024, 1, 1))
    ]
    mistaken = households.assign(
        period_start=date(2024, 12, 1), period_type="month", file="ho_ngheo_thang_12_2024.xlsx"
    )
    return [fixed, wrong, mistaken]


# --- the whole warehouse -----------------------------------------------------------------


def sizes(scale: float, sample_current: int) -> tuple[int, int]:
    """Wards and top party organisations giving about ``scale`` × the sample's values."""
    extra = max(0.0, (scale - 1) * sample_current)
    return max(1, round(extra / 2 / WARD_VALUES)), max(1, round(extra / 2 / PARTY_VALUES))


def build(out: Path, scale: float = 100, *, seed: int = 7, sample: Path | None = None) -> Counts:
    """Write the warehouse ``out`` (replacing it) and return what it holds."""
    started = time.perf_counter()
    out.unlink(missing_ok=True)
    if sample is not None:
        shutil.copyfile(sample, out)
    else:
        assert etl_main(["init", "--db", str(out)]) == 0, "python -m etl init failed"
    rng = np.random.default_rng(seed)
    con = open_warehouse(out)
    try:
        sample_current = int(fetch_value(con, "SELECT count(*) FROM v_observation"))
        n_wards, n_orgs = sizes(scale, sample_current)
        districts = con.execute(
            "SELECT unit_code, kind FROM unit WHERE parent_code = ? AND level = 'district' "
            "ORDER BY unit_code",
            [CITY],
        ).df()
        anchors = (
            con.execute(
                """
            PIVOT (SELECT unit_code, indicator_code, value FROM v_observation
                   WHERE parent_code = ? AND period_type = 'year' AND year(period_start) = ?
                     AND list_contains(?, indicator_code))
            ON indicator_code IN ('households', 'poverty_rate', 'budget_revenue_estimate',
                                  'capital_allocated')
            USING any_value(value)
            """,
                [CITY, ANCHOR_YEAR, list(DEFAULTS)],
            )
            .df()
            .set_index("unit_code")
        )
        wards = ward_units(rng, n_wards, districts)
        party = party_units(rng, n_orgs)
        units = pd.concat([wards, party], ignore_index=True)
        rows = pd.concat(
            [ward_observations(rng, wards, anchors), party_observations(rng, party)],
            ignore_index=True,
        )
        rows["source_cell"] = _cells(rows)
        con.register("new_units", units[list(UNIT_COLUMNS)])
        con.execute(
            f"INSERT INTO unit ({', '.join(UNIT_COLUMNS)}) "
            f"SELECT {', '.join(UNIT_COLUMNS)} FROM new_units"
        )
        con.unregister("new_units")
        store(con, rows, source="cli", by="bench")
        corrections = _corrections(rng, rows)
        stored = [store(con, frame, source="upload", by="bench") for frame in corrections]
    finally:
        con.close()
    for ids in stored[1:]:
        for batch_id in ids.values():
            rollback_batch(out, batch_id)
    return count(out, len(units), sample_current, time.perf_counter() - started)


def count(path: Path, generated_units: int, sample_current: int, seconds: float) -> Counts:
    con = open_for_reading(path)
    try:
        value = lambda sql: int(fetch_value(con, sql))  # noqa: E731
        statuses = con.execute(
            "SELECT value_status, count(*) FROM v_observation GROUP BY ALL ORDER BY 1"
        ).fetchall()
        return Counts(
            units=value("SELECT count(*) FROM unit"),
            generated_units=generated_units,
            observations=value("SELECT count(*) FROM observation"),
            current=value("SELECT count(*) FROM v_observation"),
            sample_current=sample_current,
            batches=value("SELECT count(*) FROM batch"),
            rolled_back=value("SELECT count(*) FROM batch WHERE status = 'rolled_back'"),
            by_status={str(status): int(n) for status, n in statuses},
            seconds=seconds,
        )
    finally:
        con.close()


def describe(counts: Counts, scale: float) -> str:
    statuses = ", ".join(f"{k} {v:,}" for k, v in counts.by_status.items())
    return (
        f"units: {counts.units:,} ({counts.generated_units:,} generated)\n"
        f"observations: {counts.observations:,} stored, {counts.current:,} current "
        f"(v_observation; the sample holds {counts.sample_current:,}: "
        f"{counts.current / counts.sample_current:.1f} ×, asked {scale:g} ×)\n"
        f"by status: {statuses}\n"
        f"batches: {counts.batches} ({counts.rolled_back} rolled back)\n"
        f"built in {counts.seconds:.1f} s"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, metavar="OUT.duckdb")
    parser.add_argument("--scale", type=float, default=100, help="times the sample (default 100)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sample", type=Path, help="copy this sample warehouse, not etl init")
    args = parser.parse_args(argv)
    if args.scale < 1:
        parser.error("--scale must be at least 1")
    counts = build(args.out, args.scale, seed=args.seed, sample=args.sample)
    print(describe(counts, args.scale))
    return 0


if __name__ == "__main__":
    sys.exit(main())
