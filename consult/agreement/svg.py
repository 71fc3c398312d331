"""A server-rendered opinion map: participants as dots coloured and shaped by group (no JavaScript)."""

from __future__ import annotations

from markupsafe import Markup, escape

COLOURS = ["#1d70b8", "#d4351c", "#00703c", "#6f72af", "#b58840", "#505a5f"]
SHAPES = ["circle", "square", "triangle", "diamond", "cross", "circle"]


def _shape(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "square":
        return f'<rect x="{x - 3:.1f}" y="{y - 3:.1f}" width="6" height="6" fill="{colour}"/>'
    if kind == "triangle":
        return (
            f'<polygon points="{x:.1f},{y - 4:.1f} {x - 4:.1f},{y + 3:.1f} {x + 4:.1f},{y + 3:.1f}" fill="{colour}"/>'
        )
    if kind == "diamond":
        points = f"{x:.1f},{y - 4:.1f} {x + 4:.1f},{y:.1f} {x:.1f},{y + 4:.1f} {x - 4:.1f},{y:.1f}"
        return f'<polygon points="{points}" fill="{colour}"/>'
    if kind == "cross":
        return (
            f'<path d="M{x - 3:.1f},{y - 3:.1f}L{x + 3:.1f},{y + 3:.1f}M{x + 3:.1f},{y - 3:.1f}L{x - 3:.1f},'
            f'{y + 3:.1f}" stroke="{colour}" stroke-width="2"/>'
        )
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>'


def opinion_map(
    points: list[tuple[float, float, int | None]], *, title: str, width: int = 480, height: int = 360
) -> Markup:
    """Dots for (x, y, group) points; ungrouped participants are grey. The caller supplies a data table too."""
    if not points:
        return Markup("")
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    min_x, min_y = min(xs), min(ys)  # once: recomputing them per point made the map O(n²)
    span_x, span_y = (max(xs) - min_x) or 1.0, (max(ys) - min_y) or 1.0
    pad = 12
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="map-title" class="consult-map"><title id="map-title">{escape(title)}</title>',
        f'<rect width="{width}" height="{height}" fill="#f3f2f1"/>',
    ]
    for x, y, group in points:
        px = pad + (x - min_x) / span_x * (width - 2 * pad)
        py = pad + (y - min_y) / span_y * (height - 2 * pad)
        if group is None:
            parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="2" fill="#b1b4b6"/>')
        else:
            parts.append(_shape(SHAPES[group % len(SHAPES)], px, py, COLOURS[group % len(COLOURS)]))
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - built from numbers and an escaped title only
