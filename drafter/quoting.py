"""Which line of the recipient's work the message quotes.

The model names a line, but a 1.5B model picks by position and surface more than by sense, and
blind reviewers rejected its picks for two reasons above all: the line had nothing to do with
what the sender gives or asks ("flattery pasted on top"), or it read as a jab when quoted back
to its author (their rule for strangers, their complaint about bad pitches, a self-deprecating
aside, a mocked example). So the line is chosen here by rule: among lines that read well when
quoted back, the one that shares the most telling words with the sender's give, ask and reason
(words common to the whole work tell little). The model's pick is kept when it connects nearly
as well as the best line (at least 70% of its score), and breaks ties.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache

from drafter.types import Evidence
from drafter.wordlists import plan_data, words

__all__ = ["Choice", "Mention", "choose_line", "connection", "find_mention", "quote_problem",
           "stems"]

_WORD = re.compile(r"[a-z0-9]+")


def stems(text: str) -> set[str]:
    """Five-letter stems of the content words of ``text`` ("transcripts" -> "trans"); short
    words count too ("bug", "PR", "GRE" are often the point)."""
    stop = words("stop") | words("quote_stop")
    return {_singular(w)[:5] for w in _WORD.findall(text.lower()) if len(w) > 2 and w not in stop}


@cache
def _template_stems() -> frozenset[str]:
    """Words of drafter's own ladder questions ("What would you suggest someone in my position
    do first ..."): the sender did not say them, so they never tie a line to the message."""
    out: set[str] = set()
    for group in plan_data("ladder").values():
        for step in group.get("steps", []) if isinstance(group, dict) else []:
            for key in ("ask", "ask_with_subject", "ask_with_activity", "ask_unpaid"):
                if step.get(key):
                    out |= stems(re.sub(r"\{\w+\}", " ", str(step[key])))
    return frozenset(out)


def connection(line: str, said: str) -> tuple[str, ...]:
    """The telling words ``line`` shares with what the message says (its reason, offer and
    question as said): the reader sees only the message, so a line that connects to a part of
    the goal the message left out hangs unexplained."""
    return tuple(sorted(stems(line) & (stems(said) - _template_stems())))


def _singular(word: str) -> str:
    # "disks" and "disk" are one word here; "process" and "bus" keep their s.
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith(
        ("ss", "us", "is")) else word


@cache
def _rx(name: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in plan_data("quotes")[name]), re.IGNORECASE)


def quote_problem(line: str) -> str | None:
    """Why ``line`` reads badly when quoted back to the person who wrote it, or None.

    Quoting someone is a way of saying "this is the part that made me write". That works for
    what they found, argued or did; it does not for what they said to *their* readers (a rule,
    an instruction, a question to the audience: quoted back, it sounds like a retort), for a
    complaint or a self-deprecating aside (it sounds like a dig), or for a line that voices
    someone else (a mocked pitch, a dialogue)."""
    if line.count('"') % 2 or line.count("“") != line.count("”"):
        return "has a quotation mark left open (it is part of someone else's words)"
    if _rx("sour").search(line):
        return "is a complaint or an aside that reads as a dig"
    if _rx("fragment").search(line):
        return "is half a thought (a condition with no main clause)"
    if _rx("run_on").search(line):
        return "runs two sentences together (a full stop lost on the page)"
    if _rx("dialogue").search(line):
        return "voices someone else"
    if line.rstrip().endswith("?"):
        return "is a question to their readers"
    if _rx("imperative").search(line):
        return _TOLD
    if _rx("addressed").search(line):
        return _ADDRESSED
    if _rx("leans").search(line):
        return _LEANS
    if line.rstrip("\"'”’)]")[-1:] not in ".!?":
        return _CUT
    if len(line.split()) < 6:  # the same floor as the quote_complete check
        return _SHORT
    return None


# Second choices: fine when the message takes them up, odd on their own.
_TOLD = "is an instruction to their readers"
_ADDRESSED = "speaks to their readers"
_LEANS = "leans on the sentence before it"
_CUT = "stops before its sentence ends"
_LONG = "is too long for this channel"
_SHORT = "is too short to stand on its own"
_WORDY = "is long, and a shorter line connects nearly as well"
# A long sentence is quoted only when it connects this much better than every line of an easy
# length: the line that bears on the question is worth the words; one that merely ties is not.
_CLEARLY_BETTER = 2.0
# A sentence cut off mid-way is not among them: blind reviewers failed every draft that
# quoted one ("cut off mid-sentence with an ellipsis"), whatever else it did well.
_SOFT = frozenset({_TOLD, _ADDRESSED, _LEANS, _LONG, _SHORT, _WORDY})
# Forms that only read oddly out of context: fine when the goal points at the line or the
# model chose it in context (never a line too long, too short or cut: those show anyway).
_CONTEXTUAL = frozenset({_TOLD, _ADDRESSED, _LEANS})


@dataclass(frozen=True)
class Choice:
    line: Evidence | None  # the line to quote (None only when there is no line at all)
    relevance: float  # weighted words shared with the sender's give, ask and reason
    shared: tuple[str, ...]
    reason: str  # why the model's line was replaced, "" when it was kept
    problem: str | None = None  # why the chosen line reads badly quoted back, if it does
    # No line both reads well and connects: whichever line the model names, the quote checks
    # fail, so asking the model again cannot mend them (drafter.pipeline).
    no_fit: bool = False


def choose_line(model: Evidence | None, lines: tuple[Evidence, ...], focus: str, *,
                keep_model: bool = False, question: str = "",
                max_chars: int | None = None, max_words: int | None = None,
                avoid: frozenset[tuple[int, int]] = frozenset()) -> Choice:
    """The line to quote, from every quotable line of the work (the model saw only some).
    ``focus`` is all the sender gives, asks and wants; words of ``question`` (what the
    message asks them) count double: the quote leads into the question.
    ``keep_model``: the model wrote its question about its own line, so that line is kept
    whenever it is fit to quote and connects at all. ``max_chars``: on a short channel a long
    line would crowd out who the sender is and what they want, so it is a second choice.
    ``max_words``: a line longer than this reads easily only when it is the one that bears on
    what the sender says: it is chosen when it connects clearly better than every shorter one.
    ``avoid``: lines (work index, start) another variant quotes, left to it when another
    line fits."""
    pool = list(lines)
    if model is not None and model not in pool:
        pool.append(model)
    if not pool:
        return Choice(None, 0.0, (), "")
    scored = _sized(pool, _score(pool, focus, question), max_chars, max_words)
    n = len(pool)
    at = pool.index(model) if model is not None else -1
    if at >= 0 and scored[at][2] in _CONTEXTUAL and len(scored[at][1]) >= 2:
        # The model read the line in its context ("And this is why I made a design system
        # for my personal websites"): a form that is only odd out of context, on a line that
        # connects well, is its call to make.
        scored[at] = (scored[at][0], scored[at][1], None)
    if at >= 0 and keep_model and scored[at][0] > 0 and scored[at][2] is None:
        return Choice(model, *scored[at][:2], "")
    fit = [i for i in range(n) if scored[i][2] is None and scored[i][0] > 0]
    fresh = [i for i in fit if (pool[i].work_index, pool[i].start) not in avoid]
    fit = fresh or fit
    if not fit:
        # What they tell their readers is fine to quote when the message takes it up (their
        # "ask specific questions" answered with a specific question); quoted back on its
        # own, it reads as a retort. So it is a second choice, and only when it connects well.
        fit = [i for i in range(n) if scored[i][2] in _SOFT and len(scored[i][1]) >= 2]
        scored = [(r, sh, None if i in fit else p) for i, (r, sh, p) in enumerate(scored)]
    if not fit:
        # Nothing both reads well and connects: keep the model's line; the quote checks say
        # so (a draft is never passed on a quote that does not connect).
        i = at if at >= 0 else 0
        return Choice(pool[i], *scored[i][:2], "", scored[i][2], no_fit=True)
    # Ties go to the model's line, then to the earlier line.
    best = max(fit, key=lambda i: (round(scored[i][0], 6), i == at, -i))
    # The model read the lines in context: a line of its that connects nearly as well stays.
    if at in fit and scored[at][0] >= 0.7 * scored[best][0]:
        best = at
    if best == at:
        return Choice(model, *scored[at][:2], "")
    if at < 0:
        why = "it named no line"
    elif scored[at][2]:
        why = f"that line {scored[at][2]}"
    else:
        why = "another line shares more with what you give or ask"
    return Choice(pool[best], *scored[best][:2], why)


def _sized(pool: list[Evidence], scored: list[_Scored], max_chars: int | None,
           max_words: int | None) -> list[_Scored]:
    """Lines over ``max_chars`` marked too long for the channel; lines over ``max_words``
    marked as a second choice, unless they connect clearly better than every line of an easy
    length that reads well."""
    if max_chars:
        scored = [(r, sh, p or (_LONG if len(ev.text) > max_chars else None))
                  for ev, (r, sh, p) in zip(pool, scored, strict=True)]
    if not max_words:
        return scored
    long = [len(ev.text.split()) > max_words for ev in pool]
    bar = _CLEARLY_BETTER * max((r for (r, _, p), lg in zip(scored, long, strict=True)
                                 if p is None and not lg), default=0.0)
    return [(r, sh, p or (_WORDY if lg and r <= bar else None))
            for (r, sh, p), lg in zip(scored, long, strict=True)]


@dataclass(frozen=True)
class Mention:
    said: str  # the sender's words that name part of the work ("your nudge after 3-4 days tip")
    line: Evidence  # the line of the work those words point at
    shared: tuple[str, ...]  # the words of ``said`` found in ``line``


# Where the sender names part of the work in their own words: "your <it>", "the part about
# <it>". The phrase runs to the end of its clause.
# "I read what you wrote about the dinkie 550 you bought ...": the sender's reading names the
# part as well (beside a quote of the same line, blind reviewers read it as said twice).
_NAMED = re.compile(r"\b(?:your|the (?:part|section|line|bit|chapter|paragraph|passage)s? "
                    r"(?:about|where|on|in)|what you (?:wrote|said|posted|described) (?:about|"
                    r"on))\s+([^.,;:?!()\n]+)", re.IGNORECASE)
_CLAUSE_END = re.compile(r"\s(?:is|are|was|were|has|have|had|that|which|who|because|since|"
                         r"so|and then|but|if)\s", re.IGNORECASE)


def find_mention(said: str, lines: tuple[Evidence, ...]) -> Mention | None:
    """Where the sender's own words already name a specific part of the work, found in it.

    "Your ungrading posts", "the rough transcript of your cold emailing investors episode":
    such words show the sender read the work as well as a quote does, in their own voice, and
    in a short note there is no room for both. A mention counts when one line of the work has
    two of its content words, or one long word ("ungrading"): "your post" or "your work" names
    nothing, since those words fit any work."""
    # "your students", "your team": people, not a part of the work.
    skip = words("stop") | words("quote_stop") | words("work_kinds") | words("people")
    best: Mention | None = None
    line_stems = [stems(ev.text) for ev in lines]
    for m in _NAMED.finditer(said):
        phrase = _CLAUSE_END.split(f" {m.group(1)} ", maxsplit=1)[0].strip()
        content = {w for w in _WORD.findall(phrase.lower()) if len(w) > 2 and w not in skip
                   and _singular(w) not in skip}
        for ev, ls in zip(lines, line_stems, strict=True):
            shared = tuple(sorted(w for w in content if _singular(w)[:5] in ls))
            if not (len(shared) >= 2 or any(len(w) >= 8 for w in shared)):
                continue
            if best is None or len(shared) > len(best.shared):
                best = Mention(said=f"{m.group(0)[: m.start(1) - m.start(0)]}{phrase}",
                               line=ev, shared=shared)
    return best


_Scored = tuple[float, tuple[str, ...], str | None]  # relevance, shared words, problem


def _score(pool: list[Evidence], focus: str, question: str) -> list[_Scored]:
    focus_stems = stems(focus) - _template_stems()
    asked = stems(question)
    line_stems = [stems(ev.text) for ev in pool]
    # A word in every line ("rust" in a Rust talk) says less about which line than a word in
    # one line ("flatten").
    df: dict[str, int] = {}
    for s in line_stems:
        for w in s:
            df[w] = df.get(w, 0) + 1
    n = len(pool)
    weight = {w: math.log((n + 1) / (d + 0.5)) for w, d in df.items()}
    scored: list[_Scored] = []
    for ev, s in zip(pool, line_stems, strict=True):
        shared = tuple(sorted(s & focus_stems))
        # A line the sender's goal itself points at ("his 'ask these questions' part") is the
        # right quote even when it speaks to their readers; never when it is a dig.
        # Only telling words point: "write" and "game" in a blog about writing on games
        # are in half its lines.
        rare = [w for w in shared if df[w] <= max(2, n // 10)]
        pointed = len(rare) >= 2 and len(shared) >= 0.6 * len(s)
        problem = quote_problem(ev.text)
        if pointed and problem in _CONTEXTUAL:
            problem = None
        scored.append((sum(weight[w] * (2 if w in asked else 1) for w in shared), shared,
                       problem))
    return scored
