"""Server-side SVG charts drawn from a report Table's own rows (pygal; no JavaScript, no CDN)."""

from decimal import Decimal

import pygal
from pygal.style import Style

from reports.tables import Table

STYLE = Style(
    background="white",
    plot_background="white",
    font_family="system-ui, sans-serif",
    colors=("#198754", "#0d6efd", "#fd7e14", "#6f42c1", "#d63384", "#20c997", "#6c757d", "#ffc107"),
)


def _number(value):
    if value is None:
        return None
    return float(value) if isinstance(value, Decimal) else value


def chart_svg(table: Table) -> bytes:
    """The table's chart as a standalone SVG document."""
    spec = table.chart
    config = {
        "style": STYLE,
        "js": [],  # pygal's tooltips script would come from a CDN: none here
        "width": 900,
        "height": 380,
        "x_label_rotation": 30 if spec.kind == "bar" else 0,
        "show_legend": True,
        "legend_at_bottom": True,
        "print_values": False,
        "title": str(spec.title or table.title),
    }
    chart = (pygal.Bar if spec.kind == "bar" else pygal.Line)(**config)
    headers = {c.key: c.header for c in table.columns}
    if spec.split:
        xs = sorted({row[spec.x] for row in table.rows})
        chart.x_labels = [str(x) for x in xs]
        for name in sorted({str(row[spec.split]) for row in table.rows}):
            by_x = {row[spec.x]: row for row in table.rows if str(row[spec.split]) == name}
            chart.add(name, [_number(by_x[x][spec.y[0]]) if x in by_x else None for x in xs])
    else:
        chart.x_labels = [str(row[spec.x]) for row in table.rows]
        for key in spec.y:
            chart.add(headers.get(key, key), [_number(row[key]) for row in table.rows])
    return chart.render()


def progress_svg(*, title: str, value, target, unit: str) -> bytes:
    """A half-circle gauge of `value` against `target` (e.g. trees planted of 2,000,000)."""
    target = float(target or 0)
    value = float(value or 0)
    chart = pygal.SolidGauge(
        style=STYLE,
        js=[],  # no CDN script
        half_pie=True,
        inner_radius=0.70,
        width=420,
        height=260,
        show_legend=False,
        title=title,
        value_formatter=lambda x: f"{x:,.0f} {unit}",
    )
    chart.add(title, [{"value": value, "max_value": target or 1}])
    return chart.render()
