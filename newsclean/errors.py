"""Exceptions: one base class, so callers can catch everything newsclean raises."""

from __future__ import annotations


class NewscleanError(Exception):
    """Base class of every error newsclean raises on purpose."""


class RuleDataError(NewscleanError):
    """A rule file breaks the schema; the message names the file and the rule."""


class UnknownLanguageError(NewscleanError, ValueError):
    """No rule file exists for a language code; the message lists the available ones."""

    def __init__(self, lang: str, available: tuple[str, ...]) -> None:
        super().__init__(f"no rule data for language {lang!r}; available: {', '.join(available)}")
        self.lang = lang
        self.available = available


class InputError(NewscleanError, ValueError):
    """Input that cannot be cleaned (wrong type, undecodable bytes, broken markup or feed)."""
