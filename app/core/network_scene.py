"""A netwerkkaart as a list of simple shapes, ready for any painter (Flet canvas, SVG).

Colours are palette keys, resolved per theme (light or dark) by `PALETTES`, so the same
scene draws on a phone in dark mode and in an exported file. The tie between the client
and a person is the line's style: steunend thick, zwak dashed, gespannen a zigzag,
conflict a red zigzag, verbroken crossed through.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from app.core.network import Node, initials
from app.core.network_layout import (
    NAME_SIZE,
    NODE_R,
    SECTOR_SIZE,
    Layout,
    Placed,
    fit_text,
    text_width,
)

INITIALS_SIZE = 15.0
LETTERS_SIZE = 12.0  # 11 px on screen at the smallest scale a map opens at (FLOOR)
CENTRE_SIZE = 12.0


@dataclass(frozen=True)
class Circle:
    x: float
    y: float
    r: float
    fill: str | None = None
    stroke: str | None = None
    width: float = 1.0


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    radius: float
    fill: str | None = None
    stroke: str | None = None
    width: float = 1.0


@dataclass(frozen=True)
class Line:
    points: tuple[tuple[float, float], ...]  # a polyline: two points for a straight line
    colour: str
    width: float
    dash: tuple[float, ...] = ()


@dataclass(frozen=True)
class Label:
    x: float  # the text's centre
    y: float
    text: str
    size: float
    colour: str
    bold: bool = False
    rotate: float = 0.0  # radians, around (x, y)
    max_width: float | None = None


Shape = Circle | Rect | Line | Label

TIE_STYLE = {  # width, dash, zigzag, crossed
    "steunend": (5.0, (), False, False),
    "gewoon": (2.0, (), False, False),
    "zwak": (1.6, (6.0, 5.0), False, False),
    "gespannen": (2.0, (), True, False),
    "conflict": (2.6, (), True, False),
    "verbroken": (1.6, (), False, True),
}

PALETTES: dict[str, dict[str, str]] = {
    "light": {
        "background": "#FBFCFC",
        "ring1": "#DCEFEC",
        "ring2": "#E9F4F2",
        "ring3": "#F3F8F7",
        "grid": "#B6CCC8",
        "rim_text": "#35524D",
        "centre": "#00695C",
        "centre_text": "#FFFFFF",
        "node_text": "#1B1F1E",
        "node_stroke": "#FFFFFF",
        "name": "#1B1F1E",
        "label_bg": "#FFFFFF",
        "letters": "#1B1F1E",
        "sector_huishouden": "#F4C95D",
        "sector_familie": "#8FD3C9",
        "sector_informeel": "#9EC5F0",
        "sector_school_werk": "#CDB8EA",
        "sector_hulpverlening": "#F2A7A0",
        "tie_steunend": "#2E7D32",
        "tie_gewoon": "#546E7A",
        "tie_zwak": "#78909C",
        "tie_gespannen": "#E65100",
        "tie_conflict": "#C62828",
        "tie_verbroken": "#757575",
    },
    "dark": {
        "background": "#101615",
        "ring1": "#1D2E2B",
        "ring2": "#182523",
        "ring3": "#141D1C",
        "grid": "#3D5450",
        "rim_text": "#B8D4CE",
        "centre": "#4DB6AC",
        "centre_text": "#00201C",
        "node_text": "#FFFFFF",
        "node_stroke": "#101615",
        "name": "#E8F0EE",
        "label_bg": "#1A2422",
        "letters": "#FFFFFF",
        "sector_huishouden": "#8D6E16",
        "sector_familie": "#2A7268",
        "sector_informeel": "#35618F",
        "sector_school_werk": "#5F4A86",
        "sector_hulpverlening": "#8E3F3A",
        "tie_steunend": "#81C784",
        "tie_gewoon": "#B0BEC5",
        "tie_zwak": "#90A4AE",
        "tie_gespannen": "#FFB74D",
        "tie_conflict": "#FF6E6E",
        "tie_verbroken": "#9E9E9E",
    },
}


def scene(placed: Layout, nodes: Iterable[Node], centre_label: str = "") -> list[Shape]:
    """Every shape of the picture, back to front."""
    c = placed.centre
    shapes: list[Shape] = [Rect(0, 0, placed.size, placed.size, 16, fill="background")]
    for ring, radius in reversed(list(enumerate(placed.rings, start=1))):
        shapes.append(Circle(c, c, radius, fill=f"ring{ring}", stroke="grid", width=1.0))
    outer = placed.rings[-1]
    for wedge in placed.wedges:
        cos, sin = math.cos(wedge.start), math.sin(wedge.start)
        start = ((c + cos * placed.centre_r, c + sin * placed.centre_r),)
        shapes.append(Line((*start, (c + cos * (outer + 6), c + sin * (outer + 6))), "grid", 1.2))
        shapes.append(
            Label(
                wedge.label_x,
                wedge.label_y,
                wedge.label,
                SECTOR_SIZE,
                "rim_text",
                bold=True,
                rotate=wedge.label_rotate,
            )
        )
    by_id = {n.id: n for n in nodes}
    for node_id, spot in placed.nodes.items():
        shapes += tie_line(spot.line, by_id[node_id].tie)
    shapes.append(Circle(c, c, placed.centre_r, fill="centre", stroke="node_stroke", width=2))
    for node_id, spot in placed.nodes.items():
        shapes += _node(by_id[node_id], spot)
    lines = centre_lines(centre_label, 2 * placed.centre_r - 10)
    for i, text in enumerate(lines):
        offset = (i - (len(lines) - 1) / 2) * CENTRE_SIZE * 1.2
        shapes.append(Label(c, c + offset, text, CENTRE_SIZE, "centre_text", bold=True))
    return shapes


def centre_lines(name: str, width: float) -> list[str]:
    """The client's name in the centre disc: one line, or two split between words."""
    if text_width(name, CENTRE_SIZE) > 2 * width and "(" in name:
        name = name.split("(", 1)[0].strip() or name  # 'Gezin Claes (fictief)' → 'Gezin Claes'
    words = name.split()
    if not words or text_width(name, CENTRE_SIZE) <= width or len(words) == 1:
        return [fit_text(name, CENTRE_SIZE, width)] if words else []
    cut = min(
        range(1, len(words)),
        key=lambda i: abs(len(" ".join(words[:i])) - len(" ".join(words[i:]))),
    )
    halves = (" ".join(words[:cut]), " ".join(words[cut:]))
    return [fit_text(half, CENTRE_SIZE, width) for half in halves]


def tie_line(segment: tuple[float, float, float, float], tie: str) -> list[Shape]:
    """The line from the client to one person, in the style of their tie."""
    x1, y1, x2, y2 = segment
    width, dash, zigzag, crossed = TIE_STYLE[tie]
    colour = f"tie_{tie}"
    if zigzag:
        return [Line(_zigzag(x1, y1, x2, y2), colour, width)]
    shapes: list[Shape] = [Line(((x1, y1), (x2, y2)), colour, width, dash)]
    if crossed:
        mx, my = (x1 + x2) / 2, (y1 + y2) / 2
        length = math.hypot(x2 - x1, y2 - y1) or 1.0
        ux, uy = (x2 - x1) / length, (y2 - y1) / length
        for shift in (-4.0, 4.0):  # two short strokes across the line: "//"
            cx, cy = mx + ux * shift, my + uy * shift
            a = (cx - uy * 8 - ux * 4, cy + ux * 8 - uy * 4)
            b = (cx + uy * 8 + ux * 4, cy - ux * 8 + uy * 4)
            shapes.append(Line((a, b), colour, 2.2))
    return shapes


def _zigzag(x1: float, y1: float, x2: float, y2: float) -> tuple[tuple[float, float], ...]:
    length = math.hypot(x2 - x1, y2 - y1)
    if length < 24:
        return ((x1, y1), (x2, y2))
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    points = [(x1, y1)]
    teeth = int((length - 12) / 7)
    for i in range(1, teeth):
        along = 6 + i * (length - 12) / teeth
        side = 4.5 if i % 2 else -4.5
        points.append((x1 + ux * along - uy * side, y1 + uy * along + ux * side))
    points.append((x2, y2))
    return tuple(points)


def _node(node: Node, spot: Placed) -> list[Shape]:
    x, y = spot.x, spot.y
    fill = f"sector_{node.sector}"
    body: Shape
    if node.organisation:
        body = Rect(x - NODE_R, y - NODE_R, 2 * NODE_R, 2 * NODE_R, 6, fill, "node_stroke", 2)
    else:
        body = Circle(x, y, NODE_R, fill, "node_stroke", 2)
    letters = node.letters
    shift = 5.0 if letters else 0.0
    shapes: list[Shape] = [
        body,
        Label(x, y - shift, initials(node.name), INITIALS_SIZE, "node_text", bold=True),
    ]
    if letters:
        shapes.append(Label(x, y + 9, letters, LETTERS_SIZE, "letters", bold=True))
    box = spot.label_box
    shapes.append(Rect(box.x0 - 3, box.y0, box.x1 - box.x0 + 6, box.y1 - box.y0, 5, "label_bg"))
    shapes.append(Label(x, (box.y0 + box.y1) / 2, spot.label, NAME_SIZE, "name"))
    return shapes
