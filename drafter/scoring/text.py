"""Text plumbing for the scorer: folding, sentences with offsets, words and readability.

Offsets are never changed: :func:`fold` replaces curly quotes with straight ones one character
for one character, so a match in the folded text is a span of the original body.

Readability uses the Flesch formulas (the ones textstat implements) with syllables counted by
pyphen's hyphenation dictionary, which is textstat's own fallback. We do not call textstat
itself: importing it imports nltk (~0.25 s), and its first syllable count calls
``nltk.download("cmudict")`` when the corpus is missing: a network call in an offline scorer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from drafter.textclean import QUOTE_FOLD

__all__ = [
    "Sentence",
    "content_words",
    "fold",
    "readability",
    "sentences",
    "words",
]

_FOLD = str.maketrans(QUOTE_FOLD)
_SENT = re.compile(r"(?:[^\n.!?]|[.!?]+(?![.!?\s\"')\]]|$))*(?:[.!?]+[\"')\]]*|\n|$)")
_WORD = re.compile(r"[A-Za-z\u00c0-\u024f0-9]+(?:['\-.][A-Za-z\u00c0-\u024f0-9]+)*")


def fold(text: str) -> str:
    """Curly quotes and apostrophes to straight ones; same length, same offsets."""
    return text.translate(_FOLD)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str

    @property
    def is_question(self) -> bool:
        return self.text.rstrip("\"') ]").endswith("?")


def sentences(text: str) -> list[Sentence]:
    """Sentences (and lines) of ``text`` with their offsets; blank pieces are dropped."""
    out: list[Sentence] = []
    for m in _SENT.finditer(text):
        raw = m.group(0)
        stripped = raw.strip()
        if not stripped or not any(c.isalnum() for c in stripped):
            continue
        start = m.start() + (len(raw) - len(raw.lstrip()))
        out.append(Sentence(start, start + len(stripped), stripped))
    return out


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def _norm_word(word: str) -> str:
    w = word.lower().strip("'.-")
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
        return w[:-1]
    return w


def content_words(text: str, stopwords: frozenset[str]) -> set[str]:
    """Lower-cased, crudely singularised words that are not stop words (3+ characters)."""
    out: set[str] = set()
    for word in _WORD.findall(text):
        low = word.lower()
        if low in stopwords or len(low) < 3 or low.isdigit():
            continue
        norm = _norm_word(low)
        if norm not in stopwords:
            out.add(norm)
    return out


@cache
def _hyphenator() -> Any:
    import pyphen  # lazy: ~0.1 s with its dictionary, paid on the first readability call

    return pyphen.Pyphen(lang="en_US")


@lru_cache(maxsize=65536)
def _syllables(word: str) -> int:
    if len(word) <= 3:
        return 1
    return len(_hyphenator().positions(word)) + 1


def readability(text: str, n_sentences: int) -> tuple[float, float]:
    """(Flesch reading ease, Flesch-Kincaid grade) of ``text``; (100.0, 0.0) when empty."""
    toks = [w for w in _WORD.findall(text) if any(c.isalpha() for c in w)]
    if not toks:
        return 100.0, 0.0
    syl = sum(_syllables(w.lower()) for w in toks)
    wps = len(toks) / max(1, n_sentences)
    spw = syl / len(toks)
    ease = 206.835 - 1.015 * wps - 84.6 * spw
    grade = 0.39 * wps + 11.8 * spw - 15.59
    return round(ease, 2), round(grade, 2)
