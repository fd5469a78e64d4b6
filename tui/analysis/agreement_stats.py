"""The statistics of inter-coder agreement, on counted units: Krippendorff's alpha (nominal,
any number of coders, missing values allowed), Cohen's kappa (two coders) and percent agreement.

Units are never held one by one. A unit is known by its *pattern*, how many coders gave it each
value, and the data is a count of units per pattern; the coincidence matrix is a sum over the
patterns, so a corpus of a million sentences that fall into a few dozen patterns costs a few
dozen steps (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability", section C).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import TypeVar

Pattern = tuple[tuple[Hashable, int], ...]
"""How many coders gave a unit each value, as (value, count) pairs sorted by value's repr."""
Value = TypeVar("Value", bound=Hashable)


def unit_pattern(values: Iterable[Hashable | None]) -> Pattern:
    """The pattern of one unit from the values its coders gave (None: this coder is missing)."""
    counts = Counter(value for value in values if value is not None)
    return tuple(sorted(counts.items(), key=lambda pair: repr(pair[0])))


def patterns_of_matrix(rows: Sequence[Sequence[Hashable | None]]) -> Counter[Pattern]:
    """Units counted by pattern, from a reliability matrix: one row per coder, one column per
    unit, None where a coder did not code the unit (the layout of the 2011 paper)."""
    return Counter(unit_pattern(column) for column in zip(*rows, strict=True))


def coincidences(
    patterns: Mapping[Pattern, int],
) -> dict[tuple[Hashable, Hashable], float]:
    """The coincidence matrix o[c, k]: pairs of values c-k found within units, each unit's pairs
    weighted 1/(m_u - 1) so that every pairable value counts once. Units with fewer than two
    values cannot be paired and are left out, as the method says."""
    matrix: dict[tuple[Hashable, Hashable], float] = {}
    for pattern, units in patterns.items():
        pairable = sum(count for _, count in pattern)
        if pairable < 2 or units == 0:
            continue
        weight = units / (pairable - 1)
        for c, n_c in pattern:
            for k, n_k in pattern:
                pairs = n_c * (n_k - 1) if c == k else n_c * n_k
                if pairs:
                    matrix[c, k] = matrix.get((c, k), 0.0) + weight * pairs
    return matrix


def nominal_alpha(patterns: Mapping[Pattern, int]) -> float | None:
    """Krippendorff's alpha for nominal data, or None when it is undefined (no pairable
    values, or a single value throughout: no variation to agree about)."""
    matrix = coincidences(patterns)
    totals: dict[Hashable, float] = {}
    for (c, _), count in matrix.items():
        totals[c] = totals.get(c, 0.0) + count
    n = sum(totals.values())
    expected = n * n - sum(n_c * n_c for n_c in totals.values())
    if n <= 1 or expected <= 0:
        return None
    observed = n - sum(count for (c, k), count in matrix.items() if c == k)
    return 1.0 - (n - 1) * observed / expected


def matrix_alpha(rows: Sequence[Sequence[Hashable | None]]) -> float | None:
    """Nominal alpha of a reliability matrix (coders x units, None for missing)."""
    return nominal_alpha(patterns_of_matrix(rows))


def pairable_units(patterns: Mapping[Pattern, int]) -> int:
    """Units that at least two coders coded: the only ones agreement can be measured on."""
    return sum(units for pattern, units in patterns.items() if _pairable(pattern))


def percent_agreement(patterns: Mapping[Pattern, int]) -> float | None:
    """Share (0-100) of pairable units on which every coder who coded it gave the same value;
    None when there is no pairable unit."""
    total = pairable_units(patterns)
    if not total:
        return None
    agreed = sum(
        units for pattern, units in patterns.items() if _pairable(pattern) and len(pattern) == 1
    )
    return 100.0 * agreed / total


def cohen_kappa(table: Mapping[tuple[Value, Value], int]) -> float | None:
    """Cohen's kappa from a contingency table {(A's value, B's value): units}; None when it is
    undefined (no units, or chance agreement is already total)."""
    n = sum(table.values())
    if not n:
        return None
    first: Counter[Value] = Counter()
    second: Counter[Value] = Counter()
    for (a, b), units in table.items():
        first[a] += units
        second[b] += units
    observed = sum(units for (a, b), units in table.items() if a == b) / n
    chance = sum(first[value] * second[value] for value in first) / (n * n)
    if chance >= 1.0:
        return None
    return (observed - chance) / (1.0 - chance)


def _pairable(pattern: Pattern) -> bool:
    return sum(count for _, count in pattern) >= 2
