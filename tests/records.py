"""Generated posts for the Dask and Spark tests: deterministic, a few thousand in a second."""

from __future__ import annotations

import random
from typing import Any

WORDS = ("market", "council", "river", "harbour", "minister", "rain", "school", "station", "bridge", "vote",
         "report", "court", "farmers", "price", "water", "village", "police", "storm", "train", "season")
CHANNELS = ("alpha", "beta", "gamma", "delta")
SIGNATURE = {c: f"{c.title()} Daily — all the news of the valley" for c in CHANNELS}
QUOTE = "The minister said the bridge will reopen next spring after repairs."


def _sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(9, 16))).capitalize() + "."


def make_records(n: int, seed: int = 11) -> list[dict[str, Any]]:
    """Posts from four channels, each with its own signature line in most posts; a quoted body
    line in two posts (must stay); some boilerplate the rules know; some broken records."""
    rng = random.Random(seed)
    records: list[dict[str, Any]] = []
    for i in range(n):
        channel = CHANNELS[i % len(CHANNELS)]
        lines = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 6))).title(), ""]
        lines += [_sentence(rng) for _ in range(rng.randint(1, 3))]
        if i in (5, 9):
            lines += ["", QUOTE]
        if rng.random() < 0.3:
            lines += ["", rng.choice(["Subscribe to our channel", "━━━━━━", "https://example.com/a/1"])]
        if rng.random() < 0.8:
            lines += ["", SIGNATURE[channel]]
        record: dict[str, Any] = {"id": i, "channel": channel, "text": "\n".join(lines)}
        if i % 97 == 13:
            del record["text"]
        elif i % 89 == 7:
            record["text"] = None
        records.append(record)
    return records
