"""newsclean: clean news-agency copy into article text plus metadata, in any language.

>>> import newsclean
>>> r = newsclean.clean("Storm hits coast\\n\\nWaves rose overnight.\\n\\n➖➖➖\\nFollow us on X")
>>> r.text
'Storm hits coast\\n\\nWaves rose overnight.'
>>> sorted({x.category.value for x in r.removed})
['separator', 'subscribe']
"""

from newsclean.api import Cleaner, clean
from newsclean.errors import InputError, NewscleanError, RuleDataError, UnknownLanguageError
from newsclean.html import clean_html
from newsclean.learn import FeedCleaner, SourceProfile
from newsclean.rules import available_languages
from newsclean.types import Category, Link, Options, Removal, Result

__version__ = "0.1.0"

__all__ = [
    "Category",
    "Cleaner",
    "FeedCleaner",
    "InputError",
    "Link",
    "NewscleanError",
    "Options",
    "Removal",
    "Result",
    "RuleDataError",
    "SourceProfile",
    "UnknownLanguageError",
    "available_languages",
    "clean",
    "clean_html",
    "__version__",
]
