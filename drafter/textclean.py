"""Normalising untrusted text: NFKC, invisible and control characters stripped and counted.

Third-party text (the recipient's public work) can carry Unicode tag characters, zero-width
joiners, bidi overrides and private-use characters that hide instructions from a person while a
model still reads them. They are removed before anything else sees the text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["PUNCTUATION_FOLD", "QUOTE_FOLD", "CleanText", "clean_text", "normalise_for_match"]

# Categories removed outright: format (Cf: zero-width, bidi controls, tag block), private use
# (Co), unassigned (Cn), surrogates (Cs); and control characters (Cc) except tab and newline.
_DROP_CATEGORIES = {"Cf", "Co", "Cn", "Cs"}
_KEEP_CONTROLS = {"\n", "\t"}
# In ASCII, the only characters of those categories are the controls (Cc) other than tab and
# newline: an ASCII text (most of them) is cleaned by one regex pass, not a loop per character.
_ASCII_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0]+")
_MANY_NEWLINES = re.compile(r"\n{3,}")


@dataclass(frozen=True)
class CleanText:
    text: str
    removed: int


def clean_text(raw: str) -> CleanText:
    """NFKC-normalise, drop invisible/control characters and collapse runs of white space."""
    text = unicodedata.normalize("NFKC", raw.replace("\r\n", "\n").replace("\r", "\n"))
    if text.isascii():
        text, removed = _ASCII_CONTROLS.subn("", text)
    else:
        kept: list[str] = []
        removed = 0
        for ch in text:
            cat = unicodedata.category(ch)
            if cat in _DROP_CATEGORIES or (cat == "Cc" and ch not in _KEEP_CONTROLS):
                removed += 1
                continue
            kept.append(ch)
        text = "".join(kept)
    out = _SPACES.sub(" ", text)
    out = _MANY_NEWLINES.sub("\n\n", "\n".join(line.strip() for line in out.split("\n")))
    return CleanText(text=out.strip(), removed=removed)


# Typography a person or a model changes without changing meaning. One character maps to one
# character, so offsets into the folded text are offsets into the source.
QUOTE_FOLD = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "`": "'"}
PUNCTUATION_FOLD = {**QUOTE_FOLD, "\u2014": "-", "\u2013": "-"}
_PUNCTUATION = str.maketrans(PUNCTUATION_FOLD)
_WS = re.compile(r"\s+")


def normalise_for_match(text: str) -> str:
    """Fold quotes, dashes, case and white space so a quote can be found in its source."""
    text = unicodedata.normalize("NFKC", text).translate(_PUNCTUATION)
    return _WS.sub(" ", text).strip().lower()
