"""The meeting pack as a PDF: an HTML document printed to A4 by Debian's Chromium.

The document: a title page (unit, period, date prepared, a warning when figures are
illustrative, the contents), then the overview of the indicators, the ranking of the
unit's units on each key indicator (bars and a table), each key indicator over the years
with the review campaigns shaded, who has reported, and the batches every figure comes
from. Every text is escaped (:func:`html.escape`); numbers are written the reader's way
(``9,52 %``) and an illustrative or preliminary figure says so beside the number.

Charts are the dashboard's own figures (:mod:`dashboard.charts`) drawn as SVG by kaleido
in one browser session; the page is printed by Playwright driving Chromium
(``BROWSER_PATH``, else ``/usr/bin/chromium``), which starts while kaleido draws.
"""

from __future__ import annotations

import asyncio
import base64
import html
import os
import time
from collections.abc import Callable, Mapping, MutableMapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import plotly.graph_objects as go

from dashboard import charts, completeness, narrative
from dashboard.formatting import (
    MISSING,
    format_change,
    format_date,
    format_datetime,
    format_number,
    format_value,
    is_missing,
    is_percent,
    status_word,
    with_status,
)
from dashboard.i18n import t
from dashboard.pack import text
from dashboard.pack.content import MAX_KEY_INDICATORS, PackContent, PackError

if TYPE_CHECKING:
    from playwright.sync_api import PdfMargins

BROWSER_ENV = "BROWSER_PATH"
DEFAULT_BROWSER = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
)  # fmt: skip
CHART_WIDTH = 900  # px as drawn; the page shows them 180 mm wide (about 0.75 ×)
MIN_SERIES_POINTS = 2
RENDER_TIMEOUT_S = 90
MARGIN: PdfMargins = {"top": "14mm", "bottom": "16mm", "left": "14mm", "right": "14mm"}
STATUS_ORDER = ("reported", "preliminary", "illustrative")  # a change takes the worse
RANK_ENDS = 10  # a long ranking is printed as its first and last ten (the .xlsx has all)
GRID_UNITS = 40  # a larger grid prints the units with gaps first, up to this many
OVERVIEW_WIDTHS = (24, 21, 18, 9, 18, 10)  # name, value, change, target, note, sources
RANKING_WIDTHS = (6, 34, 19, 11, 20, 10)  # rank, unit, value, target, note, sources


def chromium_path() -> str:
    """The browser that draws the charts and prints the page."""
    return os.environ.get(BROWSER_ENV) or DEFAULT_BROWSER


def to_pdf(content: PackContent, *, timings: MutableMapping[str, float] | None = None) -> bytes:
    """The pack as PDF bytes; ``timings`` (when given) receives seconds per stage.

    Raises :class:`PackError` when Chromium is missing.
    """
    browser = chromium_path()
    if not Path(browser).exists():
        raise PackError("pack_no_browser", path=browser)
    started = time.perf_counter()
    figures = chart_figures(content)
    stamps: dict[str, float] = {}

    def draw() -> dict[str, bytes]:
        drawn = render_charts(figures, browser)
        stamps["charts"] = time.perf_counter() - started
        return drawn

    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="pack") as pool:
        drawing = pool.submit(draw)  # kaleido's browser and Playwright's start side by side
        printing = pool.submit(
            print_pdf,
            lambda: to_html(content, drawing.result()),
            browser,
            footer=footer_html(content),
        )
        pdf = printing.result()
    if timings is not None:
        timings["charts"] = stamps.get("charts", 0.0)
        timings["pdf"] = time.perf_counter() - started
    return pdf


# --- charts ---------------------------------------------------------------------------------


def chart_figures(content: PackContent) -> list[tuple[str, go.Figure]]:
    """(key, figure) of every chart: ``rank:<indicator>`` bars of the unit's units, and
    ``series:<indicator>`` the unit's years with the campaign windows shaded."""
    lang = content.lang
    own = content.overview.set_index("indicator_code")
    figures: list[tuple[str, go.Figure]] = []
    for key in content.key_indicators.itertuples():
        code = str(key.indicator_code)
        ranked, _ = printed_ranking(content.ranking_for(code))
        if not ranked.empty:
            reference = None
            if code in own.index and not is_missing(own.at[code, "value"]):
                reference = (content.unit_name, float(own.at[code, "value"]))
            figures.append(
                (
                    f"rank:{code}",
                    charts.ranked_bar(ranked, lang, measure=key.measure, reference=reference),
                )
            )
        series = content.series_for(code).dropna(subset=["value"])
        if len(series) >= MIN_SERIES_POINTS:
            fig = charts.unit_series_chart(
                series,
                lang,
                unit_name=content.unit_name,
                measure=key.measure,
                campaigns=content.campaigns,
            )
            figures.append((f"series:{code}", fig))
    return figures


def printed_ranking(ranked: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows of a ranking the PDF prints (all, or the first and last :data:`RANK_ENDS`
    when there are many more) and the rows left out (for a line saying so)."""
    if len(ranked) <= 2 * RANK_ENDS + 5:
        return ranked, ranked.iloc[0:0]
    shown = pd.concat([ranked.head(RANK_ENDS), ranked.tail(RANK_ENDS)])
    return shown, ranked.iloc[RANK_ENDS:-RANK_ENDS]


def printed_grid(cells: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """The cells of the reporting grid the PDF prints: every unit, or for a larger grid
    the units with a missing figure first, up to :data:`GRID_UNITS`; and how many units
    the grid has."""
    units = completeness.unit_counts(cells)
    if len(units) <= GRID_UNITS:
        return cells, len(units)
    ordered = units.assign(complete=units["n_missing_indicators"] == 0).sort_values(
        ["complete", "unit_not_applicable"], kind="stable"
    )
    keep = set(ordered["unit_code"].head(GRID_UNITS))
    return cells[cells["unit_code"].isin(keep)], len(units)


def render_charts(
    figures: Sequence[tuple[str, go.Figure]], browser: str, *, fmt: str = "svg"
) -> dict[str, bytes]:
    """Every figure drawn by kaleido in one browser session (key → image bytes)."""
    if not figures:
        return {}
    import kaleido  # a browser is needed only when a pack is made

    async def draw_all() -> list[bytes]:
        async with kaleido.Kaleido(
            n=1, mathjax=False, path=browser, timeout=RENDER_TIMEOUT_S
        ) as session:
            return [
                await session.calc_fig(
                    fig,
                    opts={"format": fmt, "width": CHART_WIDTH, "height": fig.layout.height or 480},
                )
                for _, fig in figures
            ]

    images = asyncio.run(draw_all())  # called in a worker thread: no loop is running there
    return {key: image for (key, _), image in zip(figures, images, strict=True)}


# --- printing -------------------------------------------------------------------------------


def print_pdf(html_source: Callable[[], str] | str, browser: str, *, footer: str = "") -> bytes:
    """Print an HTML document to A4 with Chromium through Playwright's sync API.

    ``html_source`` may be a function, called once the browser is up (so the browser starts
    while the document is still being made). Run it in a thread without an asyncio loop.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=browser, args=list(CHROMIUM_ARGS))
        try:
            page = chromium.new_page()
            document = html_source() if callable(html_source) else html_source
            page.set_content(document, wait_until="load")
            return page.pdf(
                format="A4",
                print_background=True,
                margin=MARGIN,
                display_header_footer=bool(footer),
                header_template="<span></span>",
                footer_template=footer or "<span></span>",
            )
        finally:
            chromium.close()


def footer_html(content: PackContent) -> str:
    """Chromium's footer template: the pack's unit, year and date, and the page number."""
    lang = content.lang
    said = t(
        "pack_footer",
        lang,
        unit=content.unit_name,
        year=content.year,
        date=format_date(content.prepared_on, lang),
    )
    return (
        '<div style="font-size:8px;color:#555;width:100%;margin:0 14mm;display:flex;'
        'justify-content:space-between;font-family:Liberation Sans,Arial,sans-serif">'
        f"<span>{_e(said)}</span>"
        f'<span>{_e(t("pack_page", lang))} <span class="pageNumber"></span>/'
        '<span class="totalPages"></span></span></div>'
    )


# --- the document ---------------------------------------------------------------------------

CSS = """
@page { size: A4; }
* { box-sizing: border-box; }
body { font-family: "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", Arial, "DejaVu Sans",
       sans-serif; font-size: 10.5pt; color: #1b1f24; line-height: 1.35; margin: 0; }
h1 { font-size: 26pt; margin: 0 0 6mm; line-height: 1.15; }
h2 { font-size: 15pt; margin: 0 0 3mm; padding-bottom: 1.5mm; border-bottom: 2px solid #1f4e79;
     color: #1f4e79; }
h3 { font-size: 12pt; margin: 5mm 0 2mm; break-after: avoid; }
h4 { font-size: 10.5pt; margin: 4mm 0 1mm; color: #1f4e79; break-after: avoid; }
section { break-before: page; }
section.cover { break-before: auto; padding-top: 45mm; }
.kicker { letter-spacing: 0.2em; font-weight: bold; color: #1f4e79; font-size: 12pt; margin: 0; }
.cover .period { font-size: 16pt; margin: 0 0 2mm; }
.cover p { margin: 1mm 0; }
.notice { margin: 8mm 0 4mm; padding: 3mm 4mm; border-left: 4px solid #b7791f;
          background: #fff8e6; }
.notice.ok { border-color: #1b7837; background: #eef8f0; }
.small, .caption { font-size: 9pt; color: #444; }
.caption { margin: 1mm 0 2mm; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0 3mm; font-size: 9.5pt; }
th { background: #dde6f0; text-align: left; vertical-align: bottom; padding: 1.2mm 1.5mm; }
td { border-bottom: 1px solid #d8dde5; padding: 1.1mm 1.5mm; vertical-align: top; }
tr { break-inside: avoid; }
th.num { text-align: right; }
td.num { text-align: right; white-space: nowrap; }
tr.flag td { background: #fff4cc; }
.mark { color: #8a5a00; font-style: italic; white-space: nowrap; }
.block { break-inside: avoid; }
img.chart { width: 100%; display: block; margin: 1mm 0 2mm; }
table.grid { table-layout: fixed; font-size: 8pt; }
table.grid th { text-align: center; font-size: 7.5pt; hyphens: auto; }
table.grid th.unit, table.grid td.unit { text-align: left; width: 30%; }
table.grid td { text-align: center; border: 1px solid #fff; padding: 0.6mm; font-size: 11pt; }
table.grid td.unit, table.grid td.count { font-size: 8pt; }
.legend span { display: inline-block; padding: 0.5mm 2mm; margin: 0 1.5mm 1mm 0;
               font-size: 8.5pt; }
ol.contents li { margin: 1mm 0; }
"""


def to_html(content: PackContent, images: Mapping[str, bytes], *, fmt: str = "svg") -> str:
    """The whole document (Vietnamese or English as the content was made)."""
    lang = content.lang
    title = t("pack_title", lang, unit=content.unit_name, year=content.year)
    sections = [
        _cover(content),
        _overview(content),
        _ranking(content, images, fmt),
        _charts(content, images, fmt),
        _completeness(content),
        _sources(content),
    ]
    return (
        f'<!DOCTYPE html><html lang="{_e(lang)}"><head><meta charset="utf-8">'
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body>"
        + "".join(sections)
        + "</body></html>"
    )


def _e(value: Any) -> str:
    """Escaped text of anything (missing → empty)."""
    if value is None or (not isinstance(value, (str, list, tuple)) and is_missing(value)):
        return ""
    return html.escape(str(value))


def _bold_markdown(markdown: str) -> str:
    """Escaped text with Markdown ``**bold**`` as ``<b>``."""
    parts = markdown.split("**")
    return "".join(f"<b>{_e(part)}</b>" if i % 2 else _e(part) for i, part in enumerate(parts))


def _section_titles(content: PackContent) -> list[str]:
    lang = content.lang
    return [
        t("pack_section_overview", lang, year=content.year),
        t("pack_section_ranking", lang),
        t("pack_section_charts", lang),
        t("pack_section_completeness", lang, year=content.year),
        t("pack_section_sources", lang),
    ]


def _cover(content: PackContent) -> str:
    lang = content.lang
    n_illustrative, n_preliminary = content.status_counts()
    lines = [
        f'<p class="kicker">{_e(t("pack_kicker", lang))}</p>',
        f"<h1>{_e(content.unit_name)}</h1>",
        f'<p class="period">{_e(t("pack_period", lang, year=content.year))}</p>',
        f"<p>{_e(t('pack_code', lang, code=content.unit_code))}</p>",
    ]
    if content.parent_name:
        lines.append(f"<p>{_e(t('pack_parent', lang, parent=content.parent_name))}</p>")
    prepared = t("pack_prepared", lang, date=format_date(content.prepared_on, lang))
    lines.append(f"<p>{_e(prepared)}</p>")
    notices = []
    if n_illustrative:
        notices.append(t("pack_illustrative_notice", lang, n=n_illustrative))
    if n_preliminary:
        notices.append(t("pack_preliminary_notice", lang, n=n_preliminary))
    if notices:
        lines.append(f'<div class="notice">{"<br>".join(_e(n) for n in notices)}</div>')
    else:
        lines.append(f'<div class="notice ok">{_e(t("pack_all_reported", lang))}</div>')
    items = "".join(f"<li>{_e(title)}</li>" for title in _section_titles(content))
    lines.append(f'<h3>{_e(t("pack_contents", lang))}</h3><ol class="contents">{items}</ol>')
    keys = ", ".join(str(name) for name in content.key_indicators["indicator_name"])
    note = t("pack_key_note", lang, year=content.year, n=MAX_KEY_INDICATORS)
    lines.append(
        f'<p class="small"><b>{_e(t("pack_key_indicators", lang))}:</b> {_e(keys or MISSING)}</p>'
        f'<p class="small">{_e(note)}</p>'
    )
    return f'<section class="cover">{"".join(lines)}</section>'


def _value_text(
    value: Any, measure: Any, qualifier: Any, status: Any, lang: str, *, unit: bool = True
) -> str:
    """``6,54 %``, ``19.736 hộ``, each with ``(minh họa)`` where illustrative: escaped."""
    shown = format_value(value, lang, measure=measure, qualifier=qualifier)
    if shown != MISSING and unit and measure and not is_percent(measure):
        shown = f"{shown} {measure}"
    word = status_word(status, lang)
    mark = f' <span class="mark">({_e(word)})</span>' if word and shown != MISSING else ""
    return _e(shown) + mark


def _target_text(target: Any, measure: Any, lang: str) -> str:
    return "" if is_missing(target) else _value_text(target, measure, None, None, lang)


def _worse(*statuses: Any) -> str | None:
    present = [str(s) for s in statuses if not is_missing(s) and s in STATUS_ORDER]
    return max(present, key=STATUS_ORDER.index) if present else None


def _flag(status: Any) -> str:
    return ' class="flag"' if status in ("illustrative", "preliminary") else ""


def _table(
    headers: Sequence[tuple[str, bool]], rows: Sequence[str], widths: Sequence[int] = ()
) -> str:
    """A table of ready-made ``<tr>`` rows; headers as (text, is_number); ``widths`` in
    percent of the page, one per column, where the browser's own choice squeezes names."""
    head = "".join(
        f'<th class="num">{_e(h)}</th>' if numeric else f"<th>{_e(h)}</th>"
        for h, numeric in headers
    )
    columns = "".join(f'<col style="width:{int(w)}%">' for w in widths)
    group = f"<colgroup>{columns}</colgroup>" if widths else ""
    return f"<table>{group}<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _overview(content: PackContent) -> str:
    lang, year = content.lang, content.year
    parts = [f"<h2>1. {_e(_section_titles(content)[0])}</h2>"]
    frame = content.overview
    if frame.empty:
        parts.append(f"<p>{_e(t('pack_no_overview', lang, year=year))}</p>")
        return f"<section>{''.join(parts)}</section>"
    caption = t("pack_overview_caption", lang, year=year, previous=year - 1)
    parts.append(f'<p class="caption">{_e(caption)}</p>')
    headers = [
        (text.header("indicator_name", lang), False),
        (text.header("value", lang), True),
        (t("vs_year", lang, year=year - 1), True),
        (text.header("target", lang), True),
        (text.header("note", lang), False),
        (text.header("sources", lang), False),
    ]
    for group, rows in frame.groupby("group_code", sort=False):
        parts.append(f"<h4>{_e(text.group_text(group, lang))}</h4>")
        lines = []
        for row in rows.itertuples():
            change = format_change(row.change, lang, points=bool(row.change_is_points))
            change_status = _worse(row.value_status, row.previous_status)
            change_cell = MISSING if change is None else _e(change)
            word = status_word(change_status, lang)
            if change is not None and word:
                change_cell += f' <span class="mark">({_e(word)})</span>'
            notes = []
            if row.derivation != "reported":
                notes.append(text.how_text(row, lang))
            gaps = text.gaps_text(row, content.unit_names, lang)
            if gaps:
                notes.append(gaps)
            sources = sorted({*row.sources, *row.previous_sources})
            lines.append(
                f"<tr{_flag(row.value_status)}>"
                f"<td>{_e(row.indicator_name)}</td>"
                f'<td class="num">'
                f"{_value_text(row.value, row.measure, row.qualifier, row.value_status, lang)}</td>"
                f'<td class="num">{change_cell}</td>'
                f'<td class="num">'
                f"{_target_text(row.target, row.measure, lang)}</td>"
                f"<td>{_e('; '.join(notes))}</td>"
                f"<td>{_e(text.batches_text(sources, lang))}</td>"
                "</tr>"
            )
        parts.append(_table(headers, lines, OVERVIEW_WIDTHS))
    return f"<section>{''.join(parts)}</section>"


def _image(images: Mapping[str, bytes], key: str, fmt: str, alt: str) -> str:
    image = images.get(key)
    if not image:
        return ""
    mime = "image/svg+xml" if fmt == "svg" else f"image/{fmt}"
    data = base64.b64encode(image).decode("ascii")
    return f'<img class="chart" alt="{_e(alt)}" src="data:{mime};base64,{data}">'


def _indicator_heading(row: Any) -> str:
    measure = row.measure
    suffix = "" if is_percent(measure) or is_missing(measure) else f" ({measure})"
    return f"{row.indicator_name}{suffix}"


def _ranking(content: PackContent, images: Mapping[str, bytes], fmt: str) -> str:
    lang = content.lang
    parts = [f"<h2>2. {_e(_section_titles(content)[1])}</h2>"]
    own = content.overview.set_index("indicator_code")
    shown = 0
    for key in content.key_indicators.itertuples():
        code = str(key.indicator_code)
        ranked = content.ranking_for(code)
        if ranked.empty:
            continue
        shown += 1
        printed, left_out = printed_ranking(ranked)
        block = [f"<h3>{_e(_indicator_heading(key))}</h3>"]
        sentence = narrative.describe_ranking(
            ranked, lang, measure=key.measure, direction=key.direction
        )
        if sentence:
            block.append(f"<p>{_bold_markdown(sentence)}</p>")
        if code in own.index:
            mine = own.loc[code]
            value = _value_text(
                mine["value"], key.measure, mine["qualifier"], mine["value_status"], lang
            )
            said = _e(t("pack_unit_value", lang, unit=content.unit_name, value="\x00"))
            block.append(f'<p class="caption">{said.replace(chr(0), value)}</p>')
        block.append(_image(images, f"rank:{code}", fmt, _indicator_heading(key)))
        headers = [
            (text.header("rank", lang), True),
            (text.header("unit_name", lang), False),
            (text.header("value", lang), True),
            (text.header("target", lang), True),
            (text.header("note", lang), False),
            (text.header("sources", lang), False),
        ]
        lines = []
        for index, row in enumerate(printed.itertuples()):
            if index == RANK_ENDS and not left_out.empty:
                gap = t("pack_rank_gap", lang, n=len(left_out))
                lines.append(f'<tr><td></td><td colspan="5" class="small">{_e(gap)}</td></tr>')
            notes = []
            if row.derivation != "reported":
                notes.append(text.how_text(row, lang))
            gaps = text.gaps_text(row, content.unit_names, lang)
            if gaps:
                notes.append(gaps)
            target = _target_text(row.target, key.measure, lang)
            lines.append(
                f"<tr{_flag(row.value_status)}>"
                f'<td class="num">{int(row.rank)}</td>'
                f"<td>{_e(row.unit_name)}</td>"
                f'<td class="num">'
                f"{_value_text(row.value, key.measure, row.qualifier, row.value_status, lang)}</td>"
                f'<td class="num">{target}</td>'
                f"<td>{_e('; '.join(notes))}</td>"
                f"<td>{_e(text.batches_text(row.sources, lang))}</td>"
                "</tr>"
            )
        block.append(_table(headers, lines, RANKING_WIDTHS))
        parts.append(f'<div class="block">{"".join(block)}</div>')
    if not shown:
        parts.append(
            f"<p>{_e(t('pack_no_children', lang, unit=content.unit_name, year=content.year))}</p>"
        )
    return f"<section>{''.join(parts)}</section>"


def _charts(content: PackContent, images: Mapping[str, bytes], fmt: str) -> str:
    lang = content.lang
    parts = [
        f"<h2>3. {_e(_section_titles(content)[2])}</h2>",
        f'<p class="caption">{_e(t("pack_series_caption", lang, year=content.year))}</p>',
    ]
    for key in content.key_indicators.itertuples():
        code = str(key.indicator_code)
        series = content.series_for(code).dropna(subset=["value"])
        block = [f"<h3>{_e(_indicator_heading(key))}</h3>"]
        image = _image(images, f"series:{code}", fmt, _indicator_heading(key))
        block.append(image or f'<p class="small">{_e(t("pack_no_chart", lang))}</p>')
        if not series.empty:
            values = "; ".join(
                f"{int(row.year)}: "
                + with_status(
                    format_value(row.value, lang, measure=key.measure, qualifier=row.qualifier),
                    row.value_status,
                    lang,
                )
                for row in series.itertuples()
            )
            batches = sorted({int(b) for ids in series["sources"] for b in ids})
            block.append(
                f'<p class="small">{_e(values)}. '
                f"{_e(text.header('sources', lang))}: {_e(text.batches_text(batches, lang))}</p>"
            )
        parts.append(f'<div class="block">{"".join(block)}</div>')
    if not content.campaigns.empty:
        rows = [
            "<tr>"
            f"<td>{_e(row.campaign_code)}</td><td>{_e(row.campaign_name)}</td>"
            f'<td class="num">{_e(format_date(row.start_date, lang))}</td>'
            f'<td class="num">{_e(format_date(row.end_date, lang))}</td>'
            "</tr>"
            for row in content.campaigns.itertuples()
        ]
        headers = [
            (text.header(name, lang), name.endswith("date"))
            for name in ("campaign_code", "campaign_name", "start_date", "end_date")
        ]
        parts.append(
            f'<div class="block"><h4>{_e(t("pack_campaigns", lang))}</h4>'
            f"{_table(headers, rows)}</div>"
        )
    return f"<section>{''.join(parts)}</section>"


def _completeness(content: PackContent) -> str:
    lang = content.lang
    parts = [f"<h2>4. {_e(_section_titles(content)[3])}</h2>"]
    cells = content.completeness
    if cells.empty:
        parts.append(f"<p>{_e(t('pack_no_completeness', lang, unit=content.unit_name))}</p>")
        return f"<section>{''.join(parts)}</section>"
    summary = completeness.summarize(cells)
    parts.append(
        f"<p>{_bold_markdown(completeness.summary_text(summary, content.period, lang))}</p>"
    )
    if summary.n_illustrative or summary.n_preliminary:
        flagged = t(
            "completeness_flagged",
            lang,
            illustrative=summary.n_illustrative,
            preliminary=summary.n_preliminary,
        )
        parts.append(f'<p class="caption">{_e(flagged)}</p>')
    indicators = completeness.indicator_counts(cells)  # counted over every unit
    status = cells.pivot(index="unit_code", columns="indicator_code", values="status")
    printed, n_units = printed_grid(cells)
    units = completeness.unit_counts(printed)
    if len(units) < n_units:
        said = t("pack_grid_trimmed", lang, shown=len(units), n=n_units)
        parts.append(f'<p class="caption">{_e(said)}</p>')
    headers = "".join(
        [
            f'<th class="unit">{_e(t("col_unit_name", lang))}</th>',
            *(f"<th>{_e(name)}</th>" for name in indicators["indicator_name"]),
            f"<th>{_e(t('col_n_missing_indicators', lang))}</th>",
        ]
    )
    rows = []
    for unit in units.itertuples():
        tds = [f'<td class="unit">{_e(unit.unit_label)}</td>']
        for code in indicators["indicator_code"]:
            state = str(status.at[unit.unit_code, code])
            style = completeness.STYLES[state]
            tds.append(
                f'<td style="background:{style.fill};color:{style.text}" '
                f'title="{_e(t(f"status_{state}", lang))}">{_e(style.symbol)}</td>'
            )
        tds.append(f'<td class="count">{int(unit.n_missing_indicators)}</td>')
        rows.append(f"<tr>{''.join(tds)}</tr>")
    totals = [f'<td class="unit"><b>{_e(t("col_n_missing_units", lang))}</b></td>']
    totals += [f'<td class="count"><b>{int(n)}</b></td>' for n in indicators["n_missing_units"]]
    totals.append("<td></td>")
    rows.append(f"<tr>{''.join(totals)}</tr>")
    parts.append(
        f'<table class="grid"><thead><tr>{headers}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    styles = completeness.STYLES
    legend = "".join(
        f'<span style="background:{styles[name].fill};color:{styles[name].text}">'
        f"{_e(completeness.status_label(name, lang))}</span>"
        for name in completeness.STATUSES
    )
    parts.append(f'<p class="legend"><b>{_e(t("legend", lang))}:</b> {legend}</p>')
    return f"<section>{''.join(parts)}</section>"


def _sources(content: PackContent) -> str:
    lang = content.lang
    parts = [
        f"<h2>5. {_e(_section_titles(content)[4])}</h2>",
        f'<p class="caption">{_e(t("pack_sources_caption", lang))}</p>',
    ]
    frame = content.sources
    headers = [
        (text.header("batch_id", lang), True),
        (text.header("file_name", lang), False),
        (text.header("loaded_at", lang), False),
        (text.header("loaded_by", lang), False),
        (text.header("source", lang), False),
        (text.header("n_values", lang), True),
        (text.header("n_illustrative", lang), True),
        (text.header("n_preliminary", lang), True),
    ]
    rows = []
    for row in frame.itertuples():
        flagged = "illustrative" if row.n_illustrative else None
        rows.append(
            f"<tr{_flag(flagged)}>"
            f'<td class="num">{int(row.batch_id)}</td><td>{_e(row.file_name)}</td>'
            f"<td>{_e(format_datetime(row.loaded_at, lang))}</td><td>{_e(row.loaded_by)}</td>"
            f"<td>{_e(t(f'batch_source_{row.source}', lang))}</td>"
            f'<td class="num">{_e(format_number(row.n_values, lang))}</td>'
            f'<td class="num">{_e(format_number(row.n_illustrative, lang))}</td>'
            f'<td class="num">{_e(format_number(row.n_preliminary, lang))}</td>'
            "</tr>"
        )
    parts.append(_table(headers, rows))
    return f"<section>{''.join(parts)}</section>"
