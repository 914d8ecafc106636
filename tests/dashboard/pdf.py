"""Reading the text and page count of the PDFs the app writes (fpdf2, compressed streams)."""

import re
import zlib


def pdf_text(content: bytes) -> str:
    parts = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        try:
            parts.append(zlib.decompress(stream).decode("latin-1"))
        except zlib.error:
            parts.append(stream.decode("latin-1"))
    return "".join(parts)


def pdf_pages(content: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", content))
