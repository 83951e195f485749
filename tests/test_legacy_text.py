"""Legacy TCVN3 (ABC) and VNI text: every letter, real-looking labels, detection, fonts."""

from __future__ import annotations

import subprocess
import unicodedata
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Font

from etl.legacy_text import (
    _tcvn3_table,
    _vni_table,
    detect_legacy_encoding,
    encoding_for_font,
    tcvn3_to_unicode,
    to_unicode,
    vni_to_unicode,
)

# Expected letters come from Python's own composition of a base and its marks.
BASES = {
    "a": "a",
    "ă": "a\u0306",
    "â": "a\u0302",
    "e": "e",
    "ê": "e\u0302",
    "i": "i",
    "o": "o",
    "ô": "o\u0302",
    "ơ": "o\u031b",
    "u": "u",
    "ư": "u\u031b",
    "y": "y",
}
NO_TONE, GRAVE, HOOK, TILDE, ACUTE, DOT = "", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"
TONES = (NO_TONE, GRAVE, HOOK, TILDE, ACUTE, DOT)


def letter(vowel: str, tone: str) -> str:
    return unicodedata.normalize("NFC", BASES[vowel] + tone)


# TCVN3, restated independently of the module: per vowel, the byte for plain, grave,
# hook, tilde, acute and dot below (None: plain ASCII). Seven capitals have bytes of
# their own; capitals with tones use the lower case bytes in the ".Vn...H" fonts.
TCVN3_BYTES: dict[str, tuple[int | None, ...]] = {
    "a": (None, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9),
    "ă": (0xA8, 0xBB, 0xBC, 0xBD, 0xBE, 0xC6),
    "â": (0xA9, 0xC7, 0xC8, 0xC9, 0xCA, 0xCB),
    "e": (None, 0xCC, 0xCE, 0xCF, 0xD0, 0xD1),
    "ê": (0xAA, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6),
    "i": (None, 0xD7, 0xD8, 0xDC, 0xDD, 0xDE),
    "o": (None, 0xDF, 0xE1, 0xE2, 0xE3, 0xE4),
    "ô": (0xAB, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9),
    "ơ": (0xAC, 0xEA, 0xEB, 0xEC, 0xED, 0xEE),
    "u": (None, 0xEF, 0xF1, 0xF2, 0xF3, 0xF4),
    "ư": (0xAD, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9),
    "y": (None, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE),
}
TCVN3_CAPITAL_BYTES = {"Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7}
TCVN3_D_BYTE = 0xAE  # đ


def cp1252(code: int) -> str:
    """The character a Windows (cp1252) Excel stores for a byte typed in a legacy font."""
    return bytes([code]).decode("cp1252")


def tcvn3_lower_forms() -> dict[str, str]:
    """Every lower case letter outside ASCII (67) → its TCVN3 form."""
    forms = {"đ": cp1252(TCVN3_D_BYTE)}
    for vowel, codes in TCVN3_BYTES.items():
        for tone, code in zip(TONES, codes, strict=True):
            if code is not None:
                forms[letter(vowel, tone)] = cp1252(code)
    return forms


# VNI, restated compositionally: a base character then a tone character; the
# circumflex and breve letters take tone characters of their own; "i" and "ỵ" are
# single characters. Capitals are the same sequences upper-cased.
VNI_TONE_CHARS = dict(zip(TONES, ("", "ø", "û", "õ", "ù", "ï"), strict=True))
VNI_CIRCUMFLEX_CHARS = dict(zip(TONES, ("â", "à", "å", "ã", "á", "ä"), strict=True))
VNI_BREVE_CHARS = dict(zip(TONES, ("ê", "è", "ú", "ü", "é", "ë"), strict=True))
VNI_I_CHARS = dict(zip(TONES, ("i", "ì", "æ", "ó", "í", "ò"), strict=True))
VNI_SPELLING: dict[str, tuple[str, dict[str, str]]] = {
    "a": ("a", VNI_TONE_CHARS),
    "ă": ("a", VNI_BREVE_CHARS),
    "â": ("a", VNI_CIRCUMFLEX_CHARS),
    "e": ("e", VNI_TONE_CHARS),
    "ê": ("e", VNI_CIRCUMFLEX_CHARS),
    "i": ("", VNI_I_CHARS),
    "o": ("o", VNI_TONE_CHARS),
    "ô": ("o", VNI_CIRCUMFLEX_CHARS),
    "ơ": ("ô", VNI_TONE_CHARS),
    "u": ("u", VNI_TONE_CHARS),
    "ư": ("ö", VNI_TONE_CHARS),
    "y": ("y", VNI_TONE_CHARS),
}


def vni_lower_forms() -> dict[str, str]:
    """Every lower case letter outside ASCII (67) → its VNI form."""
    forms = {"đ": "ñ"}
    for vowel, (base, tone_chars) in VNI_SPELLING.items():
        for tone in TONES:
            if vowel in "aeiouy" and tone == NO_TONE:
                continue
            forms[letter(vowel, tone)] = base + tone_chars[tone]
    forms["ỵ"] = "î"
    return forms


TCVN3_LOWER = tcvn3_lower_forms()
VNI_LOWER = vni_lower_forms()
LOWER_LETTERS = sorted(VNI_LOWER)


def test_there_are_134_letters() -> None:
    assert len(LOWER_LETTERS) == 67
    assert set(TCVN3_LOWER) == set(VNI_LOWER)
    assert len(set(LOWER_LETTERS) | {x.upper() for x in LOWER_LETTERS}) == 134


@pytest.mark.parametrize("uni", LOWER_LETTERS)
def test_tcvn3_letter(uni: str) -> None:
    legacy = TCVN3_LOWER[uni]
    assert tcvn3_to_unicode(legacy) == uni
    assert tcvn3_to_unicode(legacy, upper=True) == uni.upper()
    assert tcvn3_to_unicode(f"x{legacy}x") == f"x{uni}x"


@pytest.mark.parametrize(("uni", "code"), TCVN3_CAPITAL_BYTES.items())
def test_tcvn3_capital_with_its_own_byte(uni: str, code: int) -> None:
    assert tcvn3_to_unicode(cp1252(code)) == uni
    assert tcvn3_to_unicode(cp1252(code), upper=True) == uni


@pytest.mark.parametrize("uni", LOWER_LETTERS)
def test_vni_letter(uni: str) -> None:
    legacy = VNI_LOWER[uni]
    assert vni_to_unicode(legacy) == uni
    assert vni_to_unicode(legacy.upper()) == uni.upper()
    assert vni_to_unicode(f"x{legacy}x") == f"x{uni}x"


def test_tcvn3_table_is_exactly_the_chart() -> None:
    """The other way round: the module's table, inverted, is the chart and nothing else."""
    inverted = {uni: legacy for legacy, uni in _tcvn3_table().items()}
    expected = TCVN3_LOWER | {uni: cp1252(code) for uni, code in TCVN3_CAPITAL_BYTES.items()}
    assert inverted == expected
    assert len(inverted) == len(_tcvn3_table())


def test_vni_table_is_exactly_the_spelling() -> None:
    inverted = {uni: legacy for legacy, uni in _vni_table().items()}
    expected = VNI_LOWER | {uni.upper(): legacy.upper() for uni, legacy in VNI_LOWER.items()}
    assert inverted == expected
    assert len(inverted) == len(_vni_table()) == 134


def test_tcvn3_chart_agrees_with_iconv() -> None:
    """glibc's TCVN5712-1 converter (iconv, in Debian's essential libc-bin) reads every
    byte the same way."""
    codes = [ord(legacy.encode("cp1252")) for legacy in TCVN3_LOWER.values()]
    codes += TCVN3_CAPITAL_BYTES.values()
    done = subprocess.run(
        ["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"],
        input=b"\n".join(bytes([code]) for code in codes),
        capture_output=True,
        check=True,
    )
    ours = [tcvn3_to_unicode(cp1252(code)) for code in codes]
    assert done.stdout.decode("utf-8").split("\n") == ours


TCVN3_LABELS = [
    ("CÇn Th¬", "Cần Thơ"),
    ("QuËn ¤ M«n", "Quận Ô Môn"),
    ("§¬n vÞ", "Đơn vị"),
    ("ChØ tiªu", "Chỉ tiêu"),
    ("Tû lÖ hé nghÌo", "Tỷ lệ hộ nghèo"),
    ("Tæng sè", "Tổng số"),
    ("Hé nghÌo", "Hộ nghèo"),
    ("Thµnh phè CÇn Th¬", "Thành phố Cần Thơ"),
    ("HuyÖn Thíi Lai", "Huyện Thới Lai"),
    ("Tr\xadêng Cao ®¼ng", "Trường Cao đẳng"),
    ("Sè ®¶ng viªn míi kÕt n¹p", "Số đảng viên mới kết nạp"),
    ("§VT: %", "ĐVT: %"),
    ("NghÖ An", "Nghệ An"),
    ("BÕn Tre", "Bến Tre"),
    ("Cê §á", "Cờ Đỏ"),
]
VNI_LABELS = [
    ("Caàn Thô", "Cần Thơ"),
    ("Quaän OÂ Moân", "Quận Ô Môn"),
    ("Ñôn vò", "Đơn vị"),
    ("Chæ tieâu", "Chỉ tiêu"),
    ("Tyû leä hoä ngheøo", "Tỷ lệ hộ nghèo"),
    ("Toång soá", "Tổng số"),
    ("Thaønh phoá Caàn Thô", "Thành phố Cần Thơ"),
    ("Ñaø Naüng", "Đà Nẵng"),
    ("SOÁ ÑAÛNG VIEÂN", "SỐ ĐẢNG VIÊN"),
    ("Ngöôøi ñöôïc keát naïp", "Người được kết nạp"),
]


@pytest.mark.parametrize(("legacy", "expected"), TCVN3_LABELS)
def test_tcvn3_label(legacy: str, expected: str) -> None:
    assert tcvn3_to_unicode(legacy) == expected
    assert detect_legacy_encoding(legacy) == "tcvn3"
    assert to_unicode(legacy) == expected
    assert to_unicode(legacy, ".VnTime") == expected


@pytest.mark.parametrize(("legacy", "expected"), VNI_LABELS)
def test_vni_label(legacy: str, expected: str) -> None:
    assert vni_to_unicode(legacy) == expected
    assert detect_legacy_encoding(legacy) == "vni"
    assert to_unicode(legacy) == expected
    assert to_unicode(legacy, "VNI-Times") == expected


UNICODE_TEXTS = [
    "Thành phố Cần Thơ",
    "Tỷ lệ hộ nghèo",
    "9,52%",
    "Total",
    "Ô Môn",
    "Hoà Bình",
    "Cà Mau",
    "Sóc Trăng",
    "Chỉ tiêu",
    "Ghi chú",
    "TP. Hồ Chí Minh",
    "HOÀ BÌNH",
    "Café",
    "Müller",
    "São Paulo",
    "© 2024",
    "Số liệu «Tổng»",
    "Cà Mau: 5 µm",  # "µm" alone would read as TCVN3 "àm"; "Cà" cannot be TCVN3
    "Tỷ lệ ®¶ng viªn",  # letters beyond Latin-1 make the whole text Unicode
    "",
    "  ",
]


@pytest.mark.parametrize("text", UNICODE_TEXTS)
def test_unicode_text_is_left_alone(text: str) -> None:
    assert detect_legacy_encoding(text) is None
    assert to_unicode(text) == text
    assert detect_legacy_encoding(unicodedata.normalize("NFD", text)) is None
    assert to_unicode(unicodedata.normalize("NFD", text)) == text


@pytest.mark.parametrize(
    ("legacy", "font", "expected"),
    [
        ("Hé", ".VnTime", "Hộ"),  # "Hé" is Unicode Vietnamese too
        ("Ghi chó", ".VnTime", "Ghi chú"),  # so is "chó"
        ("Sôn La", "VNI-Times", "Sơn La"),  # and "Sôn"
        ("Ban Bí thö", "VNI-Times", "Ban Bí thư"),  # TCVN3 "Ban Bớ thử" fits as well
    ],
)
def test_ambiguous_text_needs_the_font(legacy: str, font: str, expected: str) -> None:
    assert detect_legacy_encoding(legacy) is None
    assert to_unicode(legacy) == legacy
    assert to_unicode(legacy, font) == expected


def test_known_limit_a_lone_micro_sign() -> None:
    """TCVN3 "à" is the micro sign: "µm" on its own reads as the syllable "àm"."""
    assert detect_legacy_encoding("5 µm") == "tcvn3"
    assert to_unicode("5 µm", "Arial") == "5 àm"


def test_capital_font_gives_capitals() -> None:
    legacy = "céng hoµ x· héi chñ nghÜa viÖt nam"
    assert to_unicode(legacy, ".VnTimeH") == "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert to_unicode(legacy, ".VnTime") == "cộng hoà xã hội chủ nghĩa việt nam"
    assert tcvn3_to_unicode("§¶NG Bé", upper=True) == "ĐẢNG BỘ"


def test_tcvn3_typed_in_capitals_comes_out_in_capitals() -> None:
    """Without a font, all-capital ASCII means the text was typed for a ".Vn...H" font."""
    legacy = "CéNG HOµ X· HéI CHñ NGHÜA VIÖT NAM"
    assert detect_legacy_encoding(legacy) == "tcvn3"
    assert to_unicode(legacy) == "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert to_unicode(legacy, ".VnTime") == "CộNG HOà Xã HộI CHủ NGHĩA VIệT NAM"  # as shown


@pytest.mark.parametrize(
    ("font", "text"),
    [
        (".VnTime", "Thành phố Cần Thơ"),  # letters beyond Latin-1
        (".VnTime", "Hoà Bình"),  # "à" is no TCVN3 character
        ("VNI-Times", "Cần Thơ"),
        ("VNI-Times", "Cà Mau"),  # a lone "à" is no VNI sequence
    ],
)
def test_unicode_text_in_a_legacy_font_is_kept(font: str, text: str) -> None:
    """Templates keep legacy fonts after typists moved to Unicode."""
    assert to_unicode(text, font) == text


@pytest.mark.parametrize(
    ("font", "expected"),
    [
        (".VnTime", "tcvn3"),
        (".VnTimeH", "tcvn3_upper"),
        (".VnArial", "tcvn3"),
        (".VnArial NarrowH", "tcvn3_upper"),
        (".VnArial Narrow", "tcvn3"),
        (" .VnTime ", "tcvn3"),
        ("VNI-Times", "vni"),
        ("VNI-Helve-Condense", "vni"),
        ("Times New Roman", None),
        ("Arial", None),
        ("Calibri", None),
        ("", None),
        (None, None),
    ],
)
def test_encoding_for_font(font: str | None, expected: str | None) -> None:
    assert encoding_for_font(font) == expected


@pytest.mark.parametrize("text", [*(x for x, _ in TCVN3_LABELS), *(x for x, _ in VNI_LABELS)])
def test_results_are_nfc(text: str) -> None:
    result = to_unicode(text)
    assert result == unicodedata.normalize("NFC", result)


@pytest.mark.parametrize(
    ("convert", "legacy", "expected"),
    [(tcvn3_to_unicode, *TCVN3_LABELS[0]), (vni_to_unicode, *VNI_LABELS[0])],
)
def test_decomposed_legacy_text(convert: Callable[[str], str], legacy: str, expected: str) -> None:
    """Legacy text that went through NFD ("Ç" as C + cedilla) still converts."""
    assert convert(unicodedata.normalize("NFD", legacy)) == expected


def test_xlsx_cells_in_a_tcvn3_font(tmp_path: Path) -> None:
    """A real workbook: the font stored with each cell decides how its text is read."""
    cells = [
        ("CÇn Th¬", ".VnTime", "Cần Thơ"),
        ("Hé", ".VnTime", "Hộ"),
        ("QuËn ¤ M«n", ".VnTime", "Quận Ô Môn"),
        ("thµnh phè cÇn th¬", ".VnTimeH", "THÀNH PHỐ CẦN THƠ"),
        ("Caàn Thô", "VNI-Times", "Cần Thơ"),
        ("Thành phố Cần Thơ", "Times New Roman", "Thành phố Cần Thơ"),
    ]
    path = tmp_path / "legacy.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row, (text, font, _) in enumerate(cells, start=1):
        sheet.cell(row=row, column=1, value=text).font = Font(name=font)
    book.save(path)

    read = openpyxl.load_workbook(path).active
    assert read is not None
    got = [to_unicode(str(cell.value), cell.font.name) for (cell,) in read.iter_rows()]
    assert got == [expected for _, _, expected in cells]
