"""Where every node of a netwerkkaart goes: pure, deterministic geometry in abstract units.

The client sits in a centre disc; three concentric ring bands (1 dichtbij … 3 veraf) are
cut into wedges, one per sector, clockwise from the top in vocabulary order. Each ring
band holds one or more circular *tracks*; a node's footprint (its circle plus the name
below it) sits on a track inside its sector's wedge.

1. Wedges get the angle their fullest ring needs (nodes × spacing / track radius); what is
   left is shared so that sectors stay as equal as possible (an empty sector keeps a sliver
   wide enough for its label). When the sectors need more than a full turn, the most
   crowded ring gets one more track (the picture grows outwards) and step 1 repeats.
2. Nodes of a (sector, ring) are spread evenly over the wedge, outer tracks taking more.
   Each track has its own phase, so lines from the centre pass between inner nodes.
3. The footprints are checked pairwise; if any two touch (possible on a diagonal), the
   spacing grows by 10 % and everything is placed again. So the result never overlaps.

The canvas and the SVG export both draw from this; the view scales it to the screen.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from app.core.network import RINGS, Node, method
from app.core.vocabulary import vocabulary

NODE_R = 16.0
NAME_SIZE = 13.0
FOOT_W = 112.0  # the widest a name label may be (14 characters or so)
FOOT_H = 2 * NODE_R + 2 + NAME_SIZE * 1.3
GAP = 4.0
ARC = 2 * NODE_R + GAP + 20  # neighbours on a track, to start with (long names push it up)
CENTRE_R = 32.0
MIN_BAND = 30.0  # an empty ring still shows as a band
LANE = 18.0  # outside the outer ring: the sector labels
MARGIN = 5.0
SECTOR_SIZE = 12.0
MIN_WEDGE = math.radians(26)
CHAR = 0.6  # average glyph width / font size, a safe estimate for the sans-serif font
UNTANGLE_UP_TO = 16  # people: small maps get the extra care, large ones stay quick
SEPARATE_UP_TO = 30  # people: slide groups apart before growing the whole map
SLIDES = (0.5, 0.35, 0.65, 0.2, 0.8, 0.1, 0.9)
# Where on its slot a node sits, per track (ring 1 track 0, ring 2 track 0, …). Each set is
# tried; of those where no footprints touch, the one whose lines cross the fewest people
# wins. Any phase keeps neighbours across a sector border apart.
PHASES = (
    (0.5, 0.25, 0.75, 0.38, 0.62),
    (0.5, 0.75, 0.25, 0.62, 0.38),
    (0.3, 0.7, 0.5, 0.2, 0.8),
    (0.7, 0.3, 0.5, 0.8, 0.2),
    (0.5, 0.9, 0.1, 0.7, 0.3),
    (0.5, 0.1, 0.9, 0.3, 0.7),
    (0.5, 0.5, 0.5, 0.5, 0.5),
    (0.25, 0.5, 0.75, 0.5, 0.5),
)


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box) -> bool:
        return (
            self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1
        )

    def inside(self, size: float) -> bool:
        return self.x0 >= 0 and self.y0 >= 0 and self.x1 <= size and self.y1 <= size


@dataclass(frozen=True)
class Rim:
    """Where names may go at the edge: inside the outer ring, or out into the lane around
    it as long as they keep clear of the sector names there."""

    outer: float
    sector_names: tuple[Box, ...]

    def holds(self, label: Box) -> bool:
        if _farthest(label) <= self.outer:
            return True
        reach = max(abs(label.x0), abs(label.x1), abs(label.y0), abs(label.y1))
        return reach <= self.outer + LANE and not any(
            label.overlaps(name) for name in self.sector_names
        )


@dataclass(frozen=True)
class Placed:
    id: str
    x: float
    y: float
    label: str  # the name as drawn (shortened with … if too wide)
    label_box: Box
    circle: Box
    line: tuple[float, float, float, float]  # from the centre disc's edge to the node's edge


@dataclass(frozen=True)
class Wedge:
    sector: str
    start: float  # radians, clockwise from the positive x axis (screen coordinates)
    end: float
    label: str
    label_x: float
    label_y: float
    label_rotate: float  # radians, so the text follows the rim and is never upside down
    label_corners: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Layout:
    size: float  # a square canvas of size × size units
    centre: float  # the centre is at (centre, centre)
    centre_r: float
    rings: tuple[float, ...]  # outer radius of ring bands 1, 2, 3
    wedges: tuple[Wedge, ...]
    nodes: dict[str, Placed]

    def hit(self, x: float, y: float) -> str | None:
        """The node under a tap at (x, y), if any: the nearest within reach."""
        best: tuple[float, str] | None = None
        for node in self.nodes.values():
            distance = math.hypot(node.x - x, node.y - y)
            lb = node.label_box
            near = distance <= NODE_R + 8 or (lb.x0 <= x <= lb.x1 and lb.y0 <= y <= lb.y1)
            if near and (best is None or distance < best[0]):
                best = (distance, node.id)
        return best[1] if best else None


def text_width(text: str, size: float) -> float:
    return len(text) * size * CHAR


def fit_text(text: str, size: float, width: float) -> str:
    """`text`, or its start with '…' so that it fits `width` at font `size`."""
    if text_width(text, size) <= width:
        return text
    keep = max(1, int(width / (size * CHAR)) - 1)
    return text[:keep].rstrip() + "…"


def layout(nodes: Iterable[Node], sector_labels: dict[str, str] | None = None) -> Layout:
    """Place `nodes` (any order; the result does not depend on it)."""
    sectors = vocabulary("sector").codes
    groups: dict[tuple[str, int], list[Node]] = {(s, k): [] for s in sectors for k in RINGS}
    for node in sorted(nodes, key=lambda n: (n.name.casefold(), n.id)):
        groups[(node.sector, node.ring)].append(node)
    labels = sector_labels or method()["sector_short"]
    arc, step, hole, extra = ARC, FOOT_H + GAP, 0.0, 0.0
    for _ in range(80):
        found, touching = _attempt(groups, sectors, labels, arc, step, hole, extra)
        if found:
            return found
        arc *= 1.06 if "arc" in touching else 1.0
        step *= 1.06 if "radial" in touching else 1.0
        hole += 4.0 if "centre" in touching else 0.0
        extra += 6.0 if "rim" in touching else 0.0
    raise AssertionError("layout did not converge")  # unreachable: spacing grows past any box


def _attempt(
    groups, sectors, labels, arc: float, step: float, hole: float, extra: float
) -> tuple[Layout | None, set[str]]:
    """Lay the map out with these spacings: the layout if no footprints touch, else None and
    how the closest try touched."""
    tracks, bands = _rings(groups, sectors, arc, step, hole, extra)
    wedges = _share({s: _need(groups, s, tracks, arc) for s in sectors})
    edge = _rim(wedges, labels, bands[-1])
    fewest: tuple[int, list[str], list[tuple[Node, float, float, int]]] | None = None
    best: tuple[float, list[tuple[Node, float, float, int]]] | None = None
    for phases in PHASES:
        placed = _place(groups, sectors, wedges, tracks, arc, phases)
        faults = _faults(placed, edge)
        if not faults:
            crossed = _crossings(placed)
            if best is None or crossed < best[0]:
                best = (crossed, placed)
            if crossed == 0:
                break
        elif fewest is None or len(faults) < fewest[0]:
            fewest = (len(faults), faults, placed)
    people = sum(len(g) for g in groups.values())
    if best is None and fewest is not None and fewest[0] <= 4 and people <= SEPARATE_UP_TO:
        moved = _slide(fewest[2], wedges, lambda trial: len(_faults(trial, edge)), passes=3)
        if not _faults(moved, edge):
            best = (_crossings(moved), moved)
    if best is None:
        return None, set(fewest[1]) if fewest else set()
    chosen = best[1]
    if best[0] and people <= UNTANGLE_UP_TO:
        chosen = _slide(chosen, wedges, lambda trial: _tangle(trial, edge))
    return _finish(chosen, wedges, bands, labels), set()


def _rings(
    groups: dict[tuple[str, int], list[Node]],
    sectors: Sequence[str],
    arc: float,
    step: float,
    hole: float,
    rim: float,
) -> tuple[dict[int, list[float]], tuple[float, ...]]:
    """Track radii per ring and the outer radius of each band, with just enough tracks."""
    count = dict.fromkeys(RINGS, 1)
    while True:
        tracks, bands = _radii(count, step, hole, rim)
        needs = {k: [_angle(len(groups[(s, k)]), tracks[k], arc) for s in sectors] for k in RINGS}
        wanted = [max(needs[k][i] for k in RINGS) for i in range(len(sectors))]
        if sum(max(w, MIN_WEDGE) for w in wanted) <= 2 * math.pi:
            return tracks, bands
        crowded = max(RINGS, key=lambda k: (sum(needs[k]), -k))
        count[crowded] += 1


def _radii(
    count: dict[int, int], step: float, hole: float, rim: float
) -> tuple[dict[int, list[float]], tuple[float, ...]]:
    tracks: dict[int, list[float]] = {}
    # The first track sits far enough out that a name below a node at the top clears the disc.
    inner = CENTRE_R + GAP / 2 + hole
    bands: list[float] = []
    for k in RINGS:
        width = max(MIN_BAND, count[k] * step)
        first = inner + (width - count[k] * step) / 2 + GAP / 2 + NODE_R
        width += rim if k == RINGS[-1] else 0.0  # room for names below the outermost nodes
        tracks[k] = [first + j * step for j in range(count[k])]
        inner += width
        bands.append(inner)
    return tracks, tuple(bands)


def _spacing(radius: float, arc: float) -> float:
    """The angle between two neighbours on a track whose centres are `arc` apart."""
    return 2 * math.asin(min(1.0, arc / (2 * radius)))


def _angle(n: int, radii: list[float], arc: float) -> float:
    """The smallest wedge angle in which `n` nodes fit on these tracks."""
    if n == 0:
        return 0.0
    steps = [_spacing(r, arc) for r in radii]
    candidates = sorted(m * s for s in steps for m in range(1, n + 1))
    for theta in candidates:
        if sum(int(theta / s + 1e-9) for s in steps) >= n:
            return theta
    return candidates[-1]


def _need(groups, sector: str, tracks: dict[int, list[float]], arc: float) -> float:
    return max(_angle(len(groups[(sector, k)]), tracks[k], arc) for k in RINGS)


def _share(need: dict[str, float]) -> dict[str, tuple[float, float]]:
    """Water-filling: sectors that need more than an equal share keep what they need; the
    others share the rest equally. Returns (start, end) angles, clockwise from the top."""
    fixed: dict[str, float] = {}
    while True:
        free = [s for s in need if s not in fixed]
        equal = (2 * math.pi - sum(fixed.values())) / max(1, len(free))
        grown = [s for s in free if max(need[s], MIN_WEDGE) > equal]
        if not grown or not free:
            break
        for s in grown:
            fixed[s] = max(need[s], MIN_WEDGE)
    start = -math.pi / 2
    out: dict[str, tuple[float, float]] = {}
    for s in need:
        width = fixed.get(s, equal)
        out[s] = (start, start + width)
        start += width
    return out


def _place(
    groups, sectors, wedges, tracks, arc: float, phases: tuple[float, ...]
) -> list[tuple[Node, float, float, int]]:
    placed: list[tuple[Node, float, float, int]] = []
    for k in RINGS:
        for s in sectors:
            members = groups[(s, k)]
            if not members:
                continue
            start, end = wedges[s]
            theta = end - start
            caps = [max(0, int(theta / _spacing(r, arc) + 1e-9)) for r in tracks[k]]
            share = [0] * len(caps)
            for _ in members:  # outer tracks fill first: they have the most room
                j = max(range(len(caps)), key=lambda j: ((caps[j] - share[j]) / max(caps[j], 1), j))
                share[j] += 1
            queue = iter(members)
            for j, radius in enumerate(tracks[k]):
                phase = phases[(k - 1 + 2 * j) % len(phases)]
                for i in range(share[j]):
                    angle = start + (i + phase) * theta / share[j]
                    x, y = radius * math.cos(angle), radius * math.sin(angle)
                    placed.append((next(queue), x, y, round(radius)))
    return placed


def _boxes(
    node: Node, x: float, y: float, pad: float = 0.0, above: bool | None = None
) -> tuple[Box, Box]:
    """The node's circle and its name label, as drawn (each grown by `pad`). The name goes
    on the outer side: above a node in the upper half, below one in the lower half."""
    half = text_width(fit_text(node.name, NAME_SIZE, FOOT_W), NAME_SIZE) / 2
    above = y < 0 if above is None else above
    top = y - NODE_R - 2 - NAME_SIZE * 1.3 if above else y + NODE_R + 2
    return (
        Box(x - NODE_R - pad, y - NODE_R - pad, x + NODE_R + pad, y + NODE_R + pad),
        Box(x - half - pad, top - pad, x + half + pad, top + NAME_SIZE * 1.3 + pad),
    )


def _faults(placed: list[tuple[Node, float, float, int]], rim: Rim) -> list[str]:
    """Every place where footprints touch, by kind: 'arc' (neighbours on one track),
    'radial' (across tracks), 'centre' (into the client's disc) or 'rim' (over the outer
    ring, where sector names go).
    A person's circle is tested as a circle: its square box would meet its neighbours on
    every diagonal and make the map needlessly large."""
    pad = GAP / 2
    feet = [(node, x, y, *_boxes(node, x, y, pad)) for node, x, y, _ in placed]
    found: list[str] = []
    for node, x, y, body, label in feet:
        reach = math.hypot(x, y)
        near = reach - NODE_R - pad if _round(node) else _distance_to(body, 0.0, 0.0)
        far = reach + NODE_R + pad if _round(node) else _farthest(body)
        if min(near, _distance_to(label, 0.0, 0.0)) < CENTRE_R:
            found.append("centre")
        if far > rim.outer or not rim.holds(label):
            found.append("rim")
    # Sweep from left to right: only footprints whose horizontal spans meet can touch.
    spans = sorted((min(f[3].x0, f[4].x0), max(f[3].x1, f[4].x1), i) for i, f in enumerate(feet))
    tops = [(min(f[3].y0, f[4].y0), max(f[3].y1, f[4].y1)) for f in feet]
    for k, (_, right, i) in enumerate(spans):
        for left, _, j in spans[k + 1 :]:
            if left >= right:
                break
            if tops[i][0] >= tops[j][1] or tops[j][0] >= tops[i][1]:
                continue
            if _meet(feet[i], feet[j]) or _meet(feet[j], feet[i]):
                found.append("arc" if placed[i][3] == placed[j][3] else "radial")
    return found


def _round(node: Node) -> bool:
    return not node.organisation  # people are circles, organisations squares


def _meet(a: tuple[Node, float, float, Box, Box], b: tuple[Node, float, float, Box, Box]) -> bool:
    """Does a's body or label touch b's label, or a's body touch b's body (boxes grown by
    half a gap)?"""
    node, x, y, body, label = a
    other, ox, oy, other_body, other_label = b
    if label.overlaps(other_label):
        return True
    reach = NODE_R + GAP / 2
    if _round(node) and _round(other):
        bodies = math.hypot(x - ox, y - oy) < 2 * reach
    elif _round(node):
        bodies = _distance_to(other_body, x, y) < reach
    else:
        bodies = body.overlaps(other_body)
    if _round(node):
        return bodies or _distance_to(other_label, x, y) < reach
    return bodies or body.overlaps(other_label)


def _slide(
    placed: list[tuple[Node, float, float, int]],
    wedges: dict[str, tuple[float, float]],
    score: Callable[[list[tuple[Node, float, float, int]]], float],
    passes: int = 1,
) -> list[tuple[Node, float, float, int]]:
    """Slide one (sector, track) group at a time along its track, keeping each move that
    lowers `score`, until it is 0 or every group has had `passes` turns."""
    groups: dict[tuple[str, int], list[int]] = {}
    for index, (node, _, _, radius) in enumerate(placed):
        groups.setdefault((node.sector, radius), []).append(index)
    order = sorted(groups.items(), key=lambda g: (g[0][1], g[0][0]))
    best = score(placed)
    for _ in range(passes):
        before = best
        for (sector, radius), members in order:
            start, end = wedges[sector]
            step = (end - start) / len(members)
            exact = math.hypot(placed[members[0]][1], placed[members[0]][2])
            for phase in SLIDES:
                trial = list(placed)
                for i, index in enumerate(members):
                    angle = start + (i + phase) * step
                    node = placed[index][0]
                    trial[index] = (node, exact * math.cos(angle), exact * math.sin(angle), radius)
                value = score(trial)
                if value < best:
                    placed, best = trial, value
            if best == 0:
                return placed
        if best == before:
            break
    return placed


def _tangle(placed: list[tuple[Node, float, float, int]], rim: Rim) -> float:
    """How badly lines cross people, for a placement where no footprints touch."""
    return math.inf if _faults(placed, rim) else _crossings(placed)


def _crossings(placed: list[tuple[Node, float, float, int]]) -> float:
    """How badly lines from the centre run through other people: for every circle a line
    passes too close to, the shortfall in clearance; for every name it cuts, a fixed 10."""
    boxes = [_boxes(node, x, y, 2.0)[1] for node, x, y, _ in placed]
    clearance = NODE_R + 8
    penalty = 0.0
    for i, (_, x, y, radius) in enumerate(placed):
        length = math.hypot(x, y)
        end = (x - x / length * NODE_R, y - y / length * NODE_R)  # lines stop at the edge
        for j, (_, cx, cy, inner) in enumerate(placed):
            if j == i or inner > radius:
                continue
            t = max(0.0, min(1.0, (cx * end[0] + cy * end[1]) / (length - NODE_R) ** 2))
            penalty += max(0.0, clearance - math.hypot(cx - t * end[0], cy - t * end[1]))
            penalty += 10.0 if _segment_meets(end, boxes[j]) else 0.0
    return penalty


def _segment_meets(end: tuple[float, float], box: Box) -> bool:
    """Does the segment from the centre (0, 0) to `end` pass through `box` (Liang-Barsky)?"""
    low, high = 0.0, 1.0
    for delta, start, lo, hi in ((end[0], 0.0, box.x0, box.x1), (end[1], 0.0, box.y0, box.y1)):
        if abs(delta) < 1e-12:
            if not lo <= start <= hi:
                return False
            continue
        t0, t1 = sorted(((lo - start) / delta, (hi - start) / delta))
        low, high = max(low, t0), min(high, t1)
        if low > high:
            return False
    return True


def _farthest(box: Box) -> float:
    return math.hypot(max(abs(box.x0), abs(box.x1)), max(abs(box.y0), abs(box.y1)))


def _distance_to(box: Box, x: float, y: float) -> float:
    dx = max(box.x0 - x, 0.0, x - box.x1)
    dy = max(box.y0 - y, 0.0, y - box.y1)
    return math.hypot(dx, dy)


def _finish(placed, wedges, bands, labels) -> Layout:
    outer = bands[-1]
    size = 2 * (outer + LANE + MARGIN)
    c = size / 2
    nodes: dict[str, Placed] = {}
    for node, dx, dy, _ in placed:
        x, y = c + dx, c + dy
        distance = math.hypot(dx, dy) or 1.0
        ux, uy = dx / distance, dy / distance
        circle, label_box = _boxes(node, x, y, above=dy < 0)
        nodes[node.id] = Placed(
            id=node.id,
            x=x,
            y=y,
            label=fit_text(node.name, NAME_SIZE, FOOT_W),
            label_box=label_box,
            circle=circle,
            line=(c + ux * CENTRE_R, c + uy * CENTRE_R, x - ux * NODE_R, y - uy * NODE_R),
        )
    return Layout(
        size=size,
        centre=c,
        centre_r=CENTRE_R,
        rings=bands,
        wedges=tuple(_wedge(s, a, b, labels[s], c, outer) for s, (a, b) in wedges.items()),
        nodes=nodes,
    )


def _rim(wedges: dict[str, tuple[float, float]], labels: dict[str, str], outer: float) -> Rim:
    names = []
    for sector, (start, end) in wedges.items():
        corners = _wedge(sector, start, end, labels[sector], 0.0, outer).label_corners
        xs, ys = [x for x, _ in corners], [y for _, y in corners]
        names.append(Box(min(xs) - 2, min(ys) - 2, max(xs) + 2, max(ys) + 2))
    return Rim(outer, tuple(names))


def _wedge(sector: str, start: float, end: float, label: str, c: float, outer: float) -> Wedge:
    """The sector's name on the rim, along the arc, turned so it reads left to right."""
    mid = (start + end) / 2
    radius = outer + LANE / 2
    room = (end - start) * radius - 8
    text = fit_text(label, SECTOR_SIZE, room)
    x, y = c + radius * math.cos(mid), c + radius * math.sin(mid)
    rotate = mid + math.pi / 2
    if math.sin(mid) > 0:  # lower half: flip, or the text would hang upside down
        rotate -= math.pi
    half_w, half_h = text_width(text, SECTOR_SIZE) / 2, SECTOR_SIZE * 0.65
    cos, sin = math.cos(rotate), math.sin(rotate)
    corners = tuple(
        (x + px * cos - py * sin, y + px * sin + py * cos)
        for px, py in ((-half_w, -half_h), (half_w, -half_h), (half_w, half_h), (-half_w, half_h))
    )
    return Wedge(sector, start, end, text, x, y, rotate, corners)
