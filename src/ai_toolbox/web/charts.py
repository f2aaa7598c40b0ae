"""Small server-rendered SVG charts (no JavaScript): bars for categories, a line for a trend.

Each chart is an accessible image: `role="img"` with a title and a text summary; the numbers are
also shown in tables beside the charts.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from ai_toolbox.web import i18n

WIDTH, BAR_H, GAP, LABEL_W = 560, 22, 8, 150
COLOURS = ("#0b5394", "#2e7d32", "#8e24aa", "#c62828", "#ef6c00", "#00838f")


def _fmt(value: float) -> str:
    return i18n.format_number(value)


def bars(items: list[tuple[str, float]], *, title: str) -> Markup:
    """Horizontal bar chart of (label, value) pairs."""
    if not items:
        return Markup(f'<p class="muted">{escape(i18n.gettext("No data for this period."))}</p>')
    top = max(v for _, v in items) or 1
    height = len(items) * (BAR_H + GAP) + GAP
    span = WIDTH - LABEL_W - 70
    rows = []
    for i, (label, value) in enumerate(items):
        y = GAP + i * (BAR_H + GAP)
        w = max(1.0, span * value / top)
        rows.append(
            f'<text x="{LABEL_W - 6}" y="{y + BAR_H * 0.7:.1f}" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{LABEL_W}" y="{y}" width="{w:.1f}" height="{BAR_H}" fill="{COLOURS[i % len(COLOURS)]}"/>'
            f'<text x="{LABEL_W + w + 6:.1f}" y="{y + BAR_H * 0.7:.1f}">{escape(_fmt(value))}</text>'
        )
    summary = "; ".join(f"{label}: {_fmt(value)}" for label, value in items)
    return Markup(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}: {escape(summary)}"'
        f' xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>{"".join(rows)}</svg>'
    )


def line(points: list[tuple[str, float]], *, title: str) -> Markup:
    """Line chart of (ISO date, value) points, with the first, middle and last dates labelled."""
    if not points or not any(v for _, v in points):
        return Markup(f'<p class="muted">{escape(i18n.gettext("No data for this period."))}</p>')
    height, left, right, top_pad, bottom = 200, 50, 20, 15, 30
    plot_w, plot_h = WIDTH - left - right, height - top_pad - bottom
    top = max(v for _, v in points) or 1
    step = plot_w / max(1, len(points) - 1)
    coords = [(left + i * step, top_pad + plot_h - plot_h * v / top) for i, (_, v) in enumerate(points)]
    path = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(coords))
    ticks = sorted({0, len(points) // 2, len(points) - 1})
    labels = "".join(
        f'<text x="{coords[i][0]:.1f}" y="{height - 8}" text-anchor="middle">'
        f'{escape(i18n.format_date(points[i][0], "short"))}</text>' for i in ticks
    )
    axis = (
        f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{WIDTH - right}" y2="{top_pad + plot_h}" stroke="#555"/>'
        f'<line x1="{left}" y1="{top_pad}" x2="{left}" y2="{top_pad + plot_h}" stroke="#555"/>'
        f'<text x="{left - 6}" y="{top_pad + 5}" text-anchor="end">{escape(_fmt(top))}</text>'
        f'<text x="{left - 6}" y="{top_pad + plot_h}" text-anchor="end">0</text>'
    )
    dots = "".join(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="#0b5394"/>'
                   for (x, y), (_, v) in zip(coords, points, strict=True) if v)
    total = sum(v for _, v in points)
    summary = i18n.gettext("total %(total)s") % {"total": _fmt(total)}
    return Markup(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}: {escape(summary)}"'
        f' xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>{axis}'
        f'<path d="{path}" fill="none" stroke="#0b5394" stroke-width="2"/>{dots}{labels}</svg>'
    )
