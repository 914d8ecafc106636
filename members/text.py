"""Text helpers for search: accent- and case-insensitive keys."""

import unicodedata


def search_key(*parts: str | None) -> str:
    """Fold text for searching: lower case, accents removed ("Núñez" -> "nunez")."""
    text = " ".join(p for p in parts if p)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
