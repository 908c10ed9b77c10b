"""Personalization: does the message name the recipient's actual work, and is every claim true?

* Text in double quotes is a claimed quote: it must occur in a supplied work (folded exact
  match, else :func:`drafter.grounding.locate_quote`, which forgives a stray character).
* A specific reference is a found quote, or at least ``specific_overlap_words`` content words
  shared with the works; fewer is a vague reference, none is generic.
* Claims about the recipient ("your book", "congrats on the award", "your PyCon 2023 talk") are
  checked against the works: claim nouns need an evidence word, capitalised names and numbers
  must appear in the works (or in what the sender told us).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from drafter.scorecard import Finding, Span
from drafter.scoring.findings import finding, span
from drafter.scoring.phrases import Phrases, phrases
from drafter.scoring.text import Sentence, content_words
from drafter.textclean import normalise_for_match

__all__ = ["Grounding", "check_personalization"]

_DIM = "personalization"
_QUOTE = re.compile(r'"([^"\n]{1,400})"')
_TOKEN = re.compile(r"[\w.'-]+")
_STOP_WINDOW = frozenset({"our", "my", "we", "i", "us", "me", "and", "but", "so", "because"})


@lru_cache(maxsize=512)
def _prepare_work(work: str) -> tuple[str, frozenset[str]]:
    """A work's folded text and content words (cached: the same works are scored repeatedly)."""
    return normalise_for_match(work), frozenset(content_words(work, phrases().stopwords))


@dataclass(frozen=True)
class Grounding:
    """The supplied works, prepared once per message."""

    works: tuple[str, ...]
    norm: tuple[str, ...]
    words: frozenset[str]
    known: str  # folded works + sender about + names: where a claimed name may be found
    supplied: str = ""  # the sender's own words: quotes from them are theirs, not claims

    @classmethod
    def build(cls, works: Sequence[str], extra: str, ph: Phrases,
              supplied: str = "") -> Grounding:
        prepared = [_prepare_work(w) for w in works]
        norm = tuple(n for n, _ in prepared)
        vocab: set[str] = set()
        for _, v in prepared:
            vocab |= v
        known = " ".join((*norm, normalise_for_match(extra)))
        return cls(tuple(works), norm, frozenset(vocab), known, normalise_for_match(supplied))

    def has_quote(self, quote: str) -> bool:
        q = normalise_for_match(quote).strip(" .,;:…")
        if q and any(q in n for n in self.norm):
            return True
        if len(q) < 12:
            return False
        # Lazy: fuzzy matching (rapidfuzz) is only needed when a message quotes a work.
        from drafter.grounding import locate_quote

        return any(locate_quote(quote, w) is not None for w in self.works)


def _quotes(body: str, folded: str, g: Grounding, ph: Phrases) -> tuple[list[Finding], bool]:
    out: list[Finding] = []
    found_any = False
    for m in _QUOTE.finditer(folded):
        if len(m.group(1).strip()) < ph.thresholds["min_quote_chars"]:
            continue
        sp = span(body, m.start(1), m.end(1))
        if g.supplied and normalise_for_match(m.group(1)).strip(" .,;:…") in g.supplied:
            continue  # the sender typed these quoted words themselves: theirs to vouch for
        if g.has_quote(m.group(1)):
            found_any = True
            out.append(finding(_DIM, "pass", "personalization.quote_found",
                               "The quoted words occur in the recipient's work.", "", [sp]))
        else:
            out.append(finding(
                _DIM, "fail", "personalization.quote_not_found",
                f'"{sp.text}" is quoted but does not occur in any supplied work.',
                "Quote their words exactly as written, or drop the quotation marks.", [sp]))
    return out, found_any


def _word_spans(body: str, folded: str, wanted: set[str], limit: int = 5) -> list[Span]:
    spans: list[Span] = []
    for m in _TOKEN.finditer(folded):
        low = m.group(0).lower().strip("'.-")
        if low in wanted or low.rstrip("s") in wanted:
            spans.append(span(body, m.start(), m.start() + len(m.group(0).rstrip(".'-"))))
            wanted = wanted - {low, low.rstrip("s")}
            if len(spans) >= limit:
                break
    return spans


def _specificity(body: str, folded: str, g: Grounding, quoted: bool, ph: Phrases) -> Finding:
    shared = content_words(_QUOTE.sub(" ", folded), ph.stopwords) & g.words
    spans = _word_spans(body, folded, set(shared))
    if quoted or len(shared) >= ph.thresholds["specific_overlap_words"]:
        return finding(_DIM, "pass", "personalization.specific",
                       "Names specifics of the recipient's work.", "", spans)
    if len(shared) >= ph.thresholds["vague_overlap_words"]:
        return finding(_DIM, "weak", "personalization.vague_reference",
                       "Touches the recipient's work only in passing: "
                       + ", ".join(sorted(shared)) + ".",
                       "Name one specific thing from their work: a sentence, a result, a design "
                       "choice.", spans)
    return finding(_DIM, "fail", "personalization.generic",
                   "Nothing in the message refers to the recipient's actual work"
                   + (f" beyond {', '.join(sorted(shared))}." if shared else "."),
                   "Refer to one specific passage of their work, quoting it exactly.")


def _pattern_findings(body: str, sents: list[Sentence], ph: Phrases) -> list[Finding]:
    out: list[Finding] = []
    p = ph.personalization
    for s in sents:
        for m in p["generic_praise"].finditer(s.text):
            out.append(finding(_DIM, "weak", "personalization.generic_praise",
                               "Generic praise says nothing about their work.",
                               "Replace the praise with one specific thing their work did for "
                               "you.", [span(body, s.start + m.start(), s.start + m.end())]))
        for m in p["personal_life"].finditer(s.text):
            out.append(finding(_DIM, "fail", "personalization.personal_life",
                               "Mentions the recipient's private life, not their work.",
                               "Leave their private life out; refer to their public work.",
                               [span(body, s.start + m.start(), s.start + m.end())]))
    return out


def _window_tokens(s: Sentence, m: re.Match[str]) -> list[tuple[int, str]]:
    """(offset in body, token) of a claim window, stopping where the sender starts talking."""
    group = next(i for i in range(1, (m.lastindex or 0) + 1) if m.group(i) is not None)
    out: list[tuple[int, str]] = []
    for t in _TOKEN.finditer(m.group(group)):
        tok = t.group(0).rstrip(".'-")
        if tok.lower() in _STOP_WINDOW:
            break
        out.append((s.start + m.start(group) + t.start(), tok))
    return out


def _claim_problem(tok: str, g: Grounding, ph: Phrases) -> str | None:
    """Why a claimed token is unsupported ("fail" noun / "weak" name), or None."""
    nouns: dict[str, list[str]] = ph.personalization["claim_nouns"]
    low = tok.lower()
    key = low if low in nouns else low.rstrip("s") if low.rstrip("s") in nouns else None
    if key is not None:
        # "I saw the abstract for your talk" typed by the sender in their goal is their own
        # statement, not one the message invents (the sender knows where they saw it).
        ok = any(ev in n for n in g.norm for ev in nouns[key]) or bool(
            g.supplied and re.search(rf"\b{re.escape(key)}s?\b", g.supplied))
        return None if ok else "fail"
    named = tok[:1].isupper() or any(c.isdigit() for c in tok)
    if not named or tok in ph.personalization["ignore_capitalised"]:
        return None
    return None if low in g.known else "weak"


def _claims(body: str, sents: list[Sentence], g: Grounding, ph: Phrases) -> list[Finding]:
    out: list[Finding] = []
    seen: set[int] = set()
    for s in sents:
        if s.is_question:
            continue  # asking is not claiming
        for m in ph.personalization["claim_windows"].finditer(s.text):
            for pos, tok in _window_tokens(s, m):
                problem = _claim_problem(tok, g, ph)
                if problem is None or pos in seen:
                    continue
                seen.add(pos)
                sp = span(body, pos, pos + len(tok))
                out.append(finding(
                    _DIM, "fail" if problem == "fail" else "weak",
                    "personalization.unsupported_claim",
                    f'The message claims "{sp.text}" about the recipient; no supplied work '
                    "supports it.",
                    "Only claim what their work shows; drop it or quote the passage.", [sp]))
    return out


# What makes a reference specific, read from the text alone: a quoted title or phrase, a name
# (a capitalised word inside a sentence), a number, or code (`x`, snake_case, a.b, v1.2).
_SPECIFIC = re.compile(
    r"\"[^\"\n]{6,}\"|`[^`\n]+`|\b[a-z]+_[a-z_]+\b|\b[a-z]+[A-Z]\w+\b|\b\w+\.\w+\(?|"
    r"\b\d[\d.,%]*\b|(?<=[a-z,;:] )(?-i:[A-Z][\w'-]+)|\bX{3,}\b")
_PLACEHOLDER_INSIDE = re.compile(r"\[[^\]\n]{1,60}\]|\{\{?[^}\n]{1,40}\}\}?|<[A-Z][^>\n]{1,40}>")
_GREETING = re.compile(r"^\W*(?:hi|hello|hey|dear|greetings|good (?:morning|afternoon|evening))\b",
                       re.IGNORECASE)


def _from_text(body: str, sents: list[Sentence], ph: Phrases) -> Finding:
    """Coach mode: no work supplied, so judge whether the text names specifics of theirs."""
    p = ph.personalization
    # "Hi Dana," alone is a greeting, not a reference; "Hello, I read your post" is one.
    refs = [s for s in sents if p["reference"].search(s.text)
            and not (_GREETING.match(s.text) and len(s.text.split()) <= 4)]
    specifics: list[Span] = []
    for s in refs:
        # A template's slot ("[recent post]") is read as filled by a real person: the
        # mass-mail dimension, not this one, marks the slot itself.
        text = _PLACEHOLDER_INSIDE.sub(lambda m: "X" * len(m.group(0)), s.text)
        for m in _SPECIFIC.finditer(text):
            if m.group(0).strip('"') not in p["ignore_capitalised"]:
                specifics.append(span(body, s.start + m.start(), s.start + m.end()))
    if len(specifics) >= 2:
        return finding(_DIM, "pass", "personalization.names_specifics",
                       "Names specifics of the recipient's work.", "", specifics[:5])
    if refs:
        return finding(_DIM, "weak", "personalization.general_reference",
                       "Refers to them only in general terms.",
                       "Name one specific thing they made or wrote: a title, a detail, a number.")
    return finding(_DIM, "fail", "personalization.generic",
                   "Nothing in the message is about this recipient: it could go to anyone.",
                   "Refer to one specific piece of their work by name.")


def check_personalization(
    body: str, folded: str, sents: list[Sentence], g: Grounding, ph: Phrases
) -> list[Finding]:
    out = _pattern_findings(body, sents, ph)
    if not g.works:
        # Coach mode: most people paste only their message. Verifying against the work is an
        # extra when works are supplied, not a condition for passing.
        out.append(_from_text(body, sents, ph))
        return out
    quote_findings, quoted = _quotes(body, folded, g, ph)
    out += quote_findings
    out.append(_specificity(body, folded, g, quoted, ph))
    out += _claims(body, sents, g, ph)
    return out
