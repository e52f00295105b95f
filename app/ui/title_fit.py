"""How an app-bar title fits its room: a size at which every word fits whole on a line and
the title in two lines (three, small, in a taller bar, when even that is too long).

Flutter breaks a word that is wider than the line in the middle ("Rechtenverk / enner") and
cuts the last line with '…'; the room left beside the back button and the bar's icons at
412 px is about 140 px. Widths are estimated from the number of characters (Roboto averages
a little over half its size per character), so the choice is made before anything is drawn.
"""

from __future__ import annotations

from dataclasses import dataclass

CHAR_WIDTH = 0.55  # em: Roboto's average letter width, rounded up (capitals are wider)
LINE_HEIGHT = 1.25  # em
# (size in px, lines): the first that holds the title is used; 22 px is Material's own
STEPS = ((22, 1), (18, 2), (16, 2), (15, 3), (14, 3))
BAR = 56  # px: Material's toolbar height


@dataclass(frozen=True)
class TitleFit:
    size: float
    lines: int
    bar_height: float  # the toolbar's height that shows all lines


def lines_needed(title: str, size: float, room: float) -> int:
    """Lines the words take at `size` when wrapped only at spaces; a word wider than the
    room counts as never fitting."""
    per_line = room / (CHAR_WIDTH * size)
    lines, used = 1, 0.0
    for word in title.split():
        if len(word) > per_line:
            return 99
        need = len(word) if used == 0 else used + 1 + len(word)
        if need <= per_line:
            used = need
        else:
            lines, used = lines + 1, len(word)
    return lines


def fit(title: str, room: float) -> TitleFit:
    """The largest size at which `title` fits `room` px wide in the lines allowed for it."""
    size, lines = STEPS[-1]
    for step_size, most in STEPS:
        if lines_needed(title, step_size, room) <= most:
            size, lines = step_size, max(1, lines_needed(title, step_size, room))
            break
    else:
        lines = 3
    height = max(BAR, lines * size * LINE_HEIGHT + 12)
    return TitleFit(size=size, lines=lines, bar_height=height)


def room(page_width: float, back: bool, enrolled: bool, unlocked: bool) -> float:
    """The px left for the title between the leading button and the actions."""
    left = 56 + 16 if back else 16  # the back button and the spacing after it
    right = 16  # spacing before the actions
    if unlocked:
        right += 2 * 48  # Verbergen, Vergrendelen
        if enrolled:
            right += 20 + 4 + 66  # the cloud and "N wachtend"
    return max(80.0, page_width - left - right)
