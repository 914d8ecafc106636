"""Text helpers: accent- and case-insensitive search keys; invisible characters."""

import unicodedata


def search_key(*parts: str | None) -> str:
    """Fold text for searching: lower case, accents removed ("Núñez" -> "nunez")."""
    text = " ".join(p for p in parts if p)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


# Unicode's "format" (Cf: zero-width spaces and joiners, direction marks and overrides, the
# byte-order mark, the soft hyphen) and "control" (Cc) characters: they do not show, so two codes
# or names that look the same would differ, and a right-to-left override reorders what is shown.
INVISIBLE_CATEGORIES = ("Cf", "Cc")


def invisible_characters(text: str) -> list[str]:
    """The invisible characters in text, each once, in order: `U+200B` style names."""
    found = []
    for char in text:
        name = f"U+{ord(char):04X}"
        if unicodedata.category(char) in INVISIBLE_CATEGORIES and name not in found:
            found.append(name)
    return found
