"""Every string the dashboard shows exists in Vietnamese and English."""

from __future__ import annotations

import ast
import csv
import importlib
import pkgutil
import string
from pathlib import Path

import pytest

import dashboard
from dashboard import charts, i18n, upload
from dashboard.i18n import STRINGS, normalize_lang, t, t_or

for _module in pkgutil.walk_packages(dashboard.__path__, "dashboard."):  # each registers
    importlib.import_module(_module.name)  # its own strings

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [
    ROOT / "app.py",
    *sorted((ROOT / "views").glob("*.py")),
    *sorted((ROOT / "dashboard").rglob("*.py")),
]


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_both_languages_with_the_same_placeholders(key: str) -> None:
    vi, en = STRINGS[key]
    assert vi.strip() and en.strip()
    assert _fields(vi) == _fields(en)


def _literal_keys(node: ast.AST) -> set[str]:
    """String constants a key expression can evaluate to (``"a" if x else "b"`` gives both)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _literal_keys(node.body) | _literal_keys(node.orelse)
    return set()


def _keys_used() -> set[str]:
    keys: set[str] = set()
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("t", "t_or")
                and node.args
            ):
                keys |= _literal_keys(node.args[0])
    return keys


def test_every_key_the_code_uses_is_defined() -> None:
    used = _keys_used()
    assert len(used) > 50  # the scan found the calls
    assert used - set(STRINGS) == set()


def test_every_generated_key_is_defined() -> None:
    generated = {f"legend_{status}" for status in charts.SYMBOLS}
    generated |= {"legend_target", "view_pivot", "view_tidy"}
    generated |= {f"batch_status_{s}" for s in ("active", "rolled_back")}
    generated |= {f"batch_source_{s}" for s in ("sample", "cli", "upload")}
    generated |= {f"col_{column}" for column in upload.PREVIEW_COLUMNS}
    with (ROOT / "data" / "indicators.csv").open(encoding="utf-8") as handle:
        generated |= {f"group_{row['group_code']}" for row in csv.DictReader(handle)}
    assert generated - set(STRINGS) == set()


def test_t_fills_placeholders_and_picks_the_language() -> None:
    assert t("vs_year", "vi", year=2011) == "so với 2011"
    assert t("vs_year", "en", year=2011) == "vs 2011"
    assert t("page_overview", "fr") == "Tổng quan"  # unknown language: Vietnamese
    assert t_or("group_unheard_of", "vi", "unheard_of") == "unheard_of"
    with pytest.raises(KeyError):
        t("no_such_key", "vi")


def test_language_codes() -> None:
    assert normalize_lang("en") == "en"
    assert normalize_lang(" EN ") == "en"
    assert normalize_lang("vi") == "vi"
    assert normalize_lang(None) == "vi"
    assert i18n.LANGS == ("vi", "en")


def test_a_feature_module_cannot_redefine_a_string() -> None:
    with pytest.raises(ValueError, match="page_overview"):
        i18n.register({"page_overview": ("Khác", "Other")})
    assert i18n.t("page_overview", "en") == "Overview"
