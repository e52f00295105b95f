"""Bar charts as server-rendered SVG: no script, no external file. Each chart has a title
and description for screen readers, a tooltip per bar, and the same numbers in the table
beneath it. A count below the threshold is drawn as a hatched bar of the threshold's
height, so the picture shows no more than the table ("< 3"). Series differ by colour and by
a white pattern too (plain, dots, stripes, grid…), so nobody needs to tell colours apart."""

from __future__ import annotations

from sync_server.dashboard.markup import Html, join, render
from sync_server.dashboard.tables import HIDDEN, THRESHOLD, WITHHELD

# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
# White marks over the colour, one kind per series; the grey diagonal hatch stays for "< 3".
MARKS = (
    "",
    '<circle cx="3" cy="3" r="1.3" fill="#ffffff"/>',
    '<rect width="6" height="2" fill="#ffffff"/>',
    '<rect width="2" height="6" fill="#ffffff"/><rect width="6" height="2" fill="#ffffff"/>',
    '<rect width="2" height="6" fill="#ffffff"/>',
    '<path d="M0 6 L6 0" stroke="#ffffff" stroke-width="1.5"/>',
)
WIDTH, HEIGHT = 760, 270
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 30, 48
CHAR = 8.2  # width of a legend character at the chart's 14px text


def _tip(value: int) -> str:
    """A negative value is a withheld one (tables.complement), drawn like a small one."""
    return WITHHELD if value < 0 else (HIDDEN if value < THRESHOLD else str(value))


def bar_chart(
    chart_id: str, title: str, categories: list[str], series: list[tuple[str, list[int]]]
) -> Html:
    """Grouped vertical bars: one group per category (a period), one bar per series."""
    drawn = [max(v, THRESHOLD) for _, values in series for v in values]  # hidden ones at 3
    top = _nice(max(drawn, default=THRESHOLD))
    top_margin = TOP + 18 * (_legend_rows(series) - 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - top_margin - BOTTOM
    group = plot_w / max(len(categories), 1)
    bar = min(28.0, group * 0.8 / max(len(series), 1))
    parts: list[Html] = []
    for step in range(5):  # gridlines and their values
        value = top * step / 4
        y = top_margin + plot_h - plot_h * step / 4
        parts.append(
            render(
                '<line class="grid" x1="{x1}" x2="{x2}" y1="{y}" y2="{y}"/>'
                '<text class="axis" x="{tx}" y="{ty}" text-anchor="end">{v}</text>',
                x1=LEFT,
                x2=WIDTH - RIGHT,
                y=f"{y:.1f}",
                tx=LEFT - 6,
                ty=f"{y + 4:.1f}",
                v=f"{value:.0f}",
            )
        )
    for i, category in enumerate(categories):
        x0 = LEFT + group * i + (group - bar * len(series)) / 2
        for s, (name, values) in enumerate(series):
            real = values[i]
            hidden = real < THRESHOLD
            height = plot_h * (THRESHOLD if hidden else real) / top
            parts.append(
                render(
                    '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{fill}"'
                    ' class="{cls}"><title>{tip}</title></rect>',
                    x=f"{x0 + bar * s:.1f}",
                    y=f"{top_margin + plot_h - height:.1f}",
                    w=f"{bar - 1:.1f}",
                    h=f"{height:.1f}",
                    fill=f"url(#{chart_id}-hatch)" if hidden else _fill(chart_id, s),
                    cls="hidden" if hidden else "bar",
                    tip=f"{name}, {category}: {_tip(real)}",
                )
            )
        parts.append(
            render(
                '<text class="axis" x="{x}" y="{y}" text-anchor="middle">{label}</text>',
                x=f"{LEFT + group * (i + 0.5):.1f}",
                y=HEIGHT - BOTTOM + 18,
                label=category,
            )
        )
    x: float = LEFT
    y = 6
    for s, (name, _) in enumerate(series):  # legend, wrapped onto more rows when needed
        width = 20 + CHAR * len(name) + 18
        if x > LEFT and x + width > WIDTH - RIGHT:
            x, y = LEFT, y + 18
        parts.append(
            render(
                '<rect x="{x}" y="{y}" width="14" height="14" fill="{fill}"/>'
                '<text class="legend" x="{tx}" y="{ty}">{name}</text>',
                x=f"{x:.0f}",
                y=y,
                tx=f"{x + 20:.0f}",
                ty=y + 12,
                fill=_fill(chart_id, s),
                name=name,
            )
        )
        x += width
    legend_hidden = render(
        '<rect x="{x}" y="{y}" width="14" height="14" fill="url(#{cid}-hatch)"/>'
        '<text class="legend" x="{tx}" y="{ty}">{text}</text>',
        x=LEFT,
        y=HEIGHT - 18,
        tx=LEFT + 20,
        ty=HEIGHT - 6,
        cid=chart_id,
        text=f"gearceerd: minder dan {THRESHOLD} of verborgen (niet precies getoond)",
    )
    return render(
        '<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{cid}-t {cid}-d"'
        ' xmlns="http://www.w3.org/2000/svg">'
        '<title id="{cid}-t">{title}</title>'
        '<desc id="{cid}-d">Staafdiagram; dezelfde cijfers staan in de tabel eronder.</desc>'
        '<defs><pattern id="{cid}-hatch" width="6" height="6" patternUnits="userSpaceOnUse"'
        ' patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#666666" stroke-width="3"/></pattern>'
        "{patterns}</defs>{body}{legend}</svg>",
        w=WIDTH,
        h=HEIGHT,
        cid=chart_id,
        title=title,
        body=join(parts, ""),
        legend=legend_hidden,
        patterns=join((_pattern(chart_id, s) for s in range(len(series))), ""),
    )


def _fill(chart_id: str, s: int) -> str:
    return COLOURS[0] if s == 0 else f"url(#{chart_id}-s{s})"


def _pattern(chart_id: str, s: int) -> Html:
    """Series `s`'s colour with its own white marks (series 0 stays plain)."""
    if s == 0:
        return Html("")
    return render(
        '<pattern id="{cid}-s{s}" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<rect width="6" height="6" fill="{colour}"/>{marks}</pattern>',
        cid=chart_id,
        s=s,
        colour=COLOURS[s % len(COLOURS)],
        marks=Html(MARKS[s % len(MARKS)]),
    )


def _legend_rows(series: list[tuple[str, list[int]]]) -> int:
    rows, x = 1, float(LEFT)
    for name, _ in series:
        width = 20 + CHAR * len(name) + 18
        if x > LEFT and x + width > WIDTH - RIGHT:
            rows, x = rows + 1, LEFT
        x += width
    return rows


def _nice(value: float) -> float:
    """A round axis maximum at or above `value`."""
    for step in (4, 8, 12, 20, 40, 60, 80, 100, 200, 400, 600, 800, 1000, 2000, 4000):
        if value <= step:
            return float(step)
    magnitude = 10 ** (len(str(int(value))) - 1)
    return float(-(-value // magnitude) * magnitude)
