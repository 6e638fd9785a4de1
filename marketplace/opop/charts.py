"""Server-rendered SVG charts: no script and no download, so they show on any phone, print, and can be checked in a
test by their numbers. Every label is escaped; each chart carries a title and a legend for screen readers."""

from markupsafe import Markup, escape

PALETTE = ("#1f7a4d", "#e0a526", "#3b6fb6", "#b8453a", "#7a5aa6", "#4a9aa8")
WIDTH = 400  # user units; CSS scales the chart to its box (about 1:1 on a phone)


def _fmt(value: float) -> str:
    return f"{value:,.0f}".replace(",", ".")


def _legend(series: list[tuple[str, str]], y: float) -> tuple[list[str], float]:
    """Legend items left to right, wrapping to a new line at the chart's edge; returns the parts and the height
    used, so the plot starts below the legend however many lines it takes."""
    parts, x, line = [], 0.0, 0
    for name, color in series:
        width = 26 + 6.4 * len(name)
        if x and x + width > WIDTH:
            x, line = 0.0, line + 1
        top = y + line * 14
        parts.append(f'<rect x="{x:.1f}" y="{top - 9:.1f}" width="10" height="10" fill="{color}"/>'
                     f'<text x="{x + 14:.1f}" y="{top:.1f}" class="legend">{escape(name)}</text>')
        x += width
    return parts, (line + 1) * 14


def _ticks(top_value: float) -> list[float]:
    """0, the middle and the top, without a repeated label when the top is a small whole number."""
    if top_value < 2:
        return [0.0, 1.0]
    return [0.0, 0.5, 1.0]


def hbar_chart(title: str, rows: list[tuple[str, list[int]]], series: list[tuple[str, str]]) -> Markup:
    """Stacked horizontal bars, one row per label (regions): long label lists read well on a narrow screen."""
    label_w, bar_h, gap = 136, 14, 6
    total_max = max([sum(values) for _, values in rows] + [1])
    scale = (WIDTH - label_w - 34) / total_max
    parts, legend_h = _legend(series, 12) if len(series) > 1 else ([], 0)
    top = legend_h + 8
    height = top + len(rows) * (bar_h + gap) + 6
    for i, (label, values) in enumerate(rows):
        y = top + i * (bar_h + gap)
        short = label if len(label) <= 24 else label[:23] + "…"
        parts.append(f'<text x="{label_w - 4}" y="{y + bar_h - 3}" text-anchor="end" class="label">'
                     f'<title>{escape(label)}</title>{escape(short)}</text>')
        x = float(label_w)
        for (name, color), value in zip(series, values, strict=False):
            if value:
                w = value * scale
                parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{color}">'
                             f'<title>{escape(label)} · {escape(name)}: {_fmt(value)}</title></rect>')
                x += w
        parts.append(f'<text x="{x + 3:.1f}" y="{y + bar_h - 3}" class="value">{_fmt(sum(values))}</text>')
    return _svg(title, height, parts)


def column_chart(title: str, categories: list[str], series: list[tuple[str, str, list[float]]],
                 markers: list[float | None] | None = None, marker_label: str = "", line: float | None = None,
                 line_label: str = "", empty_label: str = "", show_values: bool = False) -> Markup:
    """Grouped columns per category (months, years), with optional per-category markers (yearly milestones) and
    one horizontal reference line (the overall target)."""
    bottom, plot_h = 22, 150
    values = [v for _, _, vs in series for v in vs] + [m for m in (markers or []) if m] + ([line] if line else [])
    top_value = max(values + [1])
    left = max(30, round(10 + 6.4 * len(_fmt(top_value))))  # room for the widest axis label
    scale = plot_h / top_value
    band = (WIDTH - left - 4) / max(len(categories), 1)
    bar_w = max(min(band * 0.8 / max(len(series), 1), 28), 2)
    legend = [(name, color) for name, color, _ in series]
    if markers:
        legend.append((marker_label, "#222"))
    parts, legend_h = _legend(legend, 12)
    top = legend_h + 10
    base = top + plot_h
    if not any(v for _, _, vs in series for v in vs):
        parts.append(f'<text x="{left + 8}" y="{base - plot_h / 2:.1f}" class="label">{escape(empty_label)}</text>')
    for fraction in _ticks(top_value):
        y = base - plot_h * fraction
        parts.append(f'<line x1="{left}" x2="{WIDTH}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
                     f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" class="axis">'
                     f'{_fmt(top_value * fraction)}</text>')
    step = max(1, round(len(categories) / 8))
    for i, category in enumerate(categories):
        x0 = left + i * band + (band - bar_w * len(series)) / 2
        for s, (name, color, vs) in enumerate(series):
            value = vs[i] if i < len(vs) else 0
            h = value * scale
            parts.append(f'<rect x="{x0 + s * bar_w:.1f}" y="{base - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                         f'fill="{color}"><title>{escape(category)} · {escape(name)}: {_fmt(value)}</title></rect>')
            if show_values and value:
                parts.append(f'<text x="{x0 + (s + 0.5) * bar_w:.1f}" y="{base - h - 3:.1f}" text-anchor="middle" '
                             f'class="value">{_fmt(value)}</text>')
        if markers and i < len(markers) and markers[i]:
            y = base - markers[i] * scale
            parts.append(f'<line x1="{left + i * band + 2:.1f}" x2="{left + (i + 1) * band - 2:.1f}" y1="{y:.1f}" '
                         f'y2="{y:.1f}" class="marker"><title>{escape(category)} · {escape(marker_label)}: '
                         f'{_fmt(markers[i])}</title></line>')
        if i % step == 0:
            parts.append(f'<text x="{left + (i + 0.5) * band:.1f}" y="{base + 14}" text-anchor="middle" '
                         f'class="axis">{escape(category)}</text>')
    if line:
        y = base - line * scale
        parts.append(f'<line x1="{left}" x2="{WIDTH}" y1="{y:.1f}" y2="{y:.1f}" class="target"/>'
                     f'<text x="{WIDTH - 2}" y="{y - 3:.1f}" text-anchor="end" class="axis">'
                     f'{escape(line_label)} {_fmt(line)}</text>')
    return _svg(title, top + plot_h + bottom, parts)


def share_chart(title: str, rows: list[tuple[str, float]]) -> Markup:
    """Percent bars (0–100 %) per label."""
    label_w, bar_h, gap, top = 136, 14, 6, 6
    scale = (WIDTH - label_w - 44) / 100
    parts = []
    for i, (label, percent) in enumerate(rows):
        y = top + i * (bar_h + gap)
        parts.append(f'<text x="{label_w - 4}" y="{y + bar_h - 3}" text-anchor="end" class="label">{escape(label)}'
                     f'</text><rect x="{label_w}" y="{y}" width="{100 * scale:.1f}" height="{bar_h}" class="track"/>'
                     f'<rect x="{label_w}" y="{y}" width="{percent * scale:.1f}" height="{bar_h}" '
                     f'fill="{PALETTE[0]}"/><text x="{label_w + 100 * scale + 4:.1f}" y="{y + bar_h - 3}" '
                     f'class="value">{percent:.1f}%</text>'.replace(".0%", "%"))
    return _svg(title, top + len(rows) * (bar_h + gap) + 4, parts)


def _svg(title: str, height: float, parts: list[str]) -> Markup:
    return Markup(f'<svg class="opop-chart" viewBox="0 0 {WIDTH} {height:.0f}" role="img" '
                  f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
                  + "".join(parts) + "</svg>")
