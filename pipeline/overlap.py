"""The one overlap policy: among candidate spans of one kind, keep non-overlapping ones.

Sort key, stated once: `(start, -length, priority)` -- the earliest start wins, then the
longest span, then the lower `priority` number (rule order in its file). A candidate that
overlaps an already kept one is dropped, and the reason names the winner.
"""
from __future__ import annotations

from bisect import bisect_left
from typing import Callable, Sequence, TypeVar

T = TypeVar("T")


def resolve(candidates: Sequence[T], *, span: Callable[[T], tuple[int, int]],
            priority: Callable[[T], int] = lambda c: 0,
            label: Callable[[T], str] = lambda c: "") -> tuple[list[T], list[tuple[T, str]]]:
    """Return (kept in reading order, [(dropped, reason)]).

    Candidates are visited in sort-key order, so every kept span starts at or before the
    current one: it overlaps a kept span exactly when it starts before the furthest kept
    end. That keeps the policy linear after the sort."""
    spans = [span(c) for c in candidates]
    order = sorted(range(len(candidates)),
                   key=lambda i: (spans[i][0], -(spans[i][1] - spans[i][0]), priority(candidates[i]), i))
    kept: list[int] = []
    dropped: list[tuple[T, str]] = []
    furthest: int | None = None  # the kept candidate that ends last
    for i in order:
        a, b = spans[i]
        if furthest is not None and a < spans[furthest][1] and spans[furthest][0] < b:
            wa, wb = spans[furthest]
            name = label(candidates[furthest])
            dropped.append((candidates[i], f"overlaps [{wa}:{wb}]{' ' + name if name else ''}, which starts "
                                           f"earlier or is longer or ranks higher"))
            continue
        kept.append(i)
        if furthest is None or b > spans[furthest][1]:
            furthest = i
    kept.sort(key=lambda i: spans[i])
    return [candidates[i] for i in kept], dropped


class Covered:
    """Spans of another kind (people when reading venues): whether a span overlaps any of them, found
    by bisection over the starts and the furthest end so far (not a scan of every span)."""

    def __init__(self, spans: Sequence[tuple[int, int]]):
        ordered = sorted(spans)
        self.starts = [a for a, _ in ordered]
        self.reach: list[int] = []  # reach[k]: the furthest end of the first k + 1 spans
        for _, b in ordered:
            self.reach.append(max(b, self.reach[-1]) if self.reach else b)

    def overlaps(self, a: int, b: int) -> bool:
        """Whether some span [x, y) has x < b and a < y."""
        k = bisect_left(self.starts, b) - 1
        return k >= 0 and self.reach[k] > a
