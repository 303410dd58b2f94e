"""windows.resolve: when would a resolver honouring a spec have picked a bad version?"""

from __future__ import annotations

from datetime import UTC, datetime

from scoper.feeds.model import Affected, Release, VersionFacts
from scoper.scope.confidence import Confidence
from scoper.scope.windows import Interval, resolve


def at(hour: int) -> datetime:
    return datetime(2026, 3, 24, hour, tzinfo=UTC)


BAD = VersionFacts(
    "2.0", trigger="startup", live_from=at(10), live_until=at(12), conservative_until=at(14)
)
DEMO = Affected("PyPI", "demo", versions=("2.0",), facts=(BAD,))
HISTORY = (Release("1.0", None), Release("2.0", at(10)), Release("2.1", at(16)))
HALF_PAST_11 = datetime(2026, 3, 24, 11, 30, tzinfo=UTC)


def test_live_window_is_likely_and_the_conservative_tail_possible() -> None:
    assert resolve(DEMO, HISTORY, ">=1.0") == [
        Interval(at(10), at(12), "2.0", Confidence.LIKELY),
        Interval(at(12), at(14), "2.0", Confidence.POSSIBLE),
    ]


def test_an_empty_spec_admits_any_version() -> None:
    assert resolve(DEMO, HISTORY, "") == resolve(DEMO, HISTORY, ">=1.0")


def test_a_spec_that_excludes_the_bad_version_never_resolves_to_it() -> None:
    assert resolve(DEMO, HISTORY, "<2") == []
    assert resolve(DEMO, HISTORY, "==1.0") == []


def test_a_newer_good_release_ends_the_window_early() -> None:
    history = (*HISTORY, Release("2.0.1", at(11)))
    assert resolve(DEMO, history, ">=1.0") == [Interval(at(10), at(11), "2.0", Confidence.LIKELY)]


def test_a_yanked_newer_release_is_not_picked() -> None:
    history = (*HISTORY, Release("3.0", at(11), yanked=True))
    assert resolve(DEMO, history, ">=1.0")[0] == Interval(at(10), at(12), "2.0", Confidence.LIKELY)


def test_an_unrelated_release_inside_the_window_does_not_split_it() -> None:
    history = (*HISTORY, Release("0.5", at(11)))
    assert resolve(DEMO, history, ">=0.1") == [
        Interval(at(10), at(12), "2.0", Confidence.LIKELY),
        Interval(at(12), at(14), "2.0", Confidence.POSSIBLE),
    ]


def test_a_removed_good_release_stops_hiding_the_bad_one() -> None:
    history = (*HISTORY, Release("2.0.1", at(11), removed_at=HALF_PAST_11))
    assert resolve(DEMO, history, ">=1.0") == [
        Interval(at(10), at(11), "2.0", Confidence.LIKELY),
        Interval(HALF_PAST_11, at(12), "2.0", Confidence.LIKELY),
        Interval(at(12), at(14), "2.0", Confidence.POSSIBLE),
    ]


def test_without_any_times_a_bad_version_is_possible_forever() -> None:
    bare = Affected("PyPI", "demo", versions=("2.0",), facts=(VersionFacts("2.0"),))
    assert resolve(bare, (), "") == [Interval(None, None, "2.0", Confidence.POSSIBLE)]


def test_npm_ranges_use_semver() -> None:
    facts = VersionFacts("1.3.0", live_from=at(10), live_until=at(12))
    left_pad = Affected("npm", "left-pad", versions=("1.3.0",), facts=(facts,))
    history = (Release("1.2.0", None), Release("1.3.0", at(10)), Release("2.0.0", None))
    assert resolve(left_pad, history, "^1.2.0") == [
        Interval(at(10), at(12), "1.3.0", Confidence.LIKELY)
    ]
    assert resolve(left_pad, history, "^2.0.0") == []
