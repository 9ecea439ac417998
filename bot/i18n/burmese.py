"""Burmese typed in the Zawgyi font encoding, detected and converted to Unicode before matching."""

from __future__ import annotations

import logging
import warnings
from functools import cache
from typing import Any

__all__ = ["is_zawgyi", "to_unicode"]

logger = logging.getLogger(__name__)

# Many phones sold in Myanmar still type Zawgyi: the same code points as Unicode Burmese, in a
# different order and meaning. Google's detector gives a probability; 0.95 is its own
# recommended threshold for converting without asking.
_THRESHOLD = 0.95
_MYANMAR_BLOCK = range(0x1000, 0x10A0)


# ICU and the detector are imported on the first Burmese text, not at start: together they
# cost a process ~10 MiB and ~25 ms that most conversations never need (bench/README.md).
@cache
def _detector() -> Any:
    from myanmartools import ZawgyiDetector  # noqa: PLC0415 (on the first Burmese text)

    # It loads its model with importlib.resources.open_binary, deprecated since Python 3.11.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return ZawgyiDetector()  # once, on the first Burmese text


@cache
def _converter() -> Any:
    import icu  # noqa: PLC0415 (PyICU, pyicu-wheels: ICU's own Zawgyi-my transform)

    return icu.Transliterator.createInstance("Zawgyi-my")


def _has_burmese(text: str) -> bool:
    return any(ord(ch) in _MYANMAR_BLOCK for ch in text)


def is_zawgyi(text: str) -> bool:
    """Whether ``text`` is Burmese in the Zawgyi encoding (not Unicode)."""
    if not _has_burmese(text):
        return False
    probability: float = _detector().get_zawgyi_probability(text)
    # Many short words are spelt the same in both encodings ("ဘာသာစကား" scores 0.95): such a
    # text is not Zawgyi in any way that matters, and converting it would change nothing.
    return probability >= _THRESHOLD and _converter().transliterate(text) != text


def to_unicode(text: str) -> str:
    """``text`` as Unicode Burmese when it was typed in Zawgyi; anything else unchanged."""
    if not is_zawgyi(text):
        return text
    logger.info("zawgyi input converted")
    converted: str = _converter().transliterate(text)
    return converted
