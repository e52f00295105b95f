"""The netwerkkaart on screen: the core scene painted on a Flet canvas, scaled to the space
available, inside an InteractiveViewer (pinch to zoom, drag to pan); a tap on a node opens
that person. The canvas is invisible to screen readers, so it carries a spoken summary and
the list below it is the accessible way in."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import NamedTuple

import flet as ft
import flet.canvas as cv

from app.core.network import Node, counts
from app.core.network_layout import NAME_SIZE, SECTOR_SIZE, Layout, layout
from app.core.network_scene import (
    CENTRE_SIZE,
    LETTERS_SIZE,
    PALETTES,
    Circle,
    Label,
    Line,
    Rect,
    Shape,
    scene,
    tie_line,
)
from app.core.vocabulary import vocabulary
from app.ui.strings import T, counted


def theme_of(page: ft.Page) -> str:
    """'dark' or 'light', following the phone unless the app forces a mode."""
    if page.theme_mode == ft.ThemeMode.DARK:
        return "dark"
    if page.theme_mode == ft.ThemeMode.LIGHT:
        return "light"
    return "dark" if page.platform_brightness == ft.Brightness.DARK else "light"


def shapes_for(shapes: Sequence[Shape], scale: float, theme: str) -> list[cv.Shape]:
    """Core shapes → Flet canvas shapes, every length times `scale`."""
    colours = PALETTES[theme]
    out: list[cv.Shape] = []
    for shape in shapes:
        if isinstance(shape, Circle):
            x, y, r = shape.x * scale, shape.y * scale, shape.r * scale
            if shape.fill:
                out.append(cv.Circle(x, y, r, paint=ft.Paint(color=colours[shape.fill])))
            if shape.stroke:
                out.append(cv.Circle(x, y, r, paint=_stroke(colours[shape.stroke], shape.width)))
        elif isinstance(shape, Rect):
            args = (shape.x * scale, shape.y * scale, shape.w * scale, shape.h * scale)
            radius = shape.radius * scale
            if shape.fill:
                paint = ft.Paint(color=colours[shape.fill])
                out.append(cv.Rect(*args, border_radius=radius, paint=paint))
            if shape.stroke:
                paint = _stroke(colours[shape.stroke], shape.width)
                out.append(cv.Rect(*args, border_radius=radius, paint=paint))
        elif isinstance(shape, Line):
            out.append(_line(shape, scale, colours[shape.colour]))
        else:
            out.append(_text(shape, scale, colours[shape.colour]))
    return out


class Picture(NamedTuple):
    control: ft.Control  # what goes on the screen
    canvas: cv.Canvas  # for a PNG capture
    viewer: MapViewer  # for the zoom buttons


def picture(
    page: ft.Page,
    nodes: list[Node],
    centre: str,
    width: float,
    on_node: Callable[[str], Awaitable[None] | None] | None = None,
    placed: Layout | None = None,
) -> Picture:
    """The zoomable picture, with its canvas and viewer."""
    placed = placed or layout(nodes)
    scale = scale_for(placed, width)
    side = placed.size * scale
    canvas = cv.Canvas(
        shapes=shapes_for(scene(placed, nodes, centre), scale, theme_of(page)),
        width=side,
        height=side,
    )

    async def tapped(e: ft.TapEvent) -> None:
        if on_node is None or e.local_position is None:
            return
        node_id = placed.hit(e.local_position.x / scale, e.local_position.y / scale)
        if node_id is not None:
            result = on_node(node_id)
            if result is not None:
                await result

    viewer = MapViewer(
        content=ft.GestureDetector(content=canvas, on_tap_up=tapped, exclude_from_semantics=True),
        min_scale=width / side,
        max_scale=6,
        width=width,
        height=width,
        constrained=side <= width,  # else the map is larger than the window: drag to see it
    )
    viewer.opening = (side - width) / 2
    summary = ft.Semantics(content=viewer, label=spoken(nodes, centre), container=True)
    return Picture(summary, canvas, viewer)


FLOOR = 11.0  # px: the smallest text on the map as it opens (Material's smallest label)


def scale_for(placed: Layout, width: float) -> float:
    """Screen pixels per layout unit: the whole map in `width`, unless that would draw a
    name, a sector, the gezin's name or the support letters below FLOOR; then the map is
    larger than the window and opens on its middle (drag, the zoom buttons or the list
    below reach the rest)."""
    smallest = min(NAME_SIZE, SECTOR_SIZE, CENTRE_SIZE, LETTERS_SIZE)
    return max(width / placed.size, FLOOR / smallest)


@ft.control
class MapViewer(ft.InteractiveViewer):
    """An InteractiveViewer that opens on the middle of a map larger than itself."""

    def init(self) -> None:
        super().init()
        self.opening = 0.0  # px to move the map left and up as it opens: its middle in view

    def did_mount(self) -> None:
        super().did_mount()
        if self.opening > 0 and self.page is not None:
            self.page.run_task(self.pan, -self.opening, -self.opening)

    async def whole(self) -> None:
        """The whole map in the window (below FLOOR on a full map: the worker asked for it)."""
        await self.reset()  # the top left corner at 1:1; zooming out keeps it in place
        await self.zoom(self.min_scale)


def spoken(nodes: list[Node], centre: str) -> str:
    """What a screen reader says for the picture: who is where, in counts."""
    by_sector, by_ring = counts(nodes)
    sectors = ", ".join(
        f"{vocabulary('sector').label(code)}: {n}" for code, n in by_sector.items() if n
    )
    rings = ", ".join(f"{vocabulary('ring').label(code)}: {n}" for code, n in by_ring.items())
    return T["network_spoken"].format(
        name=centre, count=counted(len(nodes), "persoon"), sectors=sectors, rings=rings
    )


def tie_sample(tie: str, page: ft.Page, width: float = 56) -> cv.Canvas:
    """A short line in the style of one tie, for the legend."""
    shapes = tie_line((4.0, 9.0, width - 4, 9.0), tie)
    return cv.Canvas(shapes=shapes_for(shapes, 1.0, theme_of(page)), width=width, height=18)


def _stroke(colour: str, width: float) -> ft.Paint:
    return ft.Paint(color=colour, stroke_width=width, style=ft.PaintingStyle.STROKE)


def _line(shape: Line, scale: float, colour: str) -> cv.Shape:
    paint = ft.Paint(
        color=colour,
        stroke_width=max(1.0, shape.width * scale),
        style=ft.PaintingStyle.STROKE,
        stroke_cap=ft.StrokeCap.ROUND,
        stroke_join=ft.StrokeJoin.ROUND,
        stroke_dash_pattern=[d * scale for d in shape.dash] or None,
    )
    (x1, y1), *rest = shape.points
    if len(rest) == 1:
        (x2, y2) = rest[0]
        return cv.Line(x1 * scale, y1 * scale, x2 * scale, y2 * scale, paint=paint)
    elements: list[cv.Path.PathElement] = [cv.Path.MoveTo(x1 * scale, y1 * scale)]
    elements += [cv.Path.LineTo(x * scale, y * scale) for x, y in rest]
    return cv.Path(elements, paint=paint)


def _text(label: Label, scale: float, colour: str) -> cv.Shape:
    style = ft.TextStyle(
        size=label.size * scale,
        color=colour,
        weight=ft.FontWeight.BOLD if label.bold else ft.FontWeight.NORMAL,
    )
    return cv.Text(
        label.x * scale,
        label.y * scale,
        label.text,
        style=style,
        alignment=ft.Alignment.CENTER,
        text_align=ft.TextAlign.CENTER,
        max_lines=1,
        rotate=label.rotate,
    )
