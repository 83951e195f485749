"""parse_value: one spreadsheet cell read as a number, Vietnamese notation first."""

from __future__ import annotations

import math
import random
import unicodedata
from datetime import date, datetime, time
from decimal import Decimal

import pytest

from etl import values as values_module
from etl.messages import MESSAGES, render
from etl.values import ParsedValue, ValueParseError, parse_value

NBSP = "\u00a0"
THIN = "\u2009"
NARROW_NBSP = "\u202f"


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def plain(value: float) -> ParsedValue:
    return ParsedValue(value=value, qualifier=None, is_percent=False, footnote=None)


def percent(value: float) -> ParsedValue:
    return ParsedValue(value=value, qualifier=None, is_percent=True, footnote=None)


MISSING = ParsedValue(value=None, qualifier=None, is_percent=False, footnote=None)


@pytest.mark.parametrize(
    "raw",
    [
        *(None, "", "   ", NBSP, "..", "...", "…", "-", "–", "—", "x", "X"),
        *("k.c", "K.C", "n/a", "N/A", f" {NBSP}-{THIN} ", float("nan")),
    ],
)
def test_missing_markers_give_no_value_never_zero(raw: object) -> None:
    assert parse_value(raw) == MISSING


def test_missing_marker_may_carry_a_footnote() -> None:
    assert parse_value("-(1)") == ParsedValue(None, None, False, "(1)")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (5, 5.0),
        (0, 0.0),
        (-3, -3.0),
        (9.52, 9.52),
        (3093, 3093.0),
        (Decimal("11345067.5"), 11345067.5),
    ],
)
def test_numbers_pass_through(raw: object, expected: float) -> None:
    parsed = parse_value(raw)
    assert parsed == plain(expected)
    assert isinstance(parsed.value, float)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Vietnamese notation: decimal comma, thousands dots
        ("9,52", plain(9.52)),
        ("3.093", plain(3093)),
        ("1.383", plain(1383)),
        ("11.345.067", plain(11345067)),
        ("11.345.067,5", plain(11345067.5)),
        ("0,5", plain(0.5)),
        ("306", plain(306)),
        ("00042", plain(42)),
        # the documented ambiguity: one comma + three digits is a decimal comma
        ("1,234", plain(1.234)),
        # a dot with a zero before it cannot be thousands
        ("0.093", plain(0.093)),
        # percentages, with or without a space, and a space after the decimal comma
        ("4, 68%", percent(4.68)),
        ("9,52 %", percent(9.52)),
        ("9,52" + NBSP + "%", percent(9.52)),
        ("80%", percent(80)),
        ("100 %", percent(100)),
        # signs
        ("−5", plain(-5)),
        ("-5", plain(-5)),
        ("- 5", plain(-5)),
        ("+5", plain(5)),
        ("−2,5%", percent(-2.5)),
        # spaces of every kind, anywhere; spaces as thousands separators
        (f"{NBSP}25{THIN}", plain(25)),
        ("1 234", plain(1234)),
        (f"1{NBSP}234{NBSP}567", plain(1234567)),
        (f"1{THIN}234", plain(1234)),
        (f"1{NARROW_NBSP}234,5", plain(1234.5)),
        ("  3.093  ", plain(3093)),
        # unambiguous English notation
        ("1,234,567", plain(1234567)),
        ("1,234,567.89", plain(1234567.89)),
        ("1,234.5", plain(1234.5)),
        ("12.5", plain(12.5)),
        ("12.50", plain(12.5)),
        ("3.09", plain(3.09)),
        ("1234.567", plain(1234.567)),
    ],
)
def test_number_text(raw: str, expected: ParsedValue) -> None:
    parsed = parse_value(raw)
    assert parsed == expected
    assert parsed.value is not None and expected.value is not None
    assert math.isclose(parsed.value, expected.value)


@pytest.mark.parametrize(
    ("raw", "value", "footnote"),
    [
        ("(1) 25", 25, "(1)"),
        ("(1)25", 25, "(1)"),
        ("25(1)", 25, "(1)"),
        ("25 (2)", 25, "(2)"),
        ("25*", 25, "*"),
        ("25 **", 25, "**"),
        ("* 25", 25, "*"),
        ("25(*)", 25, "(*)"),
        ("25[3]", 25, "[3]"),
        ("25¹", 25, "¹"),
        ("3.093 (1)", 3093, "(1)"),
    ],
)
def test_footnote_markers_are_set_aside(raw: str, value: float, footnote: str) -> None:
    assert parse_value(raw) == ParsedValue(value, None, False, footnote)


def test_footnote_after_a_percent_sign() -> None:
    assert parse_value("80%(1)") == ParsedValue(80, None, True, "(1)")
    assert parse_value("9,52 % *") == ParsedValue(9.52, None, True, "*")


@pytest.mark.parametrize(
    ("raw", "qualifier", "value", "is_percent"),
    [
        ("hơn 80%", "lower_bound", 80, True),
        ("Hơn 80%", "lower_bound", 80, True),
        ("HƠN 80 %", "lower_bound", 80, True),
        ("trên 300", "lower_bound", 300, False),
        ("vượt 5%", "lower_bound", 5, True),
        ("ít nhất 10", "lower_bound", 10, False),
        ("tối thiểu 10", "lower_bound", 10, False),
        ("từ 80% trở lên", "lower_bound", 80, True),
        ("80% trở lên", "lower_bound", 80, True),
        ("từ 5% trở xuống", "upper_bound", 5, True),
        ("dưới 5%", "upper_bound", 5, True),
        ("chưa đến 5", "upper_bound", 5, False),
        ("chưa tới 5", "upper_bound", 5, False),
        ("không quá 3", "upper_bound", 3, False),
        ("tối đa 3", "upper_bound", 3, False),
        ("khoảng 300", "approximate", 300, False),
        ("xấp xỉ 1.383", "approximate", 1383, False),
        ("chừng 20", "approximate", 20, False),
        ("ước 20", "approximate", 20, False),
        ("ước đạt 95,5%", "approximate", 95.5, True),
        ("~300", "approximate", 300, False),
        ("≈ 300", "approximate", 300, False),
        ("gần 300", "nearly", 300, False),
        ("gần 3.000", "nearly", 3000, False),
        (">80%", "lower_bound", 80, True),
        ("> 80%", "lower_bound", 80, True),
        ("≥ 80", "lower_bound", 80, False),
        (">= 80", "lower_bound", 80, False),
        ("<5", "upper_bound", 5, False),
        ("≤ 5%", "upper_bound", 5, True),
        ("<= 5", "upper_bound", 5, False),
        # decomposed (NFD) text, as some documents carry it
        (nfd("hơn 80%"), "lower_bound", 80, True),
        (nfd("Chưa đến 5"), "upper_bound", 5, False),
        (nfd("XẤP XỈ 20"), "approximate", 20, False),
        (nfd("gần 300"), "nearly", 300, False),
        (f"hơn{NBSP}80{NBSP}%", "lower_bound", 80, True),
        ("hơn 80% (1)", "lower_bound", 80, True),
    ],
)
def test_qualifier_words(raw: str, qualifier: str, value: float, is_percent: bool) -> None:
    parsed = parse_value(raw)
    assert parsed.qualifier == qualifier
    assert parsed.value == value
    assert parsed.is_percent is is_percent


def assert_renders(err: ValueParseError, *must_contain: str) -> None:
    """Both languages render, differ, name the value and end with the remedy sentence."""
    vi, en = err.message("vi"), err.message("en")
    assert vi != en
    assert str(err) == vi
    for text in (vi, en):
        assert text.endswith(".")
        assert "{" not in text
        for fragment in must_contain:
            assert fragment in text


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("#DIV/0!", "#DIV/0!"),
        ("#REF!", "#REF!"),
        ("#N/A", "#N/A"),
        ("#VALUE!", "#VALUE!"),
        ("#NAME?", "#NAME?"),
        ("#NUM!", "#NUM!"),
        ("#NULL!", "#NULL!"),
        (" #div/0! ", "#DIV/0!"),
    ],
)
def test_excel_errors_are_refused(raw: str, code: str) -> None:
    with pytest.raises(ValueParseError) as caught:
        parse_value(raw)
    err = caught.value
    assert err.key == "value_excel_error"
    assert err.params == {"value": code}
    assert_renders(err, code)
    assert "Excel" in err.message("vi") and "Excel" in err.message("en")


@pytest.mark.parametrize(
    "raw",
    [
        "abc",
        "Tổng cộng",
        "25 30",
        "25 - 30",
        "1, 2, 3",
        "=A1+B2",
        "=SUM(B2:B9)",
        "1.2.3",
        "1.2345.678",
        "12 5",
        "9,52,1",
        "1.234,5,6",
        "hơn",
        "hơn nhiều",
        "khoảng -",
        "(1)",
        "(25)",
        "*",
        "80%%",
        "% 80",
        "từ 80",
        "vượt chỉ tiêu",
        "1.2E+07",
        "inf",
        "nan",
        "5 hộ",
        "gầnh 5",
    ],
)
def test_text_that_is_not_one_number_is_refused(raw: str) -> None:
    with pytest.raises(ValueParseError) as caught:
        parse_value(raw)
    err = caught.value
    assert err.key == "value_not_number"
    assert err.params == {"value": raw.strip()}
    assert_renders(err, raw.strip())


def test_a_long_text_is_shortened_in_the_message() -> None:
    raw = "Ghi chú: " + "rất dài " * 30
    with pytest.raises(ValueParseError) as caught:
        parse_value(raw)
    shown = caught.value.params["value"]
    assert len(shown) == 60 and shown.endswith("…")
    assert raw.startswith(shown[:-1])


@pytest.mark.parametrize(("raw", "shown"), [(True, "True"), (False, "False")])
def test_booleans_are_refused(raw: bool, shown: str) -> None:
    with pytest.raises(ValueParseError) as caught:
        parse_value(raw)
    assert caught.value.key == "value_is_boolean"
    assert_renders(caught.value, shown)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (date(2025, 5, 9), "09/05/2025"),
        (datetime(2012, 8, 21), "21/08/2012"),
        (datetime(2012, 8, 21, 14, 30), "21/08/2012 14:30"),
        (time(9, 52), "09:52"),
    ],
)
def test_dates_are_refused(raw: object, shown: str) -> None:
    with pytest.raises(ValueParseError) as caught:
        parse_value(raw)
    assert caught.value.key == "value_is_date"
    assert caught.value.params == {"value": shown}
    assert_renders(caught.value, shown)


@pytest.mark.parametrize("raw", [float("inf"), float("-inf"), [1, 2], object()])
def test_other_objects_are_refused(raw: object) -> None:
    with pytest.raises(ValueParseError) as caught:
        parse_value(raw)
    assert caught.value.key == "value_not_number"
    assert_renders(caught.value)


@pytest.mark.parametrize(
    "key", ["value_excel_error", "value_not_number", "value_is_date", "value_is_boolean"]
)
def test_registered_messages_have_both_languages_and_a_value(key: str) -> None:
    vi, en = MESSAGES[key]
    assert "{value}" in vi and "{value}" in en
    assert render(key, "vi", value="X1") != render(key, "en", value="X1")
    # Vietnamese first: the Vietnamese text carries Vietnamese letters
    assert any(unicodedata.normalize("NFD", ch) != ch for ch in vi)


def test_parsed_value_is_immutable() -> None:
    parsed = parse_value("9,52")
    with pytest.raises(AttributeError):
        parsed.value = 1.0  # type: ignore[misc]


def _plain_forms() -> list[str]:
    """Numbers as offices type them as text, in the forms the fast path takes."""
    rng = random.Random(11)
    forms: list[str] = ["0", "0,5", "9,52", "3.093", "1.383", "11.345.067", "1.000", "2071"]
    for _ in range(300):
        number = rng.randint(0, 10**9)
        forms.append(f"{number:,}".replace(",", "."))
        forms.append(f"{number}")
        forms.append(f"{number},{rng.randint(0, 999)}")
    return forms


@pytest.mark.parametrize("text", _plain_forms())
def test_fast_path_reads_plain_numbers_as_the_general_reading_does(text: str) -> None:
    assert values_module._PLAIN_THOUSANDS.fullmatch(text) or values_module._PLAIN_DECIMAL.fullmatch(
        text
    )
    assert values_module._parse_text(text) == values_module._parse_general_text(text)


@pytest.mark.parametrize("text", ["0.093", "007", "01,5", "1.23", "12.3456"])
def test_fast_path_leaves_unusual_forms_to_the_general_reading(text: str) -> None:
    assert not values_module._PLAIN_THOUSANDS.fullmatch(text)
    assert not values_module._PLAIN_DECIMAL.fullmatch(text)
