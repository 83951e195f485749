"""The shared link of a view."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from dashboard.share import share_url


def test_the_link_holds_the_page_and_every_parameter_in_order() -> None:
    params = {"lang": "en", "unit": "92", "indicator": "poverty_rate", "campaigns": "A,B"}
    url = share_url("http://192.168.1.5:8501/compare", params, "compare")
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("http", "192.168.1.5:8501", "/compare")
    assert parse_qsl(parts.query) == list(params.items())


def test_the_default_page_and_an_unknown_address() -> None:
    assert share_url("http://host:8501", {"unit": "92"}) == "http://host:8501/?unit=92"
    assert share_url("https://host/app/", {}) == "https://host/app/"
    assert share_url(None, {"year": "2016"}, "completeness") == "completeness?year=2016"
    assert share_url(None, {}, "") == ""


def test_vietnamese_and_reserved_characters_survive_the_round_trip() -> None:
    params = {"q": "Cần Thơ & Hậu Giang", "campaigns": ""}
    parts = urlsplit(share_url("http://h/explore", params))
    assert parts.path == "/explore"
    assert dict(parse_qsl(parts.query, keep_blank_values=True)) == params
