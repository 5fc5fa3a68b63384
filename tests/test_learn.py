"""Learning a source's recurring lines: what goes, what stays, and that it is deterministic."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys

from newsclean.learn import FeedCleaner, SourceProfile, zone_fingerprints

# A signature in a made-up language: no rule file can know it.
FOOTER = "Zuvela kanalo ni tapsu"
HEADLINES = ["Storm hits the coast", "Rates stay on hold", "Team wins the cup", "Bridge reopens downtown",
             "Museum opens new wing", "Trains delayed by snow"]
QUOTE = "“We will not back down”"


def _post(headline: str, *, footer: str = FOOTER, quote: bool = False) -> str:
    body = "Officials said the work would go on through the night, and residents were told to stay home."
    # The quote closes the story, below its last full sentence: in the tail zone, like a footer.
    middle = f"\n\nThe minister repeated the line at a press conference on Monday:\n\n{QUOTE}" if quote else ""
    return f"{headline}\n\n{body}{middle}\n\n{footer}"


def _items() -> list[tuple[str, str]]:
    return [("chan", _post(h, quote=i < 2)) for i, h in enumerate(HEADLINES)]


def test_recurring_footer_in_an_unknown_language_goes() -> None:
    items = _items()
    fc = FeedCleaner().fit(items)
    before = FeedCleaner().cleaner.clean(items[3][1])
    after = fc.clean(items[3][1], group="chan")
    assert FOOTER in before.text  # the rules alone do not know it
    assert FOOTER not in after.text
    assert after.text.startswith("Bridge reopens downtown\n\nOfficials said")
    [removal] = [r for r in after.removed if r.category.value == "recurring"]
    assert (removal.text, removal.rule) == (FOOTER, "recurring.learned")


def test_a_quote_repeated_in_two_items_stays() -> None:
    items = [("chan", _post(h, quote=True, footer="")) for h in HEADLINES[:2]] + [
        ("chan", _post(h, footer="")) for h in HEADLINES[2:]
    ]
    # The quote sits in the tail zone: only its count keeps it.
    assert zone_fingerprints(items[0][1], FeedCleaner().cleaner) >= {"“we will not back down”"}
    fc = FeedCleaner().fit(items)
    assert QUOTE in fc.clean(items[0][1], group="chan").text
    # The same quote in three of six items would be learned: the threshold is what keeps it.
    items[2] = ("chan", _post(HEADLINES[2], quote=True, footer=""))
    assert QUOTE not in FeedCleaner().fit(items).clean(items[0][1], group="chan").text


def test_groups_are_kept_apart() -> None:
    items = _items() + [("other", _post(h, footer="")) for h in HEADLINES]
    fc = FeedCleaner().fit(items)
    assert fc.recurring("chan") and not fc.recurring("other")
    assert FOOTER in fc.clean(_post("Fresh headline here"), group="other").text


def test_share_threshold_on_a_large_group() -> None:
    items = [("big", _post(f"Headline {chr(97 + i % 26)}{chr(97 + i // 26)}", footer=FOOTER if i < 4 else ""))
             for i in range(40)]
    assert FOOTER not in {fp for fp in FeedCleaner().fit(items).recurring("big")}
    assert FeedCleaner().fit(items).recurring("big") == frozenset()  # 4 of 40 items: under 30 %


def test_a_templated_lede_is_never_learned() -> None:
    lede = "Officials said the work would go on through the night, and residents were told to stay home."
    fc = FeedCleaner().fit([("chan", f"{lede}\n\nMore follows.") for _ in range(5)])
    assert fc.recurring("chan") == frozenset({"more follows."})
    assert fc.clean(f"{lede}\n\nMore follows.", group="chan").text == lede


def test_profiles_merge_to_what_one_machine_learns() -> None:
    items = _items() + [("other", _post(h, footer="Otro pie")) for h in HEADLINES]
    whole = FeedCleaner().fit(items)
    cleaner = whole.cleaner
    parts = [items[0::3], items[1::3], items[2::3]]
    profiles = [SourceProfile.of((g, zone_fingerprints(t, cleaner)) for g, t in part) for part in parts]
    merged = profiles[2].merge(profiles[0]).merge(profiles[1])
    assert merged == whole.profile
    assert pickle.loads(pickle.dumps(merged)) == merged
    split = FeedCleaner(profile=merged)
    assert all(split.clean(t, group=g) == whole.clean(t, group=g) for g, t in items)
    online = FeedCleaner().partial_fit(items[:5]).partial_fit(items[5:])
    assert online.profile == whole.profile
    assert FeedCleaner().fit(reversed(items)).profile == whole.profile


SCRIPT = """
from newsclean.learn import FeedCleaner
import sys
sys.path.insert(0, "tests")
from test_learn import _items
items = _items() + [("other", t.replace("Zuvela", "Otro")) for _, t in _items()]
fc = FeedCleaner().fit(items)
print(sorted(fc.recurring("chan")), sorted(fc.recurring("other")))
print([fc.clean(t, group=g).to_dict() for g, t in items])
"""


def test_same_output_under_any_hash_seed() -> None:
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    outs = []
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=root)
        proc = subprocess.run([sys.executable, "-c", SCRIPT], cwd=root, env=env, capture_output=True, text=True,
                              timeout=120, check=False)
        assert proc.returncode == 0, proc.stderr
        outs.append(proc.stdout)
    assert outs[0] == outs[1] and "zuvela kanalo ni tapsu" in outs[0]
