"""Small charts as inline SVG for the HTML documents (the monthly review, the digest).

Written out directly: a few rectangles, lines and text need no plotting library (and none is
imported by any command). No script, no external reference: a mail client or a browser
offline shows them as they are. Every label is escaped; sizes are in user units, and the
`viewBox` lets a chart shrink with the column it sits in (a phone)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

from salesflow.output.layout import cells, shorten

FONT = "-apple-system,'Segoe UI',Roboto,Helvetica,Arial,'Noto Sans CJK SC',sans-serif"
INK, MUTED, LINE, BAR, ACCENT, TARGET = (
    "#1f2328", "#57606a", "#d0d7de", "#8fb3de", "#1d4e89", "#cf222e",
)  # fmt: skip


def _n(value: float) -> str:
    """A coordinate: two decimals at most, no trailing zeros."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _text(x: float, y: float, label: str, *, size: int = 11, anchor: str = "middle",
          fill: str = MUTED, weight: str = "400") -> str:  # fmt: skip
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{fill}" font-weight="{weight}">{escape(label)}</text>'
    )


def _svg(width: int, height: int, body: list[str], title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" style="max-width:{width}px;height:auto;display:block" role="img" '
        f'font-family="{escape(FONT)}"><title>{escape(title)}</title>' + "".join(body) + "</svg>"
    )


def columns(
    labels: Sequence[str],
    values: Sequence[Decimal | float | int | None],
    *,
    title: str,
    shown: Sequence[str],
    targets: Sequence[Decimal | float | int | None] | None = None,
    top_label: str = "",
    width: int = 560,
    height: int = 200,
) -> str:
    """Vertical bars, one per label (a period), each value printed above its bar (`shown`,
    already formatted) and, where a target is given, a red tick at its height; the axis is
    labelled with `top_label` (the largest value) and 0, the first, middle and last labels
    under it."""
    left, right, top, bottom = 8, 8, 22, 22
    plot_w, plot_h = width - left - right, height - top - bottom
    numbers = [float(v) for v in values if v is not None]
    numbers += [float(t) for t in targets or () if t is not None]
    peak = max(numbers, default=0.0) or 1.0
    n = max(len(labels), 1)
    step = plot_w / n
    bar = step * 0.64
    base = top + plot_h
    body = [
        f'<line x1="{left}" y1="{_n(base)}" x2="{width - right}" y2="{_n(base)}" '
        f'stroke="{LINE}" stroke-width="1"/>'
    ]
    if top_label:
        body.append(_text(left, top - 10, top_label, anchor="start", size=10))
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = left + step * i + (step - bar) / 2
        mid = x + bar / 2
        if value is not None:
            h = float(value) / peak * plot_h
            last = i == n - 1
            body.append(
                f'<rect x="{_n(x)}" y="{_n(base - h)}" width="{_n(bar)}" height="{_n(h)}" '
                f'rx="2" fill="{ACCENT if last else BAR}"/>'
            )
            if n <= 13 and shown[i]:
                body.append(_text(mid, base - h - 4, shown[i], size=9, fill=INK))
        target = (targets or [None] * n)[i]
        if target is not None:
            y = base - float(target) / peak * plot_h
            body.append(
                f'<line x1="{_n(x - 2)}" y1="{_n(y)}" x2="{_n(x + bar + 2)}" y2="{_n(y)}" '
                f'stroke="{TARGET}" stroke-width="2"/>'
            )
        if i in (0, n - 1) or (n > 4 and i == n // 2):
            body.append(_text(mid, height - 6, label, size=10))
    return _svg(width, height, body, title)


def rows(
    labels: Sequence[str],
    values: Sequence[Decimal | float | int],
    shown: Sequence[str],
    *,
    title: str,
    width: int = 560,
    row_height: int = 24,
    centred: bool = False,
) -> str:
    """Horizontal bars, one row per label, the formatted value after each bar; `centred`
    draws them around one axis, so stages read as a funnel. Labels longer than the label
    column are cut with `…` (the text beside the chart carries them whole)."""
    n = len(labels)
    # The label column as wide as the longest label (CJK two cells), at most 40% of it.
    room = min(max((cells(x) for x in labels), default=0), int((width * 0.4 - 14) / 6.5))
    label_width = room * 6.5 + 14
    height = max(n, 1) * row_height + 4
    # Room after the bars for the longest value text (about 6.5 units a character at 11).
    value_w = max((len(t) for t in shown), default=0) * 6.5 + 12
    span = width - label_width - value_w
    peak = max((float(v) for v in values), default=0.0) or 1.0
    body = []
    for i, (label, value, text) in enumerate(zip(labels, values, shown, strict=True)):
        y = 2 + i * row_height
        w = max(float(value) / peak * span, 1.0 if value else 0.0)
        x = label_width + ((span - w) / 2 if centred else 0)
        short = shorten(label, room)  # by display cells: CJK counts two
        body.append(_text(label_width - 8, y + row_height * 0.66, short, anchor="end", fill=INK))
        body.append(
            f'<rect x="{_n(x)}" y="{_n(y + 3)}" width="{_n(w)}" height="{row_height - 6}" '
            f'rx="2" fill="{BAR}"/>'
        )
        body.append(_text(label_width + span + 8, y + row_height * 0.66, text, anchor="start",
                          fill=INK))  # fmt: skip
    return _svg(width, height, body, title)
