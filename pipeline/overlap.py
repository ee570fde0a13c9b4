"""The one overlap policy: among candidate spans of one kind, keep non-overlapping ones.

Sort key, stated once: `(start, -length, priority)` -- the earliest start wins, then the
longest span, then the lower `priority` number (rule order in its file). A candidate that
overlaps an already kept one is dropped, and the reason names the winner.
"""
from __future__ import annotations

from typing import Callable, Sequence, TypeVar

T = TypeVar("T")


def resolve(candidates: Sequence[T], *, span: Callable[[T], tuple[int, int]],
            priority: Callable[[T], int] = lambda c: 0,
            label: Callable[[T], str] = lambda c: "") -> tuple[list[T], list[tuple[T, str]]]:
    """Return (kept in reading order, [(dropped, reason)])."""
    order = sorted(range(len(candidates)),
                   key=lambda i: (span(candidates[i])[0], -(span(candidates[i])[1] - span(candidates[i])[0]),
                                  priority(candidates[i]), i))
    kept: list[int] = []
    dropped: list[tuple[T, str]] = []
    for i in order:
        a, b = span(candidates[i])
        winner = next((k for k in kept if a < span(candidates[k])[1] and span(candidates[k])[0] < b), None)
        if winner is None:
            kept.append(i)
        else:
            wa, wb = span(candidates[winner])
            name = label(candidates[winner])
            dropped.append((candidates[i], f"overlaps [{wa}:{wb}]{' ' + name if name else ''}, which starts "
                                           f"earlier or is longer or ranks higher"))
    kept.sort(key=lambda i: span(candidates[i]))
    return [candidates[i] for i in kept], dropped
