"""Sampling error of the mean tree stock of a stratum and the deduction it costs.

A stratum is a species × age class (the planting year). Its sample trees (the latest measured of
each cohort) give the mean stock per tree and the half-width of its 90 % confidence interval,
t(0.95, n−1) × s / √n (Student's t, two-sided 90 %). The sampling error is that half-width over
the mean. VCS VM0047 and CDM AR-Tool14 accept up to 10 % (CarbonProject.max_sampling_error);
beyond it the stratum's stock is reduced by the excess: deduction share = error − 10 %, at most
100 %. A stratum with a single sample tree has no error estimate and is deducted in full.
"""

import math
from dataclasses import dataclass

# Student's t, 0.95 quantile (two-sided 90 %), by degrees of freedom; beyond 120, the normal 1.645.
T90 = {
    1: 6.314, 2: 2.920, 3: 2.353, 4: 2.132, 5: 2.015, 6: 1.943, 7: 1.895, 8: 1.860, 9: 1.833,
    10: 1.812, 11: 1.796, 12: 1.782, 13: 1.771, 14: 1.761, 15: 1.753, 16: 1.746, 17: 1.740,
    18: 1.734, 19: 1.729, 20: 1.725, 21: 1.721, 22: 1.717, 23: 1.714, 24: 1.711, 25: 1.708,
    26: 1.706, 27: 1.703, 28: 1.701, 29: 1.699, 30: 1.697, 40: 1.684, 60: 1.671, 120: 1.658,
}  # fmt: skip
Z90 = 1.645


def t90(degrees_of_freedom: int) -> float:
    """t(0.95, df); between tabulated values the next smaller df (a larger t: conservative)."""
    if degrees_of_freedom < 1:
        raise ValueError("At least two sample trees are needed for a confidence interval.")
    if degrees_of_freedom > 120:
        return Z90
    return T90[max(df for df in T90 if df <= degrees_of_freedom)]


@dataclass(frozen=True)
class SampleStats:
    """Mean and 90 % half-width of n values, from their sum and sum of squares."""

    n: int
    mean: float
    half_width: float | None

    @classmethod
    def of(cls, n: int, total: float, total_squares: float) -> "SampleStats":
        if n < 1:
            return cls(0, 0.0, None)
        mean = total / n
        if n < 2:
            return cls(n, mean, None)
        variance = max(total_squares - n * mean * mean, 0.0) / (n - 1)
        return cls(n, mean, t90(n - 1) * math.sqrt(variance) / math.sqrt(n))

    @property
    def sampling_error(self) -> float | None:
        """Half-width over the mean (None without an estimate; 0 when every tree is 0)."""
        if self.mean <= 0:
            return 0.0
        if self.half_width is None:
            return None
        return self.half_width / self.mean


def deduction_share(error: float | None, *, max_error: float, enabled: bool = True) -> float:
    """Share of a stratum's stock deducted for its sampling error."""
    if not enabled:
        return 0.0
    if error is None:
        return 1.0
    return min(1.0, max(0.0, error - max_error))
