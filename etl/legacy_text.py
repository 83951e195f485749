"""Vietnamese typed in the legacy 8-bit encodings TCVN3 (ABC) and VNI, read back as Unicode.

Old workbooks hold text typed with a legacy keyboard driver and shown with a legacy
font. Read as Unicode, that text is mojibake: TCVN3 "CÇn Th¬" and VNI "Caàn Thô" are
both "Cần Thơ". Every byte of both encodings lies in 0xA1-0xFE, where Windows-1252 and
Latin-1 agree, so the mojibake always consists of ASCII plus Latin-1 characters.

- TCVN3 is one byte per letter. Its text fonts (".VnTime", ".VnArial") carry the lower
  case letters and the seven capitals Ă Â Ê Ô Ơ Ư Đ; capitals with a tone are typed
  with the same codes in the capital-only fonts (".VnTimeH", ".VnArial NarrowH").
- VNI writes a letter as a base letter plus a tone/diacritic character ("aà" is "ầ"),
  plus a few single characters ("ô" is "ơ", "ñ" is "đ"); it is read longest match first.

Detection (:func:`detect_legacy_encoding`) looks at the text alone. A text holding a
letter or mark beyond Latin-1 is Unicode already. Otherwise each word (a run of ASCII
letters and Latin-1 characters, holding a letter and a non-ASCII character) is judged
per encoding:

- *miss*: it holds a character the encoding never writes (TCVN3 has no "à", VNI no lone
  "è"), or its decoded form is not a plausible Vietnamese word;
- *neutral*: it decodes plausibly but is plausible Unicode Vietnamese as it stands too
  ("Hé", "Thoát", "Sôn"): characters that Unicode Vietnamese also uses are never
  evidence on their own;
- *hit*: it decodes plausibly and cannot be Unicode as it stands, because it holds a
  character that only mojibake has inside a word (TCVN3 "§ ¬ « µ Ë Ø æ", VNI "ñ ö æ"),
  a mark where Unicode Vietnamese puts none (VNI "aø", "eâ", "xaõ"), or a capital
  inside a lower case word ("nghÌo", "BÕn").

"Plausible" means one syllable of the shape in :data:`_SYLLABLE`, with at most one
tone, on a vowel that may carry it, or a short all-capital acronym without tones
("ĐVT"). A Unicode reading and a VNI decoding must also be lower, upper or title case;
a TCVN3 decoding need not (its fonts have lower case codes only for toned letters).

Threshold: an encoding is detected when its hits outnumber its misses (so one hit at
least) and its score, hits minus misses, is strictly higher than the other encoding's;
otherwise the result is None and only the font can say. One hit suffices because it
already needs a word that cannot be Unicode yet decodes to a syllable ("Hé nghÌo" has
just one); a lone ambiguous character never counts.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

# TCVN3: the VN3 code chart of TCVN 5712:1993 (identical, for these bytes, to glibc's
# TCVN5712-1 charmap), each byte written as its Windows-1252 character. Rows: capitals,
# đ, then each vowel as plain (when not ASCII), grave, hook, tilde, acute, dot below.
# The chart's other bytes (capitals with tones, combining marks at 0xB0-0xB4) belong to
# VN1 and are never written by ABC keyboards, so they are left as they are.
_TCVN3_ROWS: tuple[tuple[str, str], ...] = (
    ("¡¢£¤¥¦§", "ĂÂÊÔƠƯĐ"),
    ("®", "đ"),
    ("µ¶·¸¹", "àảãáạ"),
    ("¨»¼½¾Æ", "ăằẳẵắặ"),
    ("©ÇÈÉÊË", "âầẩẫấậ"),
    ("ÌÎÏÐÑ", "èẻẽéẹ"),
    ("ªÒÓÔÕÖ", "êềểễếệ"),
    ("×ØÜÝÞ", "ìỉĩíị"),
    ("ßáâãä", "òỏõóọ"),
    ("«åæçèé", "ôồổỗốộ"),
    ("¬êëìíî", "ơờởỡớợ"),
    ("ïñòóô", "ùủũúụ"),
    ("\xadõö÷øù", "ưừửữứự"),  # 0xAD (ư) is the soft hyphen in Windows-1252
    ("úûüýþ", "ỳỷỹýỵ"),
)

# VNI: the "VNI Windows" charset of the VNI-Times family of fonts, as keyboard drivers
# (VNI, Vietkey, UniKey) write it; sequences space-separated. Rows: đ, then each vowel as
# plain (when not ASCII), acute, grave, hook, tilde, dot below. Capitals are the same
# sequences in upper case ("AØ" is "À", "Ô" is "Ơ", "Ñ" is "Đ"): the charset is laid out
# so that Latin-1 case mapping holds.
_VNI_ROWS: tuple[tuple[str, str], ...] = (
    ("ñ", "đ"),
    ("aù aø aû aõ aï", "áàảãạ"),
    ("aê aé aè aú aü aë", "ăắằẳẵặ"),
    ("aâ aá aà aå aã aä", "âấầẩẫậ"),
    ("eù eø eû eõ eï", "éèẻẽẹ"),
    ("eâ eá eà eå eã eä", "êếềểễệ"),
    ("í ì æ ó ò", "íìỉĩị"),
    ("où oø oû oõ oï", "óòỏõọ"),
    ("oâ oá oà oå oã oä", "ôốồổỗộ"),
    ("ô ôù ôø ôû ôõ ôï", "ơớờởỡợ"),
    ("uù uø uû uõ uï", "úùủũụ"),
    ("ö öù öø öû öõ öï", "ưứừửữự"),
    ("yù yø yû yõ î", "ýỳỷỹỵ"),
)

# Vietnamese syllable shape, checked on the lower case, toneless form: an onset, then
# a nucleus (with its closing glide, if any) and a final consonant as the nucleus
# allows: "closed" nuclei take none, "front" ones may take ch/nh (anh, ếch, inh), "back"
# ones may take c/ng (ang, ông), "bound" ones must take c/ng/m/n/p/t (ăn, tiếng, người);
# all but "closed" may take m/n/p/t. "k" is a final in names such as "Đắk Lắk".
_ONSETS = "ngh ng nh ch gh gi kh ph qu th tr b c d đ g h k l m n p r s t v x"
_CLOSED_NUCLEI = (
    "ai ao au ay âu ây eo êu ia iu oi ôi ơi ua ui ưa ưi ưu "
    "iêu oai oao oay oeo uây uôi uya uyu ươi ươu yêu"
)
_FRONT_NUCLEI = "a ê i y oa uê uy"
_BACK_NUCLEI = "a e o ô ơ u ư oa oe uơ"
_BOUND_NUCLEI = "ă â oă oo uâ iê yê uyê uô ươ"
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_ACRONYM_MAX_LEN = 6

_WORD = re.compile(r"[A-Za-z\u00a1-\u00ff]+")


def _alternation(words: str) -> str:
    return "|".join(sorted(words.split(), key=len, reverse=True))


_SYLLABLE = re.compile(
    f"(?:{_alternation(_ONSETS)})?"
    f"(?:(?P<closed>{_alternation(_CLOSED_NUCLEI)})"
    f"|(?P<front>{_alternation(_FRONT_NUCLEI)})(?:ch|nh|[mnpt])?"
    f"|(?P<back>{_alternation(_BACK_NUCLEI)})(?:ng|[ckmnpt])?"
    f"|(?P<bound>{_alternation(_BOUND_NUCLEI)})(?:ng|[ckmnpt]))"
)
_NUCLEUS_GROUPS = ("closed", "front", "back", "bound")


def _tcvn3_table() -> dict[str, str]:
    return {old: new for legacy, uni in _TCVN3_ROWS for old, new in zip(legacy, uni, strict=True)}


def _vni_table() -> dict[str, str]:
    lower = {
        old: new for legacy, uni in _VNI_ROWS for old, new in zip(legacy.split(), uni, strict=True)
    }
    return lower | {old.upper(): new.upper() for old, new in lower.items()}


@dataclass(frozen=True)
class _Encoding:
    name: str
    table: dict[str, str]
    pattern: re.Pattern[str]  # the legacy sequences, longest first
    cased: bool  # capitals are written as capitals, so decoded words have sane case


def _encoding(name: str, table: dict[str, str], *, cased: bool) -> _Encoding:
    keys = sorted(map(re.escape, table), key=len, reverse=True)
    return _Encoding(name, table, re.compile("|".join(keys)), cased)


_TCVN3 = _encoding("tcvn3", _tcvn3_table(), cased=False)
_VNI = _encoding("vni", _vni_table(), cased=True)


def _decode(text: str, encoding: _Encoding) -> str:
    return encoding.pattern.sub(lambda m: encoding.table[m.group()], text)


def tcvn3_to_unicode(text: str, *, upper: bool = False) -> str:
    """TCVN3 (ABC) text as Unicode NFC; ``upper`` for the capital-only ".Vn...H" fonts."""
    decoded = _decode(unicodedata.normalize("NFC", text), _TCVN3)
    return unicodedata.normalize("NFC", decoded.upper() if upper else decoded)


def vni_to_unicode(text: str) -> str:
    """VNI Windows text as Unicode NFC."""
    return unicodedata.normalize("NFC", _decode(unicodedata.normalize("NFC", text), _VNI))


def _beyond_latin1(text: str) -> bool:
    """True when a letter or mark lies beyond Latin-1: the text is Unicode already."""
    return any(ord(ch) > 0xFF and unicodedata.category(ch)[0] in "LM" for ch in text)


def _untoned(word: str) -> tuple[str, list[int]]:
    """``word`` without tone marks, and the positions of the letters that bore one."""
    letters: list[str] = []
    toned: list[int] = []
    for ch in unicodedata.normalize("NFD", word):
        if ch in _TONE_MARKS and letters:
            toned.append(len(letters) - 1)
        elif unicodedata.combining(ch) and letters:
            letters[-1] += ch
        else:
            letters.append(ch)
    return "".join(unicodedata.normalize("NFC", letter) for letter in letters), toned


def _is_syllable(word: str) -> bool:
    """One lower case Vietnamese syllable, its tone (if any) on a vowel that may bear it.

    The tone sits in the nucleus, never on the closing glide: "sáu", not "saú".
    """
    toneless, toned = _untoned(word)
    match = _SYLLABLE.fullmatch(toneless)
    if match is None or len(toned) > 1:
        return False
    if not toned:
        return True
    group = next(name for name in _NUCLEUS_GROUPS if match.group(name) is not None)
    start, end = match.span(group)
    return start <= toned[0] < (end - 1 if group == "closed" else end)


def _is_acronym(word: str) -> bool:
    """A short all-capital abbreviation without tones, such as "ĐVT" or "UBND"."""
    short = len(word) <= _ACRONYM_MAX_LEN and word.isalpha() and word.isupper()
    return short and not _untoned(word)[1]


def _is_plausible(word: str, *, cased: bool) -> bool:
    """A Vietnamese syllable or acronym; with ``cased``, also lower, upper or title case."""
    if cased and not (word.islower() or word.isupper() or word.istitle()):
        return False
    return _is_acronym(word) or _is_syllable(word.lower())


def _verdict(word: str, encoding: _Encoding) -> int:
    """+1 (hit), -1 (miss) or 0 (neutral) for one word; see the module docstring."""
    if word.isascii() or not any(ch.isalpha() for ch in word):
        return 0  # nothing legacy, or no letter at all ("«»", "½", "×")
    if not encoding.pattern.sub("", word).isascii():
        return -1  # a character this encoding never writes
    if not _is_plausible(_decode(word, encoding), cased=encoding.cased):
        return -1
    return 0 if _is_plausible(word, cased=True) else 1


def _score(text: str, encoding: _Encoding) -> tuple[int, int]:
    """(hits, misses) over the words of ``text``."""
    verdicts = [_verdict(word, encoding) for word in _WORD.findall(text)]
    return verdicts.count(1), verdicts.count(-1)


def detect_legacy_encoding(text: str) -> str | None:
    """The legacy encoding ("tcvn3" or "vni") that ``text`` shows, or None.

    From the text alone; the scoring and thresholds are in the module docstring.
    """
    text = unicodedata.normalize("NFC", text)
    if text.isascii() or _beyond_latin1(text):
        return None
    nets: dict[str, int] = {}
    for encoding in (_TCVN3, _VNI):
        hits, misses = _score(text, encoding)
        if hits > misses:
            nets[encoding.name] = hits - misses
    best = max(nets, key=nets.__getitem__, default=None)
    if best is None or list(nets.values()).count(nets[best]) > 1:
        return None
    return best


def encoding_for_font(font_name: str | None) -> str | None:
    """The encoding a font name implies: "tcvn3", "tcvn3_upper", "vni" or None.

    TCVN3 fonts are named ".Vn..." and their capital-only variants end in "H"
    (".VnTimeH", ".VnArial NarrowH"); VNI fonts are named "VNI-..." ("VNI-Times").
    """
    name = (font_name or "").strip()
    if name.lower().startswith(("vni-", "vni ")):
        return "vni"
    if name.lower().startswith(".vn"):
        return "tcvn3_upper" if name.endswith("H") else "tcvn3"
    return None


_CONVERTERS: dict[str, tuple[_Encoding, Callable[[str], str]]] = {
    "tcvn3": (_TCVN3, tcvn3_to_unicode),
    "tcvn3_upper": (_TCVN3, partial(tcvn3_to_unicode, upper=True)),
    "vni": (_VNI, vni_to_unicode),
}


def _can_be(text: str, name: str) -> bool:
    """False when ``text`` holds a letter the encoding never writes.

    That is any letter beyond Latin-1 ("ầ"), or a Latin-1 one outside its table (TCVN3
    has no "à", VNI no lone "à").
    """
    leftover = _CONVERTERS[name][0].pattern.sub("", text)
    return all(ch.isascii() or not ch.isalpha() for ch in leftover)


def _typed_in_capitals(text: str) -> bool:
    """All ASCII letters (two at least) are capitals: TCVN3 meant for a ".Vn...H" font."""
    letters = [ch for ch in text if ch.isascii() and ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def _encoding_of(text: str, font_name: str | None) -> str | None:
    named = encoding_for_font(font_name)
    if named and _can_be(text, named):
        return named
    detected = detect_legacy_encoding(text)
    if detected == "tcvn3" and _typed_in_capitals(text):
        return "tcvn3_upper"
    return detected


def to_unicode(text: str, font_name: str | None = None) -> str:
    """``text`` as Unicode NFC: converted as its font says, else as detected, else as is.

    Templates keep ".VnTime" long after typists moved to Unicode, so a font is ignored
    when the text holds a letter its encoding never writes ("Cần Thơ", "Hoà" in a
    TCVN3 font); the text is then detected as if it had no font. Detected TCVN3 whose
    ASCII letters are all capitals ("CÇN TH¬") was typed for a capital-only font and
    comes out in capitals ("CẦN THƠ").
    """
    nfc = unicodedata.normalize("NFC", text)
    encoding = _encoding_of(nfc, font_name)
    return _CONVERTERS[encoding][1](nfc) if encoding else nfc


def to_unicode_as(text: str, encoding: str) -> str:
    """``text`` as Unicode NFC, converted from ``encoding`` ("tcvn3", "tcvn3_upper", "vni",
    as its cell's font says) unless it holds a letter that encoding never writes; then
    as :func:`to_unicode` decides from the text alone."""
    nfc = unicodedata.normalize("NFC", text)
    if encoding in _CONVERTERS and _can_be(nfc, encoding):
        return _CONVERTERS[encoding][1](nfc)
    return to_unicode(nfc)


def unicode_rows(rows: list[list[object]]) -> list[list[object]]:
    """A sheet's rows with every legacy-encoded text cell converted to Unicode.

    Each distinct text is judged once (reports repeat names thousands of times); when
    none needs converting, the rows come back as they are.
    """
    texts = {value for row in rows for value in row if type(value) is str}
    converted = {
        text: fixed
        for text in texts
        if not text.isascii()  # both encodings write every accented letter beyond ASCII
        and (fixed := to_unicode(text)) != text
    }
    if not converted:
        return rows
    return [[converted.get(v, v) if type(v) is str else v for v in row] for row in rows]
