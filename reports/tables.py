"""The shape every report returns: titled tables of plain rows, with units in the column headers.

Pages, charts and the CSV / XLSX / PDF exports all read the same Table, so a chart or a download
always shows the numbers of the table on screen.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    unit: str = ""
    numeric: bool = True

    @property
    def header(self) -> str:
        return f"{self.label} ({self.unit})" if self.unit else str(self.label)


@dataclass(frozen=True)
class Chart:
    """How to draw a table: x from one column, one series per y column (or per `split` value)."""

    kind: str  # "bar" or "line"
    x: str
    y: tuple[str, ...]
    split: str = ""  # draw one line per distinct value of this column (e.g. species)
    title: str = ""


@dataclass
class Table:
    slug: str
    title: str
    columns: list[Column]
    rows: list[dict]
    chart: Chart | None = None
    # Long tables show their first rows on the page; downloads always hold every row.
    page_rows: int = 200
    note: str = ""
    link: dict = field(default_factory=dict)  # column key -> (url name, row key of the argument)
    # A page's table may hold only the rows it shows (read in the database, not built all and
    # cut): then this says how many rows the downloads hold.
    total_rows: int | None = None

    def cells(self, rows=None) -> list[list]:
        return [
            [row.get(c.key) for c in self.columns] for row in (self.rows if rows is None else rows)
        ]

    @property
    def shown_rows(self) -> list[dict]:
        return self.rows[: self.page_rows]

    @property
    def row_count(self) -> int:
        return len(self.rows) if self.total_rows is None else self.total_rows

    @property
    def truncated(self) -> bool:
        return self.row_count > self.page_rows


def pct(part, whole) -> Decimal | None:
    """`part` as a percentage of `whole`, one decimal; None when the whole is zero or unknown."""
    if part is None or not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def tonnes(value) -> Decimal:
    """tCO2e rounded to 0.01 t for display and export (ledgers keep their own decimals)."""
    return Decimal(value or 0).quantize(Decimal("0.01"))


MEMBER_CODE = Column("code", _("member code"), numeric=False)
MEMBER_NAME = Column("name", _("name"), numeric=False)
SURVIVAL = Column("survival_pct", _("survival"), "%")
ALIVE = Column("alive", _("trees alive"))
PLANTED = Column("planted", _("trees planted"))
CO2E = Column("co2e_t", _("CO2e"), "t")
