"""A claim's timeline as an SVG drawing: pure, no ORM, so the server sends a picture
that needs no JavaScript and prints as it looks.

One mark per statement at its date, coloured by stance (hollow when the date is not
known to the day), stacked when marks would cover each other, and an arrow from each
response to the statement it answers when both are drawn. Each mark links to the
statement's anchor (`#statement-<id>`) on the same page.
"""

from __future__ import annotations

import collections
import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape

from claims.models import DatePrecision, Statement
from claims.stances import Stance

# Every colour has a contrast of at least 4.5:1 against the white background
# (tests/test_public_pages.py checks it), so marks and legend swatches stay visible
# in print and for low vision; the stance is also in each mark's title and the list.
STANCE_COLOURS: dict[str, str] = {
    Stance.ASSERTS: "#1f5fa8",
    Stance.REPORTS: "#5b3a9e",
    Stance.FINDS: "#0b6e6e",
    Stance.DENIES: "#b3261e",
    Stance.REJECTS: "#8c1d40",
    Stance.DISPUTES: "#6d4c41",
    Stance.ACKNOWLEDGES: "#5c6300",
    Stance.WELCOMES: "#2e7d32",
    Stance.CONDEMNS: "#6a1b1b",
    Stance.CALLS_FOR: "#c2410c",
    Stance.DEMANDS: "#9c2a74",
    Stance.EXPRESSES_CONCERN: "#7a5c00",
    Stance.ACCUSES: "#b0174f",
    Stance.PLEDGES: "#37474f",
}

# Drawn hollow: the statement was made on this date only approximately, or by then.
INEXACT_PRECISIONS = frozenset(
    {
        DatePrecision.MONTH,
        DatePrecision.YEAR,
        DatePrecision.APPROXIMATE,
        DatePrecision.ON_OR_BEFORE,
    }
)

WIDTH = 960
MARGIN_X = 60
RADIUS = 7
ROW_HEIGHT = 2 * RADIUS + 5
MAX_ARC = 70
TOP = 12
AXIS_GAP = 16  # between the lowest row of marks and the axis
LABEL_SPACE = 28  # below the axis, for the tick labels
MONTHS = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun",
    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
]  # fmt: skip


@dataclass(frozen=True)
class _Mark:
    statement: Statement
    x: float
    row: int


def render_timeline(statements: Sequence[Statement], *, title: str) -> str:
    """The SVG (an HTML fragment) of `statements`, which must have `actor` loaded."""
    statements = list(statements)
    if not statements:
        return ""
    marks = _place(statements)
    rows = max(mark.row for mark in marks.values()) + 1
    arrows = [
        (marks[s.pk], marks[s.responds_to_id])
        for s in statements
        if s.responds_to_id in marks
    ]
    arc_room = max((_arc_height(abs(a.x - b.x)) for a, b in arrows), default=0)
    axis_y = TOP + arc_room + rows * ROW_HEIGHT + AXIS_GAP
    height = axis_y + LABEL_SPACE

    def y_of(mark: _Mark) -> float:
        return axis_y - AXIS_GAP - RADIUS - mark.row * ROW_HEIGHT

    first, last = statements[0].made_on, statements[-1].made_on
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" role="group" '
        f'aria-labelledby="timeline-title timeline-desc">',
        f'<title id="timeline-title">{escape(title)}</title>',
        f'<desc id="timeline-desc">{len(statements)} statements from '
        f"{_long_date(first)} to {_long_date(last)}, one mark per statement at its "
        f"date, coloured by stance, hollow when the date is approximate; arrows "
        f"lead from each response to the statement it answers. Every statement is "
        f"listed below the timeline.</desc>",
        '<defs><marker id="arrowhead" viewBox="0 0 10 10" refX="9" refY="5" '
        'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        '<path d="M 0 0 L 10 5 L 0 10 z" fill="#333"/></marker></defs>',
        _axis(first, last, axis_y),
    ]
    for response, answered in arrows:
        parts.append(_arrow(response, answered, y_of))
    for mark in marks.values():
        parts.append(_mark(mark, y_of(mark)))
    parts.append("</svg>")
    return "\n".join(parts)


def _place(statements: list[Statement]) -> dict[int, _Mark]:
    """x by date; a mark that would touch an earlier one goes up a row.

    In date order, only the latest marks can be that close: they are kept in
    `near`, which keeps a claim of hundreds of statements linear.
    """
    statements = sorted(statements, key=lambda statement: statement.made_on)
    first, last = statements[0].made_on, statements[-1].made_on
    marks: dict[int, _Mark] = {}
    near: collections.deque[_Mark] = collections.deque()
    for statement in statements:
        x = round(_x_of(statement.made_on, first, last), 1)
        while near and x - near[0].x >= 2 * RADIUS + 2:
            near.popleft()
        taken = {m.row for m in near}
        row = next(r for r in range(len(near) + 1) if r not in taken)
        marks[statement.pk] = mark = _Mark(statement, x, row)
        near.append(mark)
    return marks


def _x_of(day: datetime.date, first: datetime.date, last: datetime.date) -> float:
    span = (last - first).days
    usable = WIDTH - 2 * MARGIN_X
    return MARGIN_X + (usable * (day - first).days / span if span else usable / 2)


def _axis(first: datetime.date, last: datetime.date, axis_y: float) -> str:
    parts = [
        f'<line class="axis" x1="{MARGIN_X - 20}" y1="{axis_y}" '
        f'x2="{WIDTH - MARGIN_X + 20}" y2="{axis_y}" stroke="#333"/>'
    ]
    for day in _ticks(first, last):
        x = round(_x_of(day, first, last), 1)
        label = f"{MONTHS[day.month - 1]} {day.year}" if day.month != 1 else day.year
        parts.append(
            f'<line x1="{x}" y1="{axis_y}" x2="{x}" y2="{axis_y + 5}" stroke="#333"/>'
            f'<text x="{x}" y="{axis_y + 19}" text-anchor="middle" font-size="12" '
            f'fill="#222">{label}</text>'
        )
    return "".join(parts)


def _ticks(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """First days of months in the range, every 1, 3, 6, 12, 24... months so that
    there are at most eight; the first date itself when there is none."""
    months = (last.year - first.year) * 12 + last.month - first.month
    step = next(s for s in (1, 3, 6, 12, 24, 60, 120, 1200) if months / s <= 8)
    ticks = []
    for index in range(first.year * 12 + first.month - 1, last.year * 12 + last.month):
        day = datetime.date(index // 12, index % 12 + 1, 1)
        if index % step == 0 and first <= day <= last:
            ticks.append(day)
    return ticks or [first]


def _arc_height(dx: float) -> float:
    return 0 if dx < 2 * RADIUS + 2 else min(MAX_ARC, 12 + dx / 8)


def _arrow(response: _Mark, answered: _Mark, y_of) -> str:
    x1, y1 = response.x, y_of(response)
    x2, y2 = answered.x, y_of(answered)
    lift = _arc_height(abs(x1 - x2))
    # A quadratic curve over the marks in between. Between marks of one stack the
    # curve bows sideways, wider the more rows it spans, so that arrows passing
    # the same marks stay apart. Both ends stop at the circles' edges so the
    # arrowhead shows.
    if lift:
        cx, cy = (x1 + x2) / 2, min(y1, y2) - lift
    else:
        bow = 2 * RADIUS + 10 * abs(response.row - answered.row)
        cx = max(x1, x2) + bow if x1 < WIDTH / 2 else min(x1, x2) - bow
        cy = (y1 + y2) / 2
    sx, sy = _towards(x1, y1, cx, cy, RADIUS)
    ex, ey = _towards(x2, y2, cx, cy, RADIUS + 1)
    who = response.statement
    target = answered.statement
    return (
        f'<path class="response" data-from="{who.pk}" data-to="{target.pk}" '
        f'd="M {sx:.1f} {sy:.1f} Q {cx:.1f} {cy:.1f} {ex:.1f} {ey:.1f}" '
        f'fill="none" stroke="#333" stroke-width="1.5" '
        f'marker-end="url(#arrowhead)"><title>{escape(_describe(who))} responds to '
        f"{escape(_describe(target))}</title></path>"
    )


def _towards(x: float, y: float, tx: float, ty: float, distance: float):
    dx, dy = tx - x, ty - y
    length = (dx * dx + dy * dy) ** 0.5 or 1
    return x + dx / length * distance, y + dy / length * distance


def _mark(mark: _Mark, y: float) -> str:
    statement = mark.statement
    colour = STANCE_COLOURS.get(statement.stance, "#333")
    inexact = statement.date_precision in INEXACT_PRECISIONS
    fill = "#fff" if inexact else colour
    label = escape(_describe(statement))
    return (
        f'<a href="#statement-{statement.pk}" aria-label="{label}">'
        f'<circle class="mark stance-{statement.stance}'
        f'{" inexact" if inexact else ""}" data-statement="{statement.pk}" '
        f'cx="{mark.x}" cy="{y:.1f}" r="{RADIUS}" fill="{fill}" stroke="{colour}" '
        f'stroke-width="{3 if inexact else 1.5}"><title>{label}</title></circle></a>'
    )


def _describe(statement: Statement) -> str:
    return (
        f"{statement.actor.name} {statement.get_stance_display()}, "
        f"{describe_date(statement)}"
    )


def describe_date(statement: Statement) -> str:
    """The date as precisely as it is known: "3 Feb 2021", "about 3 Feb 2021",
    "on or before 2 Sep 2022", "Feb 2021", "2021"."""
    day, precision = statement.made_on, statement.date_precision
    if precision == DatePrecision.YEAR:
        return str(day.year)
    if precision == DatePrecision.MONTH:
        return f"{MONTHS[day.month - 1]} {day.year}"
    if precision == DatePrecision.APPROXIMATE:
        return f"about {_long_date(day)}"
    if precision == DatePrecision.ON_OR_BEFORE:
        return f"on or before {_long_date(day)}"
    return _long_date(day)


def _long_date(day: datetime.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
