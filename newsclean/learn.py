"""Learning a source's recurring boilerplate from the stream itself, without a rule file.

A channel's signature, a site-wide footer or an outlet's disclaimer repeats across the items
of one source, in whatever language the source writes. The learner counts, per source
("group"), in how many *distinct items* each line occurs in the head or tail zone
(:func:`newsclean.context.zones`), keyed by :func:`newsclean.segment.fingerprint` (case and
numbers folded). A line is *recurring* when it occurs in at least ``min_items`` items and in
at least ``min_share`` of the group's items. The core then removes such a line with category
``recurring`` where it sits in the head or tail zone, and explains it like any other removal.

Why these two thresholds: a quoted statement repeated in two items of a story that develops
over a day never reaches ``min_items`` (3); a line that recurs in a handful of items of a large
source (a recurring column title, a politician's name line) never reaches ``min_share``.
Counting each line once per item and only in the head/tail zone keeps a body line that
happens to repeat inside one item from counting at all.

The counts are a :class:`SourceProfile`: an immutable, picklable value with :meth:`merge`,
so counting can be split over partitions (map: count a partition, reduce: merge) and gives
exactly what :class:`FeedCleaner` gives on one machine. Outputs never depend on dict order
or the hash seed: recurring sets are frozensets, and equal counts compare equal.

>>> news = ["Storm hits the coast", "Rates stay on hold", "Team wins the cup", "Bridge reopens"]
>>> posts = [("chan", f"{title}\\n\\nThe full report follows here, as told by our reporter.\\n\\nKanala pinda")
...          for title in news]
>>> fc = FeedCleaner().fit(posts)
>>> fc.clean(posts[0][1], group="chan").text
'Storm hits the coast\\n\\nThe full report follows here, as told by our reporter.'
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping

from newsclean import context, detectors
from newsclean.api import Cleaner
from newsclean.segment import fingerprint, split_lines
from newsclean.types import Result

# Calibrated together on the dev set (benchmarks/learning.py --grid); do not tune one alone.
# 3 items: a statement quoted in two items stays. 0.3: a third of a source's items, so a line
# that a large source uses now and then stays, while a signature used most of the time goes.
MIN_ITEMS = 3
MIN_SHARE = 0.3


def zone_fingerprints(text: str, cleaner: Cleaner) -> frozenset[str]:
    """Fingerprints of the lines of ``text`` in its head or tail zone, each once.

    The zones are computed exactly as :meth:`Cleaner.clean` computes them, so what is learned
    is what the cleaner will later look for. Left out: lines without words (fingerprint ``""``:
    symbol rows are the rules' business and would all share one fingerprint), and lines that
    read as a full sentence of :data:`~newsclean.context.SUBSTANTIAL_WORDS` words or more (a
    lede in the head zone), so a templated opening sentence is never learned away.

    >>> text = "Title\\n\\nA long enough body sentence with eight words here.\\n\\nJoin us"
    >>> sorted(zone_fingerprints(text, Cleaner()))
    ['join us', 'title']
    """
    lines = split_lines(text)
    facts = [detectors.judge_line(line, cleaner.book)[1] for line in lines]
    in_zone = context.zones(facts)
    found = set()
    for f, zone in zip(facts, in_zone, strict=True):
        if zone and not (f.sentence and f.words >= context.SUBSTANTIAL_WORDS):
            fp = fingerprint(f.stripped)
            if fp:
                found.add(fp)
    return frozenset(found)


@dataclasses.dataclass(frozen=True, slots=True)
class SourceProfile:
    """Per-group counts: items seen, and for each fingerprint the items it occurred in.

    Treat it as a value: it is never changed after it is made (build one with
    :class:`ProfileBuilder` or :meth:`of`). Two profiles built from the same items in any
    order or split compare equal.

    >>> a = SourceProfile.of([("g", frozenset({"x"})), ("g", frozenset({"x", "y"}))])
    >>> b = SourceProfile.of([("g", frozenset({"x"}))])
    >>> a.merge(b).items["g"], a.merge(b).lines["g"]["x"], sorted(a.merge(b).recurring("g"))
    (3, 3, ['x'])
    """

    items: Mapping[str, int] = dataclasses.field(default_factory=dict)
    lines: Mapping[str, Mapping[str, int]] = dataclasses.field(default_factory=dict)
    __hash__ = None  # type: ignore[assignment]  # holds dicts: compared by value, not hashed

    @classmethod
    def of(cls, pairs: Iterable[tuple[str, frozenset[str]]]) -> SourceProfile:
        """Count ``(group, zone fingerprints of one item)`` pairs."""
        builder = ProfileBuilder()
        for group, fps in pairs:
            builder.add(group, fps)
        return builder.build()

    def merge(self, other: SourceProfile) -> SourceProfile:
        """The profile of both sets of items (associative and commutative)."""
        builder = ProfileBuilder()
        builder.update(self)
        builder.update(other)
        return builder.build()

    def groups(self) -> tuple[str, ...]:
        """The groups seen, sorted."""
        return tuple(sorted(self.items))

    def recurring(self, group: str, *, min_items: int = MIN_ITEMS, min_share: float = MIN_SHARE) -> frozenset[str]:
        """Fingerprints of ``group``'s recurring lines (empty for an unknown group)."""
        return _recurring(self.items.get(group, 0), self.lines.get(group, {}), min_items, min_share)

    def recurring_by_group(
        self, groups: Iterable[str] | None = None, *, min_items: int = MIN_ITEMS, min_share: float = MIN_SHARE
    ) -> dict[str, frozenset[str]]:
        """``{group: recurring fingerprints}`` for ``groups`` (default all), empty sets left out."""
        chosen = self.items if groups is None else groups
        found = {g: self.recurring(g, min_items=min_items, min_share=min_share) for g in sorted(chosen)}
        return {g: fps for g, fps in found.items() if fps}


def _recurring(n: int, counts: Mapping[str, int], min_items: int, min_share: float) -> frozenset[str]:
    if n < min_items:
        return frozenset()
    return frozenset(fp for fp, c in counts.items() if c >= min_items and c >= min_share * n)


class ProfileBuilder:
    """Mutable counts for building a :class:`SourceProfile` in place (no quadratic merging)."""

    def __init__(self) -> None:
        self._items: dict[str, int] = {}
        self._lines: dict[str, dict[str, int]] = {}

    def add(self, group: str, fps: frozenset[str]) -> None:
        """Count one item of ``group`` whose head/tail zone holds ``fps``."""
        self._items[group] = self._items.get(group, 0) + 1
        counts = self._lines.setdefault(group, {})
        for fp in fps:
            counts[fp] = counts.get(fp, 0) + 1

    def update(self, profile: SourceProfile) -> None:
        """Add another profile's counts."""
        for group, n in profile.items.items():
            self._items[group] = self._items.get(group, 0) + n
        for group, other in profile.lines.items():
            counts = self._lines.setdefault(group, {})
            for fp, c in other.items():
                counts[fp] = counts.get(fp, 0) + c

    def groups(self) -> tuple[str, ...]:
        """The groups seen, sorted."""
        return tuple(sorted(self._items))

    def recurring(self, group: str, *, min_items: int = MIN_ITEMS, min_share: float = MIN_SHARE) -> frozenset[str]:
        """What :meth:`SourceProfile.recurring` would say, without taking a snapshot."""
        return _recurring(self._items.get(group, 0), self._lines.get(group, {}), min_items, min_share)

    def build(self) -> SourceProfile:
        """A snapshot; later additions do not change it."""
        return SourceProfile(dict(self._items), {g: dict(c) for g, c in self._lines.items()})


class FeedCleaner:
    """A :class:`~newsclean.Cleaner` that learns each source's recurring lines.

    ``fit`` / ``partial_fit`` take ``(group, text)`` pairs: the group names the source (a
    channel, a feed, a site). ``clean(text, group=...)`` then removes the group's recurring
    lines where they sit in the head or tail zone (category ``recurring``), and everything the
    rules remove. Learning is deterministic: the same items give the same profile, whatever
    their order, and the same output.

    Args:
        cleaner: the underlying cleaner (default ``Cleaner()``).
        min_items: a line must occur in at least this many distinct items of its group.
        min_share: ... and in at least this share of the group's items.
        profile: start from these counts (for example merged from partitions).
    """

    def __init__(
        self,
        cleaner: Cleaner | None = None,
        *,
        min_items: int = MIN_ITEMS,
        min_share: float = MIN_SHARE,
        profile: SourceProfile | None = None,
    ) -> None:
        if min_items < 1 or not 0.0 <= min_share <= 1.0:
            raise ValueError("min_items must be >= 1 and min_share between 0 and 1")
        self.cleaner = cleaner if cleaner is not None else Cleaner()
        self.min_items = min_items
        self.min_share = min_share
        self._builder = ProfileBuilder()
        if profile is not None:
            self._builder.update(profile)
        self._recurring: dict[str, frozenset[str]] = {}  # per group, dropped when counts change

    def partial_fit(self, items: Iterable[tuple[str, str]]) -> FeedCleaner:
        """Count more ``(group, text)`` items; returns ``self``."""
        for group, text in items:
            self._builder.add(group, zone_fingerprints(text, self.cleaner))
            self._recurring.pop(group, None)
        return self

    def fit(self, items: Iterable[tuple[str, str]]) -> FeedCleaner:
        """Forget what was learned, then count ``items``; returns ``self``."""
        self._builder = ProfileBuilder()
        self._recurring = {}
        return self.partial_fit(items)

    @property
    def profile(self) -> SourceProfile:
        """The counts so far, as a value (for saving or merging)."""
        return self._builder.build()

    def recurring(self, group: str) -> frozenset[str]:
        """The fingerprints learned as ``group``'s recurring lines."""
        found = self._recurring.get(group)
        if found is None:
            found = self._builder.recurring(group, min_items=self.min_items, min_share=self.min_share)
            self._recurring[group] = found
        return found

    def clean(self, text: str, *, group: str) -> Result:
        """Clean ``text`` from source ``group`` with what was learned about the group."""
        return self.cleaner.clean(text, recurring=self.recurring(group))


__all__ = ["MIN_ITEMS", "MIN_SHARE", "FeedCleaner", "ProfileBuilder", "SourceProfile", "zone_fingerprints"]
