"""Find units and indicators of the catalogue from the names staff type."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date

import duckdb

from etl.text import fold

# Administrative prefixes, folded, longest first so "thanh pho" wins over "thanh".
_UNIT_PREFIXES = sorted(
    [
        "thanh pho",
        "tp.",
        "tp",
        "tinh",
        "quan",
        "q.",
        "huyen",
        "h.",
        "thi xa",
        "tx.",
        "phuong",
        "p.",
        "xa",
        "thi tran",
        "tt.",
    ],
    key=len,
    reverse=True,
)
_PARENTHESIS = re.compile(r"\s*\([^)]*\)\s*$")
_NOT_WORD = re.compile(r"[^\w%]+")


def strip_unit_prefix(folded: str) -> str:
    for prefix in _UNIT_PREFIXES:
        if folded.startswith(prefix) and len(folded) > len(prefix):
            rest = folded[len(prefix) :]
            if prefix.endswith(".") or rest.startswith(" "):
                return rest.strip(" .")
    return folded


@dataclass(frozen=True)
class UnitEntry:
    code: str
    name_vi: str
    valid_from: date | None
    valid_to: date | None

    def valid_during(self, start: date, end: date) -> bool:
        """True when the unit existed for at least part of the period."""
        return (self.valid_from is None or end >= self.valid_from) and (
            self.valid_to is None or start <= self.valid_to
        )


@dataclass(frozen=True)
class IndicatorEntry:
    code: str
    name_vi: str
    name_en: str
    measure_vi: str
    kind: str
    min_value: float | None
    max_value: float | None
    unit_aggregation: str
    numerator_code: str | None = None
    denominator_code: str | None = None
    ratio_scale: float | None = None


@dataclass(frozen=True)
class Family:
    """A ratio to plan and its two parts, as report columns name them: the estimate or
    plan (Dự toán, Kế hoạch), the actual (Thực hiện, Giải ngân) and the ratio (So sánh)."""

    ratio: str
    actual: str  # the ratio's numerator
    plan: str  # its denominator
    scale: float  # ratio = scale × actual / plan

    def code(self, role: str) -> str:
        """The indicator a column of the given role (plan, actual, ratio) holds."""
        return {"plan": self.plan, "actual": self.actual, "ratio": self.ratio}[role]


class Catalogue:
    """The units and indicators of one warehouse, indexed by every way of naming them."""

    def __init__(
        self,
        units: list[UnitEntry],
        indicators: list[IndicatorEntry],
        aliases: dict[str, list[str]],
    ) -> None:
        self.units = {u.code: u for u in units}
        self.indicators = {i.code: i for i in indicators}
        self._exact: dict[str, set[str]] = {}
        self._stripped: dict[str, set[str]] = {}
        for unit in units:
            for name in [unit.code, unit.name_vi, *aliases.get(unit.code, [])]:
                self._exact.setdefault(fold(name), set()).add(unit.code)
                self._stripped.setdefault(strip_unit_prefix(fold(name)), set()).add(unit.code)
        self._unit_memo: dict[tuple[str, date, date], tuple[str | None, set[str]]] = {}
        self._indicator_memo: dict[str, str | None] = {}
        self._indicator_names: dict[str, str] = {}
        for indicator in indicators:
            for name in (indicator.code, indicator.name_vi, indicator.name_en):
                self._indicator_names[_indicator_key(name)] = indicator.code
        self.families = _families(self.indicators)
        self._family_of_member = {
            code: family
            for family in self.families.values()
            for code in (family.ratio, family.actual, family.plan)
        }
        self._family_stems = {
            stem: family
            for family in self.families.values()
            for stem in _family_stems(family, self.indicators)
        }

    def remember(self, office_names: dict[str, str]) -> None:
        """Names an office uses (folded name → unit code): they win over the catalogue's."""
        for folded, code in office_names.items():
            if code in self.units:
                self._exact[folded] = {code}
        self._unit_memo.clear()

    @classmethod
    def from_db(cls, con: duckdb.DuckDBPyConnection) -> Catalogue:
        unit_rows = con.execute(
            "SELECT unit_code, name_vi, valid_from, valid_to, coalesce(aliases, '') FROM unit"
        ).fetchall()
        units = [UnitEntry(code, name, start, end) for code, name, start, end, _ in unit_rows]
        aliases = {
            code: [a for a in text.split("|") if a.strip()] for code, _, _, _, text in unit_rows
        }
        indicator_rows = con.execute(
            "SELECT indicator_code, name_vi, name_en, measure_vi, kind, min_value, max_value, "
            "unit_aggregation, numerator_code, denominator_code, ratio_scale FROM indicator"
        ).fetchall()
        indicators = [IndicatorEntry(*row) for row in indicator_rows]
        return cls(units, indicators, aliases)

    def find_units(self, name: str) -> set[str]:
        """Codes of every unit that the name may mean."""
        key = fold(name)
        return set(self._exact.get(key) or self._stripped.get(strip_unit_prefix(key), set()))

    def unit_for_period(self, name: str, start: date, end: date) -> tuple[str | None, set[str]]:
        """The one unit the name means during the period, and all candidates (memoised)."""
        key = (name, start, end)
        found = self._unit_memo.get(key)
        if found is None:
            candidates = self.find_units(name)
            valid = {c for c in candidates if self.units[c].valid_during(start, end)}
            found = (next(iter(valid)) if len(valid) == 1 else None, candidates)
            self._unit_memo[key] = found
        return found

    def is_unit(self, text: str) -> bool:
        return bool(self.find_units(text))

    def is_indicator(self, text: str) -> bool:
        return self.find_indicator(text) is not None

    def closest_units(self, name: str, count: int = 3) -> list[str]:
        """Names of the known units closest to an unknown name."""
        key = strip_unit_prefix(fold(name))
        matches = difflib.get_close_matches(key, list(self._stripped), n=count, cutoff=0.5)
        names: list[str] = []
        for match in matches:
            for code in sorted(self._stripped[match]):
                if self.units[code].name_vi not in names:
                    names.append(self.units[code].name_vi)
        return names[:count]

    def find_indicator(self, name: str) -> str | None:
        if name not in self._indicator_memo:
            self._indicator_memo[name] = self._indicator_names.get(_indicator_key(name))
        return self._indicator_memo[name]

    def family_of(self, text: str) -> Family | None:
        """The family a text names: one of its three indicators (name or code), or words
        common to its parts ("Thu ngân sách nhà nước", "Giải ngân vốn đầu tư công").
        None when it names none, or more than one."""
        code = self.find_indicator(text)
        if code is not None:
            return self._family_of_member.get(code)
        words = f" {_words(text)} "
        found = {f.ratio: f for stem, f in self._family_stems.items() if f" {stem} " in words}
        return next(iter(found.values())) if len(found) == 1 else None

    def names_family(self, text: str) -> bool:
        return self.family_of(text) is not None

    def closest_indicators(self, name: str, count: int = 3) -> list[str]:
        matches = difflib.get_close_matches(
            _indicator_key(name), list(self._indicator_names), n=count, cutoff=0.5
        )
        return [self.indicators[self._indicator_names[m]].name_vi for m in matches]


def _indicator_key(name: str) -> str:
    return _PARENTHESIS.sub("", fold(name)).strip(" :")


def _words(text: str) -> str:
    """Folded text with punctuation turned into spaces: "THU NGÂN SÁCH:" → "thu ngan sach"."""
    return _NOT_WORD.sub(" ", fold(text)).strip()


def _families(indicators: dict[str, IndicatorEntry]) -> dict[str, Family]:
    """Every ratio to plan whose numerator and denominator are in the catalogue."""
    families = {}
    for entry in indicators.values():
        actual, plan = entry.numerator_code, entry.denominator_code
        if entry.kind == "ratio_to_plan" and actual in indicators and plan in indicators:
            families[entry.code] = Family(entry.code, actual, plan, entry.ratio_scale or 100.0)
    return families


def _family_stems(family: Family, indicators: dict[str, IndicatorEntry]) -> list[str]:
    """Words that name a family in a title: the longest run of words its two parts' names
    share ("Dự toán thu ngân sách", "Thu ngân sách thực hiện" → "thu ngan sach"), and the
    ratio's name without "Tỷ lệ"."""
    actual = _words(indicators[family.actual].name_vi).split()
    plan = _words(indicators[family.plan].name_vi).split()
    match = difflib.SequenceMatcher(None, actual, plan, autojunk=False).find_longest_match()
    stems = [_words(indicators[family.ratio].name_vi).removeprefix("ty le ")]
    if match.size >= 2:
        stems.append(" ".join(actual[match.a : match.a + match.size]))
    return stems
