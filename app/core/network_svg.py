"""A netwerkkaart as an SVG document, and a one-page HTML summary around it.

Pure text generation: where the result goes (a share sheet, never shared storage) is
decided by the caller. Everything typed is escaped.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from html import escape

from app.core.network import Node, counts, ordered
from app.core.network_scene import PALETTES, Circle, Label, Line, Rect, Shape
from app.core.vocabulary import vocabulary

FONT = "Roboto, 'Noto Sans', 'DejaVu Sans', Arial, sans-serif"


def svg(shapes: Iterable[Shape], size: float, theme: str = "light", width: int = 800) -> str:
    """A standalone SVG of the scene, `width` pixels wide (it scales without loss)."""
    colours = PALETTES[theme]
    body = "\n".join(_shape(s, colours) for s in shapes)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size:.1f} {size:.1f}" '
        f'width="{width}" height="{width}" font-family="{escape(FONT)}" role="img">\n'
        f"{body}\n</svg>\n"
    )


def summary_html(
    *,
    title: str,
    day: str,
    picture: str,
    nodes: Iterable[Node],
    changes: list[str],
    labels: dict[str, str],
) -> str:
    """One printable page: the picture, who is who, counts, and what changed.

    `labels` holds the Dutch headings (from the UI's string table). Notes are never included:
    they are the worker's, not part of what is handed over.
    """
    people = ordered(nodes)
    by_sector, by_ring = counts(people)
    sector = vocabulary("sector")
    rows = "\n".join(
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>".format(
            escape(n.name),
            escape(sector.label(n.sector)),
            escape(vocabulary("ring").label(str(n.ring))),
            escape(vocabulary("tie").label(n.tie)),
            escape(
                ", ".join(
                    [vocabulary("support").label(s) for s in n.supports]
                    + [vocabulary("role").label(r) for r in n.roles]
                )
            ),
        )
        for n in people
    )
    sectors = ", ".join(f"{escape(sector.label(s))}: {k}" for s, k in by_sector.items())
    rings = ", ".join(f"{escape(vocabulary('ring').label(r))}: {k}" for r, k in by_ring.items())
    change_list = "".join(f"<li>{escape(line)}</li>" for line in changes)
    return f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8">
<title>{escape(title)}</title>
<style>
@page {{ size: A4; margin: 12mm; }}
body {{ font-family: {FONT}; color: #1b1f1e; margin: 0 auto; max-width: 190mm; }}
h1 {{ font-size: 20px; margin: 0 0 2px; }} h2 {{ font-size: 15px; margin: 10px 0 4px; }}
.day {{ color: #55615f; margin: 0 0 6px; }}
.picture svg {{ width: 100%; max-width: 115mm; height: auto; display: block; margin: 0 auto; }}
table {{ border-collapse: collapse; width: 100%; font-size: 12px; }}
td, th {{ border-bottom: 1px solid #d5dedc; padding: 3px 4px; text-align: left; }}
p, li {{ font-size: 12px; }}
</style></head><body>
<h1>{escape(title)}</h1>
<p class="day">{escape(day)}</p>
<div class="picture">{picture}</div>
<h2>{escape(labels["people"])}</h2>
<table><tr><th>{escape(labels["name"])}</th><th>{escape(labels["sector"])}</th>
<th>{escape(labels["ring"])}</th><th>{escape(labels["tie"])}</th>
<th>{escape(labels["support"])}</th></tr>
{rows}
</table>
<h2>{escape(labels["counts"])}</h2>
<p>{sectors}</p><p>{rings}</p>
{f"<h2>{escape(labels['changes'])}</h2><ul>{change_list}</ul>" if changes else ""}
<p>{escape(labels["footer"])}</p>
</body></html>
"""


def _shape(shape: Shape, colours: dict[str, str]) -> str:
    if isinstance(shape, Circle):
        return (
            f'<circle cx="{shape.x:.1f}" cy="{shape.y:.1f}" r="{shape.r:.1f}"'
            f"{_paint(shape.fill, shape.stroke, shape.width, colours)}/>"
        )
    if isinstance(shape, Rect):
        return (
            f'<rect x="{shape.x:.1f}" y="{shape.y:.1f}" width="{shape.w:.1f}" '
            f'height="{shape.h:.1f}" rx="{shape.radius:.1f}"'
            f"{_paint(shape.fill, shape.stroke, shape.width, colours)}/>"
        )
    if isinstance(shape, Line):
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in shape.points)
        dash = f' stroke-dasharray="{",".join(f"{d:g}" for d in shape.dash)}"' if shape.dash else ""
        return (
            f'<polyline points="{points}" fill="none" stroke="{colours[shape.colour]}" '
            f'stroke-width="{shape.width:g}" stroke-linecap="round" '
            f'stroke-linejoin="round"{dash}/>'
        )
    return _label(shape, colours)


def _label(label: Label, colours: dict[str, str]) -> str:
    turn = (
        f' transform="rotate({math.degrees(label.rotate):.1f} {label.x:.1f} {label.y:.1f})"'
        if label.rotate
        else ""
    )
    weight = ' font-weight="bold"' if label.bold else ""
    return (
        f'<text x="{label.x:.1f}" y="{label.y:.1f}" font-size="{label.size:g}" '
        f'fill="{colours[label.colour]}" text-anchor="middle" dominant-baseline="central"'
        f"{weight}{turn}>{escape(label.text)}</text>"
    )


def _paint(fill: str | None, stroke: str | None, width: float, colours: dict[str, str]) -> str:
    out = f' fill="{colours[fill]}"' if fill else ' fill="none"'
    if stroke:
        out += f' stroke="{colours[stroke]}" stroke-width="{width:g}"'
    return out
