"""Context stage: clean the recipient's work and select the evidence the model will see.

A small model on two cores processes roughly 90 prompt tokens a second, so the prompt carries
only the few passages that bear most on the sender's goal and offer, within a character budget,
ranked with BM25 (bm25s). Passages keep their offsets into the cleaned work so references can
be checked against the source.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from drafter.channels import SHORT_CHANNELS
from drafter.errors import FieldProblem, InputError, NotSupported
from drafter.links import find_channels
from drafter.plan import work_kind
from drafter.textclean import clean_text
from drafter.types import ContextBundle, DraftRequest, Evidence

if TYPE_CHECKING:
    # Only the type: importing drafter.fetching at run time loads httpx, which fetch_works
    # defers until a request actually gives a work by URL.
    from drafter.fetching import FetchedWork

__all__ = [
    "LONG_QUOTE_WORDS",
    "MAX_EVIDENCE",
    "build_context",
    "complete_sentence",
    "fetch_works",
    "quotable",
    "quotable_lines",
    "quote_words",
    "split_passages",
    "usable_title",
]

MAX_EVIDENCE = 12
# Lines a quote may be chosen from: enough for a long essay, bounded for a book pasted whole.
MAX_LINES = 600

# Sentence ends: . ! ? followed by space/newline, a blank line, or a line break after a line
# with no end punctuation (a heading or a list item: never glued to the next sentence).
# "U.S.", "e.g.", "Dr.", "Sept. 27" end no sentence.
_PASSAGE_BREAK = re.compile(r"(?<=[.!?])(?<!\b[A-Z]\.)(?<!\b[a-z]\.[a-z]\.)"
                           r"(?<!\b(?:Dr|Mr|Ms|vs|al|St)\.)(?<!\bMrs\.)(?<!\betc\.)"
                           # "on Sept. 27", "Oct. 11": a month's abbreviation before a day.
                           r"(?:(?<!\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\.)"
                           r"(?<!\bSept\.)|(?![\"')\]]*\s+\d))"
                           r"[\"')\]]*\s+|\n\s*\n|\n(?=[-*•] )|"
                           r"(?<=[^.!?:,;\s])\n")
_MAX_PASSAGE = 320
_MIN_PASSAGE = 25
_CLAUSE = re.compile(r"[,;:]\s+|\s+[-—–]\s+")
_MIN_WORDS = 4


@dataclass(frozen=True)
class _Passage:
    work_index: int
    start: int
    end: int
    text: str


def split_passages(text: str, work_index: int) -> list[_Passage]:
    """Split cleaned text into sentence-sized passages with their offsets."""
    out: list[_Passage] = []
    pos = 0
    for m in [*_PASSAGE_BREAK.finditer(text), None]:
        end = m.start() if m else len(text)
        nxt = m.end() if m else len(text)
        _add_passage(out, text, pos, end, work_index)
        pos = nxt
    return out


def _add_passage(out: list[_Passage], text: str, start: int, end: int, work_index: int) -> None:
    while start < end and (text[start].isspace() or text[start] in "•·*-–—>#"):
        start += 1  # list bullets and markdown markers are not their words
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > _MAX_PASSAGE:  # very long sentence: cut at a word boundary
        cut = text.rfind(" ", start, start + _MAX_PASSAGE)
        cut = cut if cut > start else start + _MAX_PASSAGE
        out.append(_Passage(work_index, start, cut, text[start:cut]))
        start = cut + 1
    if end - start >= _MIN_PASSAGE:
        out.append(_Passage(work_index, start, end, text[start:end]))


_SENTENCE_SHAPE = re.compile(r"^[\"'“‘(]?[A-Z0-9¿¡À-Þ]")


def complete_sentence(text: str) -> bool:
    """A line a reader takes for a whole sentence: starts like one, ends like one, says
    something (a heading, a list fragment or "Every so often someone sends me" does not)."""
    words = text.split()
    return (len(words) >= 6 and bool(_SENTENCE_SHAPE.match(text))
            and text.rstrip("\"')”’")[-1:] in ".!?" and not text.rstrip().endswith(":"))


def quotable_lines(passage: _Passage, max_words: int,
                   whole_words: int | None = None) -> list[_Passage]:
    """A whole sentence when it is short enough, else its clauses: verbatim lines to quote.

    Whole sentences come first (a message quotes what they said, not half of it); clauses of
    long sentences are kept as a fallback for works with no short sentence. ``whole_words``:
    a sentence up to this long stays whole (the quote chooser takes one over ``max_words``
    only when it connects clearly better, drafter.quoting).
    """
    text = passage.text.rstrip("\"')")
    if len(text.split()) <= max(max_words, whole_words or 0):
        return [_Passage(passage.work_index, passage.start, passage.start + len(text), text)]
    text = text.rstrip(".!?")
    # Only the sentence's opening clause: a reader can take the start of a sentence, quoted
    # with an ellipsis, but not "but even in Rust" from its middle.
    m = _CLAUSE.search(text)
    piece = text[: m.start()] if m else text
    if len(piece.split()) < 6:  # "We measured everything, from ...": take the opening words
        piece = text
    if len(piece.split()) > max_words:
        piece = piece[: _nth_space(piece, max_words)]
    if len(piece.split()) < _MIN_WORDS:
        return []
    return [_Passage(passage.work_index, passage.start, passage.start + len(piece), piece)]


def _nth_space(text: str, n: int) -> int:
    count = 0
    for i, ch in enumerate(text):
        if ch == " ":
            count += 1
            if count == n:
                return i
    return len(text)


@lru_cache(maxsize=1)
def _never_quote() -> re.Pattern[str]:
    path = Path(__file__).parent / "data" / "untrusted.yaml"
    patterns: list[str] = yaml.safe_load(path.read_text())["never_quote"]
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


# Text decoded with the wrong encoding ("canÕt", "â€™"): quoting it back shows the damage.
_MOJIBAKE = re.compile(r"[A-Za-z][ÕÉÒÓ][a-z]|â€|Ã[\x80-\xbf]|\ufffd")


def quotable(text: str) -> bool:
    """False for lines carrying links, e-mail addresses or phone numbers (drafter.links), role
    markers or instructions aimed at a model, and for garbled text: the message quotes
    evidence verbatim, so such a line must never be offered as a quote."""
    return (_never_quote().search(text) is None and not _MOJIBAKE.search(text)
            and not find_channels(text))


def _rank(passages: list[_Passage], query: str) -> list[int]:
    """Indexes of passages, most relevant first (BM25; ties keep document order)."""
    import bm25s  # local import: only the draft path pays for it

    corpus = [p.text for p in passages]
    tokens = bm25s.tokenize(corpus, stopwords="en", show_progress=False)
    retriever = bm25s.BM25()
    retriever.index(tokens, show_progress=False)
    # The query as strings, so the retriever maps them with the corpus vocabulary (a
    # separately tokenized query would carry its own, unrelated token ids).
    q = bm25s.tokenize([query], stopwords="en", return_ids=False, show_progress=False)
    if not any(word in tokens.vocab for word in q[0]):
        return list(range(len(passages)))
    docs, scores = retriever.retrieve(q, k=len(passages), show_progress=False)
    ranked = [(float(s), int(d)) for d, s in zip(docs[0], scores[0], strict=True)]
    # Specific passages (numbers, names, code) make better evidence than generic ones.
    boosted = [(s + _specificity(passages[d].text), d) for s, d in ranked]
    boosted.sort(key=lambda t: (-t[0], t[1]))
    return [d for _, d in boosted]


_SPECIFIC = re.compile(r"\d|[A-Z][a-z]+[A-Z]|`|\b[A-Z]{2,}\b")


def _specificity(text: str) -> float:
    return 0.15 * min(len(_SPECIFIC.findall(text)), 4)


_FILE_NAME = re.compile(r"^(?:tmp|temp)[\w-]*$|^[\w.-]+\.(?:txt|md|markdown|html?|pdf|docx?|"
                        r"rst|json|ya?ml)$|^[a-z0-9]+(?:[_-][a-z0-9]+)+$|^[a-z0-9]{1,12}$",
                        re.IGNORECASE)


@lru_cache(maxsize=1)
def _never_name() -> re.Pattern[str]:
    path = Path(__file__).parent / "data" / "untrusted.yaml"
    patterns: list[str] = yaml.safe_load(path.read_text())["never_name"]
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


# A name, not a paragraph: real titles of posts, talks and papers fit well within these.
_MAX_TITLE_CHARS = 100
_MAX_TITLE_WORDS = 16


def usable_title(title: str | None) -> str | None:
    """A title a message can name: not a file name ("post", "tmpk3x9q", "notes_v2.txt"), no
    link, e-mail address, handle or phone number (drafter.links, the same definition as the
    draft's last pass), nothing that reads as an instruction, not absurdly long, nothing a
    quoted line could not carry either. A title is untrusted text (the page's, or typed), and
    it is read out in the draft's own sentence, outside any quotation the reader would
    discount (docs/design/threats.md #30)."""
    if not title:
        return None
    title = " ".join(clean_text(title).text.split()).strip(" \"'“”")
    if (not title or len(title) > _MAX_TITLE_CHARS or len(title.split()) > _MAX_TITLE_WORDS
            or _FILE_NAME.match(title) or "@" in title or find_channels(title)
            or _never_name().search(title) or not quotable(title) or "\"" in title):
        return None
    return title


def quote_words(channel: str) -> int:
    """How many words a quote may run to and still read easily on ``channel``."""
    return 24 if channel in SHORT_CHANNELS else 32


# A whole sentence up to this long may be quoted when it is the line that connects.
LONG_QUOTE_WORDS = 45


def _candidate_lines(works: list[str], channel: str,
                     whole_words: int | None = None) -> tuple[list[_Passage], int]:
    """Lines the message may quote, and how many were left out as unsafe. ``whole_words``:
    sentences up to this long stay whole instead of giving their opening clause."""
    max_words = quote_words(channel)
    sentences = [p for i, text in enumerate(works) for p in split_passages(text, i)]
    if not sentences:  # very short works: use each whole work as one passage
        sentences = [_Passage(i, 0, len(t), t) for i, t in enumerate(works) if t]
    lines = [line for p in sentences
             for line in quotable_lines(p, max_words, whole_words)] or sentences
    safe = [p for p in lines if quotable(p.text)]
    whole = [p for p in safe if complete_sentence(p.text)]
    # Whole sentences only, when the work has enough of them to choose from; else the
    # openings of sentences too (quoted with an ellipsis), never a clause from the middle.
    starts = [p for p in safe if _SENTENCE_SHAPE.match(p.text) and len(p.text.split()) >= 6]
    chosen = whole if len(whole) >= 3 else (starts if len(starts) >= 3 else safe)
    return chosen, len(lines) - len(safe)


async def fetch_works(request: DraftRequest, *, enabled: bool, max_bytes: int,
                      timeout_s: float,
                      allowed_ports: Iterable[int] = (80, 443)) -> dict[int, FetchedWork]:
    """Fetch every work given only by URL (SSRF-safe, capped, with a total deadline)."""
    url_only = [i for i, w in enumerate(request.recipient.works) if w.text is None]
    if url_only and not enabled:
        field = f"recipient.works[{url_only[0]}].url"
        raise NotSupported(f"fetching URLs is turned off on this server: paste the work's text "
                           f"into recipient.works[{url_only[0]}].text",
                           [FieldProblem(field, "URL fetching is off")])
    if not url_only:
        return {}
    from drafter.fetching import FetchLimits, fetch_work

    limits = FetchLimits(max_bytes=max_bytes, total_timeout_s=timeout_s,
                         allowed_ports=frozenset(allowed_ports))
    out: dict[int, FetchedWork] = {}
    for i in url_only:
        out[i] = await fetch_work(request.recipient.works[i].url or "", limits=limits,
                                  field=f"recipient.works[{i}].url")
    return out


def build_context(request: DraftRequest, *, budget_chars: int,
                  fetched: dict[int, FetchedWork] | None = None,
                  focus: str = "") -> ContextBundle:
    """Clean every work and choose evidence passages within ``budget_chars``."""
    fetched = fetched or {}
    missing = [i for i, w in enumerate(request.recipient.works)
               if w.text is None and i not in fetched]
    if missing:
        field = f"recipient.works[{missing[0]}].url"
        raise NotSupported(f"{field} was not fetched: paste the work's text instead",
                           [FieldProblem(field, "not fetched")])
    works: list[str] = []
    titles: list[str | None] = []
    warnings: list[str] = []
    for i, work in enumerate(request.recipient.works):
        got = fetched.get(i)
        title = usable_title(work.title or (got.title if got else None))
        if (work.title or (got.title if got else None)) and title is None:
            warnings.append(f"recipient.works[{i}].title looked like a file name, a link or an "
                            "instruction: the work is named by its kind instead")
        titles.append(title)
        if got and got.truncated:
            warnings.append(f"recipient.works[{i}].url was long; only its beginning was read")
        cleaned = clean_text(work.text if work.text is not None else got.text if got else "")
        # A fetched page was cleaned as it was read: its count comes with it (threats #4, #37).
        removed = cleaned.removed + (got.removed_chars if got and work.text is None else 0)
        if removed:
            warnings.append(f"removed {removed} invisible or control characters "
                            f"from recipient.works[{i}]")
        if not cleaned.text:
            field = f"recipient.works[{i}].text"
            raise InputError(f"{field} has no readable text once invisible characters are "
                             "removed: paste the work's visible text",
                             [FieldProblem(field, "no readable text")])
        works.append(cleaned.text)
    passages, dropped = _candidate_lines(works, request.channel)
    # The sentence that bears on the sender's question is often a long one ("It's a bit of an
    # acid test for my shoulder too, shearing being ... it could end up making it flare up."):
    # cut to its opening clause it was never a candidate (reviewers fail every quote cut off
    # with an ellipsis), and a shorter line that connected to nothing was quoted instead.
    # Whole, it is one for the quote chooser (drafter.quoting); the model's evidence keeps
    # lines of an easy length (in a 300-character note no long line fits anyway).
    pool = passages if request.channel == "linkedin_note" else \
        _candidate_lines(works, request.channel, LONG_QUOTE_WORDS)[0]
    if dropped:
        warnings.append(f"{dropped} line(s) of the recipient's work carried links or "
                        "instructions and were not used as evidence")
    if not passages:
        raise InputError("the recipient's work has no line that can be quoted safely (only "
                         "links or instructions): paste the text of their actual work",
                         [FieldProblem("recipient.works", "nothing quotable")])
    # The goal and the offer decide what is relevant; repeating them weights them over the
    # sender's bio (BM25 counts query terms), and the recipient's headline matches everything.
    # ``focus`` is the plan (the sender's question, give and reason): what the quote should
    # connect to, weighted like the goal.
    query = " ".join(filter(None, [request.goal, focus, focus, request.sender.offer,
                                    request.sender.offer, request.sender.about]))
    chosen: list[_Passage] = []
    used = 0
    for idx in _rank(passages, query) if len(passages) > 1 else range(len(passages)):
        p = passages[idx]
        if used + len(p.text) > budget_chars and chosen:
            continue
        chosen.append(p)
        used += len(p.text)
        if used >= budget_chars:
            break
    chosen = chosen[:MAX_EVIDENCE]
    chosen.sort(key=lambda p: (p.work_index, p.start))
    evidence = tuple(Evidence(work_index=p.work_index, start=p.start, end=p.end, text=p.text)
                     for p in chosen)
    kinds = tuple(
        (w.kind or "").strip() or work_kind(titles[i], works[i], w.url)
        for i, w in enumerate(request.recipient.works))
    return ContextBundle(
        request=request,
        works=tuple(works),
        titles=tuple(titles),
        kinds=kinds,
        evidence=evidence,
        warnings=tuple(warnings),
        lines=tuple(Evidence(work_index=p.work_index, start=p.start, end=p.end, text=p.text)
                    for p in pool[:MAX_LINES]),
    )
