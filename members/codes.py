"""The cooperative's member codes: "ACO-" and a five-digit number (ACO-00001, ACO-01234).

New members whose sheet brings no code get the next free numbers of this pattern, above the
highest code of the pattern already given (in the database or elsewhere in the same file).
"""

import re

MEMBER_CODE_PREFIX = "ACO-"
MEMBER_CODE_DIGITS = 5
MEMBER_CODE = re.compile(rf"^{MEMBER_CODE_PREFIX}(\d+)$")


def format_member_code(number: int) -> str:
    return f"{MEMBER_CODE_PREFIX}{number:0{MEMBER_CODE_DIGITS}d}"


def highest_member_number(codes) -> int:
    """The highest number among codes of the cooperative's pattern (0 when there is none)."""
    numbers = (int(m.group(1)) for m in map(MEMBER_CODE.match, codes) if m)
    return max(numbers, default=0)


class MemberCodes:
    """Hands out the next free member codes, one at a time."""

    def __init__(self, taken):
        self.taken = set(taken)
        self.last = highest_member_number(self.taken)

    def next(self) -> str:
        while True:
            self.last += 1
            code = format_member_code(self.last)
            if code not in self.taken:
                self.taken.add(code)
                return code
