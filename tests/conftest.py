"""Shared test set-up: the hypothesis profiles (deterministic on CI, longer locally)."""

import os

from hypothesis import HealthCheck, settings

# CI: derandomised (the same examples every run) and bounded. Local: NEWSCLEAN_HYPOTHESIS=long.
settings.register_profile("ci", derandomize=True, max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=2000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("NEWSCLEAN_HYPOTHESIS", "ci"))
