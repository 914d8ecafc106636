"""A column of an import file, and how headers are matched to it."""

import re
from dataclasses import dataclass, field

from members.text import search_key


@dataclass(frozen=True)
class Column:
    name: str  # English header; also the key of the parsed row
    spanish: str
    help: str
    required: bool = False
    example: str = ""
    aliases: tuple[str, ...] = field(default=())
    model_field: str | None = None  # the model field whose errors belong to this column

    @property
    def error_field(self) -> str:
        return self.model_field or self.name


def header_key(text) -> str:
    """Fold a header for matching: lower case, no accents, only letters and digits."""
    return re.sub(r"[^a-z0-9]", "", search_key(str(text or "")))


def column_names(columns, *, leave_out=()) -> tuple[str, ...]:
    """The English headers of `columns`, in order: the export columns that import back."""
    return tuple(column.name for column in columns if column.name not in leave_out)


def header_lookup(columns) -> dict[str, Column]:
    """Every accepted spelling of every column, folded, to its column."""
    lookup = {}
    for column in columns:
        for spelling in (column.name, column.spanish, *column.aliases):
            lookup.setdefault(header_key(spelling), column)
    return lookup
