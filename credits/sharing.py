"""Splitting an amount of money between members to the cent (largest-remainder method)."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def split_cents(amount: Decimal, weights: dict) -> dict:
    """Split `amount` in proportion to positive `weights`, in cents that add up exactly to it.

    Every key first gets the floor of its exact share in cents; the cents left over go one each
    to the keys with the largest remainders (ties: smallest key first, so the result is
    reproducible). Keys with a weight ≤ 0 get 0. Raises ValueError when no weight is positive or
    the amount is negative.
    """
    amount = Decimal(amount)
    if amount < 0:
        raise ValueError("The amount to split cannot be negative.")
    cents = int((amount / CENT).to_integral_value(ROUND_HALF_UP))
    positive = {key: Decimal(w) for key, w in weights.items() if Decimal(w) > 0}
    total = sum(positive.values(), Decimal("0"))
    if total <= 0:
        raise ValueError("No member has a positive basis to share the amount on.")
    floors, remainders = {}, []
    for key, weight in positive.items():
        exact = cents * weight / total
        floor = int(exact)  # exact ≥ 0, so int() is the floor
        floors[key] = floor
        remainders.append((exact - floor, key))
    left = cents - sum(floors.values())
    remainders.sort(key=lambda item: (-item[0], item[1]))
    for _remainder, key in remainders[:left]:
        floors[key] += 1
    return {key: Decimal(floors.get(key, 0)) * CENT for key in weights}
