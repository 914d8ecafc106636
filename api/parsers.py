"""Request parsers of the API.

JSONParser: DRF's, with JSON nested deeper than Python's recursion limit (a few kilobytes of
`[[[[...`) answered 400 like any other malformed body instead of a RecursionError (HTTP 500).
"""

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("JSON parse error - the data is nested too deeply.")) from None


# Settings' DEFAULT_PARSER_CLASSES and the token view: DRF's defaults with the JSON parser above.
PARSER_CLASSES = [JSONParser, parsers.FormParser, parsers.MultiPartParser]
