"""Build ``data/units.csv``, the catalogue of organisational units.

The administrative side (the country, the 63 provinces before 1 July 2025, the
34 provinces after it, the districts of the old Thành phố Cần Thơ and the wards
the source documents name, with their successors) is read from the data of the
``vietnamadminunits`` package: ``dataset.db`` (tables ``admin_units_legacy`` and
``admin_units``) and ``converter_2025.json`` (which old province and ward went
into which new one). The rest (state agencies and party organisations) is the
literal table ``HAND_MADE_UNITS`` below, so the CSV is regenerated whole.

Run it from the project root, with the optional extra ``catalogue`` installed::

    pip install -e '.[catalogue]'
    python scripts/build_unit_catalogue.py            # rewrite data/units.csv
    python scripts/build_unit_catalogue.py --check    # exit 1 if the file is stale

The output is sorted (by level, then code) and depends only on the package data
and this file: running it twice gives the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sqlite3
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from contextlib import closing
from dataclasses import astuple, dataclass, fields, replace
from importlib.util import find_spec
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = PROJECT_ROOT / "data" / "units.csv"

# Resolution 202/2025/QH15: 63 provinces become 34 on 1 July 2025, and the
# district level is abolished the same day.
LAST_DAY_BEFORE_2025_REFORM = "2025-06-30"
FIRST_DAY_AFTER_2025_REFORM = "2025-07-01"
NEW_CODE_SUFFIX = "-2025"
REFORM_NOTE = "Resolution 202/2025/QH15"

COUNTRY_CODE = "VN"
# Provinces whose districts are listed, and wards named in domain/seeds/.
PROVINCES_WITH_DISTRICTS: tuple[str, ...] = ("92",)
SEED_WARD_CODES: tuple[str, ...] = (
    "31171",  # Phường Trà Nóc, Quận Bình Thủy (TSVM recognition, 2013)
    "31274",  # Xã Đông Thắng, Huyện Cờ Đỏ (named among the district's works)
)

LEVEL_ORDER: dict[str, int] = {
    "country": 0,
    "province": 1,
    "district": 2,
    "ward": 3,
    "agency": 4,
    "party": 5,
}
CITY_KIND = "thành phố trực thuộc trung ương"
PROVINCE_KIND = "tỉnh"
EN_SUFFIX: dict[str, str] = {
    CITY_KIND: "City",
    PROVINCE_KIND: "Province",
    "quận": "District",
    "huyện": "District",
    "thị xã": "Town",
    "phường": "Ward",
    "xã": "Commune",
    "thị trấn": "Township",
}
# Abbreviations a staff member types before a short name ("Q. Ô Môn").
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    CITY_KIND: ("TP", "TP."),
    "quận": ("Q.",),
    "huyện": ("H.",),
    "thị xã": ("TX", "TX."),
    "phường": ("P.",),
    "thị trấn": ("TT", "TT."),
}
# English names that are not "<name without diacritics> <suffix>".
EN_NAME_OVERRIDES: dict[str, str] = {
    "Hà Nội": "Hanoi",
    "Hồ Chí Minh": "Ho Chi Minh City",
}
# Other spellings and former names of provinces, by short name.
EXTRA_PROVINCE_ALIASES: dict[str, tuple[str, ...]] = {
    "Hà Nội": ("HN",),
    "Hồ Chí Minh": ("TP.HCM", "TPHCM", "TP HCM", "HCM"),
    "Huế": ("Tỉnh Thừa Thiên Huế", "Thừa Thiên Huế", "Thừa Thiên - Huế"),
    "Bà Rịa - Vũng Tàu": ("Bà Rịa Vũng Tàu", "BR-VT"),
    "Bắc Kạn": ("Bắc Cạn",),
    "Đắk Lắk": ("Đắc Lắc",),
    "Đắk Nông": ("Đắc Nông",),
}
EXTRA_PROVINCE_NOTES: dict[str, str] = {
    "46": "Tỉnh Thừa Thiên Huế until 2024-12-31, Thành phố Huế from 2025-01-01 "
    "(same territory; not from the package data, which has only the new name)",
}


@dataclass(frozen=True)
class Unit:
    """One row of data/units.csv; empty strings stand for empty cells."""

    unit_code: str
    name_vi: str
    name_en: str
    parent_code: str
    level: str
    kind: str
    official_code: str = ""
    valid_from: str = ""
    valid_to: str = ""
    successor_code: str = ""
    aliases: str = ""
    note: str = ""


COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Unit))

_SUBORDINATE_NOTE = "illustrative selection of subordinate organisations"
_RESTRUCTURE_NOTE = (
    "; reorganised with its agency from 2025-03-01 (Decree 40/2025/NĐ-CP of 2025-02-26)"
)


def _party_unit(code: str, name_vi: str, name_en: str, aliases: str, **changes: str) -> Unit:
    """A party organisation under the ministry's party organisation (DBBCT)."""
    note = _SUBORDINATE_NOTE + changes.pop("note", "")
    unit = Unit(code, name_vi, name_en, "DBBCT", "party", "đảng bộ", aliases=aliases, note=note)
    return replace(unit, **changes)


HAND_MADE_UNITS: tuple[Unit, ...] = (
    Unit(
        unit_code="BCT",
        name_vi="Bộ Công Thương",
        name_en="Ministry of Industry and Trade",
        parent_code=COUNTRY_CODE,
        level="agency",
        kind="cơ quan",
        aliases="BCT|MOIT|Bộ CT",
    ),
    Unit(
        unit_code="918-CCT",
        name_vi="Chi cục Thuế quận Bình Thủy",
        name_en="Binh Thuy District Tax Department",
        parent_code="918",
        level="agency",
        kind="cơ quan",
        valid_to=LAST_DAY_BEFORE_2025_REFORM,
        aliases="Chi cục Thuế Bình Thủy|Chi cục Thuế Q. Bình Thủy|CCT quận Bình Thủy",
        note="valid_to is an upper bound (its district ended then); the tax administration "
        "was reorganised earlier in 2025 and the exact end date is not verified",
    ),
    Unit(
        unit_code="BBT",
        name_vi="Ban Bí thư",
        name_en="Secretariat of the Party Central Committee",
        parent_code="",
        level="party",
        kind="cơ quan đảng",
        aliases="Ban Bí thư Trung ương|Ban Bí thư Trung ương Đảng|BBT",
    ),
    Unit(
        unit_code="BCSD-BCT",
        name_vi="Ban Cán sự Đảng Bộ Công Thương",
        name_en="Party Affairs Committee of the Ministry of Industry and Trade",
        parent_code="",
        level="party",
        kind="ban cán sự đảng",
        aliases="Ban cán sự đảng Bộ|BCSĐ Bộ Công Thương|Ban Cán sự",
        note="ministries' ban cán sự đảng ended with the 2025 restructuring; end date not verified",
    ),
    Unit(
        unit_code="DBBCT",
        name_vi="Đảng bộ Bộ Công Thương",
        name_en="Party Organisation of the Ministry of Industry and Trade",
        parent_code="",
        level="party",
        kind="đảng bộ",
        aliases="Đảng ủy Bộ Công Thương|Đảng bộ Bộ|Đảng ủy Bộ|Đảng bộ BCT",
        note="65 party organisations at the start of the 2020-2025 term, 38 in 2025",
    ),
    _party_unit(
        "DBBCT-01",
        "Đảng bộ Văn phòng Bộ Công Thương",
        "Party Organisation of the Ministry Office",
        "Văn phòng Bộ|Văn phòng Bộ Công Thương|Đảng ủy Văn phòng Bộ",
    ),
    _party_unit(
        "DBBCT-02",
        "Đảng bộ Cục Xuất nhập khẩu",
        "Party Organisation of the Agency of Foreign Trade",
        "Cục Xuất nhập khẩu|Đảng ủy Cục Xuất nhập khẩu|Cục XNK",
    ),
    _party_unit(
        "DBBCT-03",
        "Đảng bộ Tổng cục Quản lý thị trường",
        "Party Organisation of the Directorate of Market Surveillance",
        "Tổng cục Quản lý thị trường|Đảng ủy Tổng cục Quản lý thị trường|Tổng cục QLTT",
        valid_to="2025-02-28",
        successor_code="DBBCT-11",
        note=_RESTRUCTURE_NOTE,
    ),
    _party_unit(
        "DBBCT-04",
        "Đảng bộ Cục Điều tiết điện lực",
        "Party Organisation of the Electricity Regulatory Authority",
        "Cục Điều tiết điện lực|Đảng ủy Cục Điều tiết điện lực|ERAV",
        valid_to="2025-02-28",
        successor_code="DBBCT-12",
        note=_RESTRUCTURE_NOTE,
    ),
    _party_unit(
        "DBBCT-05",
        "Đảng bộ Trường Đại học Công nghiệp Hà Nội",
        "Party Organisation of Hanoi University of Industry",
        "Trường Đại học Công nghiệp Hà Nội|Đại học Công nghiệp Hà Nội|ĐH Công nghiệp Hà Nội|HaUI",
    ),
    _party_unit(
        "DBBCT-06",
        "Đảng bộ Trường Đại học Công nghiệp Thành phố Hồ Chí Minh",
        "Party Organisation of the Industrial University of Ho Chi Minh City",
        "Trường Đại học Công nghiệp Thành phố Hồ Chí Minh|"
        "Trường Đại học Công nghiệp TP.HCM|ĐH Công nghiệp TP.HCM|IUH",
    ),
    _party_unit(
        "DBBCT-07",
        "Đảng bộ Trường Đại học Điện lực",
        "Party Organisation of Electric Power University",
        "Trường Đại học Điện lực|Đại học Điện lực|ĐH Điện lực|EPU",
    ),
    _party_unit(
        "DBBCT-08",
        "Đảng bộ Viện Nghiên cứu Chiến lược, Chính sách Công Thương",
        "Party Organisation of the Vietnam Institute of Strategy and Policy for Industry and Trade",
        "Viện Nghiên cứu Chiến lược, Chính sách Công Thương|"
        "Viện Nghiên cứu Chiến lược Chính sách Công Thương|VIOIT",
    ),
    _party_unit(
        "DBBCT-09",
        "Đảng bộ Báo Công Thương",
        "Party Organisation of the Industry and Trade Newspaper",
        "Báo Công Thương|Đảng ủy Báo Công Thương",
    ),
    _party_unit(
        "DBBCT-10",
        "Đảng bộ Trường Cao đẳng Công Thương Thành phố Hồ Chí Minh",
        "Party Organisation of the Ho Chi Minh City College of Industry and Trade",
        "Trường Cao đẳng Công Thương TP.HCM|Cao đẳng Công Thương Thành phố Hồ Chí Minh",
        valid_to="2025-01-31",
        note=(
            "; stands for the organisations transferred to local party committees during the"
            " 2020-2025 term: the transfer date is illustrative"
        ),
    ),
    _party_unit(
        "DBBCT-11",
        "Đảng bộ Cục Quản lý và Phát triển thị trường trong nước",
        "Party Organisation of the Domestic Market Management and Development Agency",
        "Cục Quản lý và Phát triển thị trường trong nước|"
        "Đảng ủy Cục Quản lý và Phát triển thị trường trong nước",
        valid_from="2025-03-01",
        note="; continues DBBCT-03",
    ),
    _party_unit(
        "DBBCT-12",
        "Đảng bộ Cục Điện lực",
        "Party Organisation of the Electricity Authority",
        "Cục Điện lực|Đảng ủy Cục Điện lực",
        valid_from="2025-03-01",
        note="; continues DBBCT-04",
    ),
)


@dataclass(frozen=True)
class AdminRow:
    """One administrative unit as the package describes it."""

    code: str
    name: str  # full name with its prefix: "Thành phố Cần Thơ", "Phường Trà Nóc"
    short: str  # name without the prefix: "Cần Thơ", "Trà Nóc"
    kind: str  # the Vietnamese administrative word, lower case
    key: str  # the package's diacritics-free key: "thanhphocantho"
    parent_code: str = ""


# --- reading the package data ----------------------------------------------------


def package_data_dir() -> Path:
    """The ``data`` folder of the installed vietnamadminunits package."""
    spec = find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("vietnamadminunits is not installed: pip install -e '.[catalogue]'")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def open_dataset(data_dir: Path) -> sqlite3.Connection:
    """Open the package's SQLite file read-only."""
    return sqlite3.connect(f"file:{data_dir / 'dataset.db'}?mode=ro", uri=True)


def load_converter(data_dir: Path) -> dict[str, Any]:
    """The 2025 conversion tables (province and ward keys, old to new)."""
    with (data_dir / "converter_2025.json").open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def province_kind(full_name: str) -> str:
    """'thành phố trực thuộc trung ương' or 'tỉnh', from the official name."""
    return CITY_KIND if full_name.startswith("Thành phố ") else PROVINCE_KIND


def query_provinces(conn: sqlite3.Connection, table: str) -> list[AdminRow]:
    """The distinct provinces of one table (admin_units_legacy or admin_units)."""
    if table not in ("admin_units_legacy", "admin_units"):
        raise ValueError(table)
    sql = (
        f"SELECT DISTINCT provinceCode, province, provinceShort, provinceKey FROM {table} "
        "ORDER BY provinceCode"
    )
    return [
        AdminRow(str(code), str(name), str(short), province_kind(str(name)), str(key))
        for code, name, short, key in conn.execute(sql)
    ]


def query_districts(conn: sqlite3.Connection, province_code: str) -> list[AdminRow]:
    """The pre-2025 districts of one province."""
    sql = (
        "SELECT DISTINCT districtCode, district, districtShort, districtType, districtKey "
        "FROM admin_units_legacy WHERE provinceCode = ? ORDER BY districtCode"
    )
    return [
        AdminRow(str(code), str(name), str(short), str(kind).lower(), str(key), province_code)
        for code, name, short, kind, key in conn.execute(sql, (province_code,))
    ]


def query_legacy_ward(conn: sqlite3.Connection, ward_code: str) -> tuple[AdminRow, str]:
    """One pre-2025 ward and its converter key ("<province>_<district>_<ward>")."""
    sql = (
        "SELECT wardCode, ward, wardShort, wardType, wardKey, districtCode, "
        "provinceKey, districtKey FROM admin_units_legacy WHERE wardCode = ?"
    )
    row = conn.execute(sql, (ward_code,)).fetchone()
    if row is None:
        raise LookupError(f"ward {ward_code} is not in admin_units_legacy")
    code, name, short, kind, key, district_code, province_key, district_key = map(str, row)
    ward = AdminRow(code, name, short, kind.lower(), key, district_code)
    return ward, f"{province_key}_{district_key}_{key}"


def query_legacy_ward_by_key(conn: sqlite3.Connection, full_key: str) -> str:
    """The full name of a pre-2025 ward from its converter key."""
    province_key, district_key, ward_key = full_key.split("_")
    sql = (
        "SELECT ward FROM admin_units_legacy "
        "WHERE provinceKey = ? AND districtKey = ? AND wardKey = ?"
    )
    row = conn.execute(sql, (province_key, district_key, ward_key)).fetchone()
    return str(row[0]) if row else full_key


def query_new_ward(conn: sqlite3.Connection, province_key: str, ward_key: str) -> AdminRow:
    """One post-2025 ward of a post-2025 province."""
    sql = (
        "SELECT wardCode, ward, wardShort, wardType, provinceCode FROM admin_units "
        "WHERE provinceKey = ? AND wardKey = ?"
    )
    row = conn.execute(sql, (province_key, ward_key)).fetchone()
    if row is None:
        raise LookupError(f"ward {ward_key} of {province_key} is not in admin_units")
    code, name, short, kind, province_code = map(str, row)
    return AdminRow(code, name, short, kind.lower(), ward_key, province_code)


# --- names and aliases ------------------------------------------------------------


def without_diacritics(text: str) -> str:
    """ASCII transliteration: 'Thới Lai' -> 'Thoi Lai', 'Đà Nẵng' -> 'Da Nang'."""
    text = text.replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def english_name(row: AdminRow) -> str:
    """'Can Tho City', 'Hau Giang Province', 'O Mon District', 'Tra Noc Ward'."""
    if row.short in EN_NAME_OVERRIDES:
        return EN_NAME_OVERRIDES[row.short]
    return f"{without_diacritics(row.short)} {EN_SUFFIX[row.kind]}"


def join_aliases(aliases: Iterable[str], name_vi: str) -> str:
    """Aliases separated by '|', without duplicates or the name itself."""
    seen: list[str] = []
    for alias in aliases:
        if alias and alias != name_vi and alias not in seen:
            seen.append(alias)
    return "|".join(seen)


def admin_aliases(row: AdminRow) -> str:
    """'TP Cần Thơ|Cần Thơ|TP. Cần Thơ', 'Ô Môn|Q. Ô Môn', 'Hậu Giang'."""
    abbreviations = ABBREVIATIONS.get(row.kind, ())
    candidates: list[str] = []
    if row.kind == CITY_KIND:
        candidates += [f"{abbreviations[0]} {row.short}", row.short]
        candidates += [f"{abbr} {row.short}" for abbr in abbreviations[1:]]
    else:
        candidates += [row.short] + [f"{abbr} {row.short}" for abbr in abbreviations]
    if row.kind in (CITY_KIND, PROVINCE_KIND):
        candidates += EXTRA_PROVINCE_ALIASES.get(row.short, ())
    return join_aliases(candidates, row.name)


# --- building the rows ------------------------------------------------------------


def country_unit() -> Unit:
    """The root of the administrative tree."""
    return Unit(COUNTRY_CODE, "Cả nước", "Viet Nam", "", "country", "", aliases="Việt Nam")


def province_unit(row: AdminRow, unit_code: str, **changes: str) -> Unit:
    """A province row under the country."""
    unit = Unit(
        unit_code=unit_code,
        name_vi=row.name,
        name_en=english_name(row),
        parent_code=COUNTRY_CODE,
        level="province",
        kind=row.kind,
        official_code=row.code,
        aliases=admin_aliases(row),
    )
    return replace(unit, **changes)


def describe(rows: Sequence[AdminRow]) -> str:
    """'Thành phố Cần Thơ (92), Tỉnh Hậu Giang (93)'."""
    return ", ".join(f"{row.name} ({row.code})" for row in rows)


def build_provinces(
    old: Sequence[AdminRow], new: Sequence[AdminRow], old_keys_by_new_key: dict[str, list[str]]
) -> tuple[list[Unit], dict[str, str]]:
    """Province rows before and after 1 July 2025, and new province key -> unit code."""
    old_by_key = {row.key: row for row in old}
    units: list[Unit] = []
    code_by_new_key: dict[str, str] = {}
    for row in new:
        sources = [old_by_key[key] for key in old_keys_by_new_key[row.key]]
        if [source.key for source in sources] == [row.key]:
            units.append(continuing_province(row, sources[0]))
            code_by_new_key[row.key] = row.code
            continue
        new_code = row.code + NEW_CODE_SUFFIX
        code_by_new_key[row.key] = new_code
        units.append(merged_province(row, new_code, sources, old))
        units += [merged_away_province(source, row, new_code) for source in sources]
    return units, code_by_new_key


def continuing_province(row: AdminRow, source: AdminRow) -> Unit:
    """A province that Resolution 202/2025/QH15 left unchanged: one row throughout."""
    if (row.code, row.name) != (source.code, source.name):
        raise ValueError(f"unmerged province changed code or name: {source} -> {row}")
    note = f"not merged on {FIRST_DAY_AFTER_2025_REFORM} ({REFORM_NOTE}): the unit continues"
    extra = EXTRA_PROVINCE_NOTES.get(row.code)
    return province_unit(row, row.code, note=f"{note}; {extra}" if extra else note)


def merged_province(
    row: AdminRow, new_code: str, sources: Sequence[AdminRow], old: Sequence[AdminRow]
) -> Unit:
    """A province formed on 1 July 2025 from several old ones."""
    note = f"formed on {FIRST_DAY_AFTER_2025_REFORM} ({REFORM_NOTE}) from {describe(sources)}"
    previous_holder = [o for o in old if o.code == row.code and o.short != row.short]
    if previous_holder:
        note += f"; official code {row.code} was {previous_holder[0].name}'s before"
    return province_unit(row, new_code, valid_from=FIRST_DAY_AFTER_2025_REFORM, note=note)


def merged_away_province(source: AdminRow, target: AdminRow, new_code: str) -> Unit:
    """An old province that went into a new one on 1 July 2025."""
    note = f"merged into {target.name} ({new_code}) on {FIRST_DAY_AFTER_2025_REFORM}"
    extra = EXTRA_PROVINCE_NOTES.get(source.code)
    return province_unit(
        source,
        source.code,
        valid_to=LAST_DAY_BEFORE_2025_REFORM,
        successor_code=new_code,
        note=f"{note}; {extra}" if extra else note,
    )


def build_districts(conn: sqlite3.Connection, province_codes: Iterable[str]) -> list[Unit]:
    """The districts of the given provinces, all closed when districts were abolished."""
    note = f"district level abolished on {FIRST_DAY_AFTER_2025_REFORM}: no successor"
    return [
        Unit(
            unit_code=row.code,
            name_vi=row.name,
            name_en=english_name(row),
            parent_code=row.parent_code,
            level="district",
            kind=row.kind,
            official_code=row.code,
            valid_to=LAST_DAY_BEFORE_2025_REFORM,
            aliases=admin_aliases(row),
            note=note,
        )
        for code in province_codes
        for row in query_districts(conn, code)
    ]


def ward_unit(row: AdminRow, unit_code: str, parent_code: str, **changes: str) -> Unit:
    """A ward, commune or township row."""
    unit = Unit(
        unit_code=unit_code,
        name_vi=row.name,
        name_en=english_name(row),
        parent_code=parent_code,
        level="ward",
        kind=row.kind,
        official_code=row.code,
        aliases=admin_aliases(row),
    )
    return replace(unit, **changes)


def new_province_key(converter: dict[str, Any], old_province_key: str) -> str:
    """The post-2025 province that an old province went into."""
    for new_key, old_keys in converter["DICT_PROVINCE"].items():
        if old_province_key in old_keys:
            return str(new_key)
    raise LookupError(old_province_key)


def build_ward(
    conn: sqlite3.Connection,
    converter: dict[str, Any],
    ward_code: str,
    code_by_new_key: dict[str, str],
) -> list[Unit]:
    """A pre-2025 ward and, when it went whole into one new ward, that new ward."""
    ward, full_key = query_legacy_ward(conn, ward_code)
    province_key = new_province_key(converter, full_key.split("_")[0])
    undivided: dict[str, list[str]] = converter["DICT_PROVINCE_WARD_NO_DIVIDED"][province_key]
    target_key = next((new for new, olds in undivided.items() if full_key in olds), None)
    closed = {"valid_to": LAST_DAY_BEFORE_2025_REFORM}
    if target_key is None:
        note = f"split between several wards on {FIRST_DAY_AFTER_2025_REFORM}: no successor"
        return [ward_unit(ward, ward.code, ward.parent_code, note=note, **closed)]
    target = query_new_ward(conn, province_key, target_key)
    target_code = target.code + NEW_CODE_SUFFIX
    sources = [query_legacy_ward_by_key(conn, key) for key in undivided[target_key]]
    old_row = ward_unit(
        ward,
        ward.code,
        ward.parent_code,
        successor_code=target_code,
        note=f"merged into {target.name} ({target_code}) on {FIRST_DAY_AFTER_2025_REFORM}",
        **closed,
    )
    new_row = ward_unit(
        target,
        target_code,
        code_by_new_key[province_key],
        valid_from=FIRST_DAY_AFTER_2025_REFORM,
        note=f"formed on {FIRST_DAY_AFTER_2025_REFORM} from {', '.join(sources)}",
    )
    return [old_row, new_row]


def build_units(data_dir: Path) -> list[Unit]:
    """Every row of the catalogue, sorted by level and code."""
    converter = load_converter(data_dir)
    with closing(open_dataset(data_dir)) as conn:
        provinces, code_by_new_key = build_provinces(
            query_provinces(conn, "admin_units_legacy"),
            query_provinces(conn, "admin_units"),
            converter["DICT_PROVINCE"],
        )
        districts = build_districts(conn, PROVINCES_WITH_DISTRICTS)
        wards = [
            unit
            for code in SEED_WARD_CODES
            for unit in build_ward(conn, converter, code, code_by_new_key)
        ]
    units = [country_unit(), *provinces, *districts, *wards, *HAND_MADE_UNITS]
    units = sorted(set(units), key=lambda unit: (LEVEL_ORDER[unit.level], unit.unit_code))
    check_units(units)
    return units


# --- checking and writing ---------------------------------------------------------


def check_units(units: Sequence[Unit]) -> None:
    """Fail loudly on duplicate codes, dangling references or bad values."""
    codes = [unit.unit_code for unit in units]
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    problems = [f"duplicate unit_code {code}" for code in duplicates]
    known = set(codes)
    for unit in units:
        for column in ("parent_code", "successor_code"):
            reference = getattr(unit, column)
            if reference and reference not in known:
                problems.append(f"{unit.unit_code}: {column} {reference} does not exist")
        if unit.level not in LEVEL_ORDER:
            problems.append(f"{unit.unit_code}: unknown level {unit.level}")
        if unit.valid_from and unit.valid_to and unit.valid_from > unit.valid_to:
            problems.append(f"{unit.unit_code}: valid_from after valid_to")
    if problems:
        raise ValueError("; ".join(problems))


def render_csv(units: Sequence[Unit]) -> str:
    """The catalogue as CSV text with a header row and '\\n' line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(astuple(unit) for unit in units)
    return buffer.getvalue()


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Regenerate data/units.csv.")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="CSV to write")
    parser.add_argument(
        "--check", action="store_true", help="do not write; exit 1 if the file is stale"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    units = build_units(package_data_dir())
    text = render_csv(units)
    output: Path = args.output
    if args.check:
        current = output.read_text(encoding="utf-8") if output.exists() else ""
        if current != text:
            print(f"{output} is stale: run python scripts/build_unit_catalogue.py")
            return 1
        return 0
    output.write_text(text, encoding="utf-8")
    print(f"wrote {len(units)} units to {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
