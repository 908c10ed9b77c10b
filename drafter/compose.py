"""Compose the message from validated fields, and verify it.

The greeting and the sign-off come from the request itself, so no placeholder can survive and
the message is always signed by the sender. The quote is located in the cleaned work and the
reference carries the source's own text (verbatim) and offsets. Links the user did not supply
are removed: public work may try to plant them (threats.md #1, #3).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from drafter.grounding import locate_quote
from drafter.types import Check, ContextBundle, DraftFields, DraftRequest, Reference

__all__ = ["Composed", "compose", "offer_sentence", "supplied_text", "verify"]

_PLACEHOLDER = re.compile(
    r"\[[^\]\n]{1,40}\]|\{\{[^}]*\}\}|\{[A-Za-z_]+\}|%[A-Z_]+%|<[A-Z][A-Za-z ]+>")
_URL = re.compile(
    r"!?\[[^\]]*\]\([^)]*\)|\b(?:https?|javascript|data|ftp):[^\s)>\]]+|\bwww\.[^\s)>\]]+",
    re.IGNORECASE)
_GREETING = re.compile(r"^\s*(?:hi|hello|hey|dear)\b[^,.!\n]{0,40}[,.!]?\s*", re.IGNORECASE)
_SIGNOFF = re.compile(r"\s*(?:best|thanks|cheers|regards|kind regards|sincerely)[,!]?\s*"
                      r"(?:\n.*)?$", re.IGNORECASE | re.DOTALL)
_TITLES = {"dr", "dr.", "prof", "prof.", "professor", "mr", "mr.", "ms", "ms.", "mrs", "mrs."}
_SIGNOFFS = {"warm": "Best,", "formal": "Kind regards,", "casual": "Cheers,", "direct": "Thanks,"}


@dataclass(frozen=True)
class Composed:
    subject: str | None
    body: str
    references: list[Reference]
    offer: str | None
    ask: str | None
    reaction: str
    removed_links: int
    dropped_reaction: str  # why the model's reaction sentence was left out, or ""
    quoted_line: bool
    unsupported: list[str]


def greeting_name(full_name: str) -> str:
    parts = full_name.split()
    if len(parts) > 1 and parts[0].lower() in _TITLES:
        return f"{parts[0].rstrip('.').capitalize()}. {parts[-1]}"
    return parts[0]


def _clean_piece(text: str, allowed_links: str) -> tuple[str, int]:
    removed = 0

    def drop(m: re.Match[str]) -> str:
        nonlocal removed
        if m.group(0) in allowed_links and not m.group(0).startswith("!"):
            return m.group(0)
        removed += 1
        tail = re.search(r"[.,;:!?]+$", m.group(0))  # sentence punctuation is not the link's
        return tail.group(0) if tail else ""

    text = _URL.sub(drop, text)
    if removed:  # "see <link> for details." -> "for details."; no dangling "see ."
        text = re.sub(r"\b(?:see|at|here|visit|via|on)\s*(?=[.,;:!?)]|$)", "", text,
                      flags=re.IGNORECASE)
        text = re.sub(r"\s+([.,;:!?])", r"\1", text)
        text = re.sub(r"\(\s*\)", "", text)
        text = re.sub(r"[,;:]+([.!?])", r"\1", text)
    text = _GREETING.sub("", text, count=1) if _GREETING.match(text) else text
    text = re.sub(r"\s{2,}", " ", text).strip()
    return text, removed


def quote_sentence(quote: str, title: str | None) -> str:
    where = f'In "{title}" you wrote' if title else "You wrote"
    return f'{where}: "{quote}."'


_NO_ARTICLE = {"a", "an", "the", "my", "i", "i'm", "currently", "now", "also", "one"}


def introduction(name: str, about: str) -> str:
    """'I'm Sam, a data engineer at ...' from the request (never written by the model)."""
    about = about.rstrip(". ")
    first = about.split()[0] if about.split() else ""
    if first.islower() and first not in _NO_ARTICLE and not first.endswith(("ing", "ed")):
        about = ("an " if first[0] in "aeiou" else "a ") + about
    if about.lower().startswith(name.lower()):
        return f"I'm {about}."
    return f"I'm {name.split(maxsplit=1)[0]}, {about}."


# An offer written as a sentence starts like one ("I can ...", "Happy to ..."); a noun phrase
# may contain a verb further on ("results ... where keys are skewed") and is not a sentence.
_SENTENCE_START = re.compile(
    r"^(?:I|I'd|I'm|I've|I'll|we|we'd|we're|we've|we'll|happy|glad|let me|let's|can|could|"
    r"would|will)\b", re.IGNORECASE)


# An offer that starts with a verb takes an object ("run my suite", "proofread the draft",
# "help with testing"); anything else is a thing to send ("my benchmark", "feedback on ...").
_VERB_FIRST = re.compile(
    r"^help\b|^[a-z]+ (?:my|your|the|a|an|our|some|it|you|them|this|that|these|those)\b")


def offer_sentence(offer: str) -> str:
    """The offer as a sentence the sender says, adding no fact: "my benchmark on 2 TB of
    logs" -> "I'd be glad to send you my benchmark on 2 TB of logs."; a sentence is kept
    (capitalised, with its full stop)."""
    phrase = offer.strip().rstrip(". ")
    if not phrase:
        return ""
    if _SENTENCE_START.match(phrase):
        end = "" if phrase[-1] in "!?" else "."
        return f"{phrase[0].upper()}{phrase[1:]}{end}"
    phrase = phrase[0].lower() + phrase[1:]
    if _VERB_FIRST.match(phrase):  # "review your docs" -> "I'd be glad to review your docs."
        return f"I'd be glad to {phrase}."
    return f"I'd be glad to send you {phrase}."



_WORD = re.compile(r"[a-z0-9]+")


def _echoes(sentence: str, source: str, share: float = 0.6) -> bool:
    """True when most of ``sentence``'s longer words come from ``source``."""
    words = [w for w in _WORD.findall(sentence.lower()) if len(w) > 3]
    if len(words) < 4 or not source:
        return False
    known = set(_WORD.findall(source.lower()))
    return sum(w in known for w in words) / len(words) >= share


def _fit_short(hello: str, first: str, limit: int, plans: list[list[str]]) -> str:
    """Notes and DMs have hard limits: the first plan that fits, dropping the least
    essential parts first (introduction, reaction, the work's title); else the shortest,
    which the limit check then reports."""
    bodies = [f"{hello} {_join(plan, ' ')} – {first}" for plan in plans]
    return next((b for b in bodies if len(b) <= limit), min(bodies, key=len))


def _join(paragraphs: list[str], sep: str) -> str:
    return sep.join(p for p in paragraphs if p)


def supplied_text(req: DraftRequest) -> str:
    """What the sender wrote themselves: the only place a link in a draft may come from."""
    return " ".join(filter(None, [req.goal, req.sender.about, req.sender.offer]))


def _pieces(fields: DraftFields, ctx: ContextBundle) -> tuple[dict[str, str], int, str]:
    req = ctx.request
    allowed = supplied_text(req)
    pieces: dict[str, str] = {}
    removed = 0
    for key in ("reaction", "offer", "ask"):
        text, n = _clean_piece(getattr(fields, key), allowed)
        pieces[key] = _SIGNOFF.sub("", text).strip()
        removed += n
    # A named offer is stated as the sender named it (the model is not asked to restate it:
    # fewer tokens to decode, and nothing added to what the sender can actually give).
    pieces["offer"] = offer_sentence(req.sender.offer or pieces["offer"])
    dropped = ""
    line = (ctx.evidence[fields.quote - 1].text
            if 1 <= fields.quote <= len(ctx.evidence) else "")
    if _echoes(pieces["reaction"], " ".join(filter(None, [req.sender.offer, pieces["offer"]]))):
        dropped = "it only restated the offer"  # saying it twice adds nothing
    elif _echoes(pieces["reaction"], line, share=0.75):
        # Their own line again, now in the sender's voice: says nothing and can misattribute
        # ("I look for tools that ..." was the recipient's sentence, not the sender's).
        dropped = "it only restated the quoted line"
    elif slips := _slips(pieces["reaction"], req):
        # "The quote shows how she ..." is about the message, not in it. The message stands
        # without this sentence (quote, offer, ask), so it is left out instead of costing a
        # second model call to repair.
        dropped = "it was not written as the sender (" + ", ".join(
            f'"{s}"' for s in slips) + ")"
    if dropped:
        pieces["reaction"] = ""
    # One ask: a stacked "X? And Y?" keeps its first question (a smaller ask, never a bigger).
    questions = re.findall(r"[^?]*\?", pieces["ask"])
    if len(questions) > 1:
        pieces["ask"] = questions[0].strip()
    return pieces, removed, dropped


def compose(fields: DraftFields, ctx: ContextBundle) -> Composed:
    req = ctx.request
    pieces, removed, dropped = _pieces(fields, ctx)
    refs, unsupported = _references(fields, pieces, ctx)
    chosen = 1 <= fields.quote <= len(ctx.evidence)
    quoted = quote_sentence(refs[0].quote, ctx.titles[refs[0].work_index]) if chosen else ""
    hello = f"Hi {greeting_name(req.recipient.name)},"
    intro = introduction(req.sender.name, req.sender.about)
    first = req.sender.name.split()[0]
    if req.channel in {"linkedin_note", "dm"}:
        short_quote = f'"{refs[0].quote}"' if chosen else ""
        body = _fit_short(hello, first, req.limit, [
            [quoted, pieces["reaction"], intro, pieces["offer"], pieces["ask"]],
            [quoted, pieces["reaction"], pieces["offer"], pieces["ask"]],
            [quoted, pieces["offer"], pieces["ask"]],
            [f"Your line {short_quote} stuck with me.", pieces["offer"], pieces["ask"]],
            # Giving comes first and an ask is optional: the question goes before the offer.
            [quoted, pieces["offer"] or pieces["ask"]],
            [f"Your line {short_quote} stuck with me.", pieces["offer"] or pieces["ask"]],
            [f"Your line {short_quote} stuck with me.", pieces["ask"]],
        ])
    else:
        sign = _SIGNOFFS.get(req.tone or "warm", "Best,")
        body = _join([hello, _join([quoted, pieces["reaction"]], " "),
                      _join([intro, pieces["offer"]], " "), pieces["ask"],
                      f"{sign}\n{req.sender.name}"], "\n\n")
    subject = fields.subject.strip().strip('"') if req.channel == "email" else None
    return Composed(subject=subject or None, body=body, references=refs,
                    offer=pieces["offer"] or None, ask=pieces["ask"] or None,
                    reaction=pieces["reaction"], removed_links=removed,
                    dropped_reaction=dropped, quoted_line=chosen,
                    unsupported=unsupported)


def _references(fields: DraftFields, pieces: dict[str, str],
                ctx: ContextBundle) -> tuple[list[Reference], list[str]]:
    """The chosen line as a reference, plus every "quoted" claim in the model's sentences
    located in the works; claims that cannot be found are returned as unsupported."""
    refs: list[Reference] = []
    if 1 <= fields.quote <= len(ctx.evidence):
        ev = ctx.evidence[fields.quote - 1]
        refs.append(Reference(quote=ev.text, work_index=ev.work_index,
                              work_title=ctx.titles[ev.work_index], start=ev.start, end=ev.end))
    unsupported: list[str] = []
    for claim in re.findall(r'"([^"]{8,300})"', " ".join(pieces.values())):
        found = [(i, m) for i, w in enumerate(ctx.works) if (m := locate_quote(claim, w))]
        if not found:
            unsupported.append(claim)
            continue
        i, m = found[0]
        if not any(r.work_index == i and r.start == m.start for r in refs):
            refs.append(Reference(quote=m.text, work_index=i, work_title=ctx.titles[i],
                                  start=m.start, end=m.end))
    return refs, unsupported


def verify(fields: DraftFields, composed: Composed, ctx: ContextBundle) -> list[Check]:
    """Structural checks on a composed draft; each failing check says what to fix."""
    req = ctx.request
    body = composed.body
    placeholders = _PLACEHOLDER.findall(body + " " + (composed.subject or ""))
    # Counted on the cleaned sentences: a "?" inside a removed link is not a question.
    asks = sum(piece.count("?") for piece in (composed.ask or "", composed.reaction,
                                              composed.offer or ""))
    checks = [
        Check(name="grounded_quote", passed=composed.quoted_line,
              detail="quotes the recipient's work verbatim" if composed.quoted_line else
              f'"quote" must be a line number from 1 to {len(ctx.evidence)}'),
        Check(name="claims_supported", passed=not composed.unsupported,
              detail="" if not composed.unsupported else "these quoted words are not in "
              f"their work; remove them: {'; '.join(composed.unsupported)[:200]}"),
        Check(name="no_placeholders", passed=not placeholders,
              detail=f"remove placeholders: {', '.join(placeholders)}" if placeholders else ""),
        Check(name="single_ask", passed=asks <= 1,
              detail="" if asks <= 1 else f"the message asks {asks} questions: keep one ask, "
              'in "ask" only; make "offer" a statement'),
        Check(name="within_limit", passed=len(body) <= req.limit,
              detail=f"{len(body)} of {req.limit} characters" if len(body) <= req.limit else
              f"the message is {len(body)} characters, over the {req.channel} limit of "
              f"{req.limit}: shorten reaction and offer"),
        Check(name="signed_by_sender", passed=req.sender.name.split()[0] in body[-80:]),
        Check(name="names_recipient",
              passed=greeting_name(req.recipient.name) in body[:60]),
    ]
    checks.append(Check(name="has_offer", passed=bool(composed.offer),
                        detail="" if composed.offer else
                        f'"offer" is empty: offer {req.sender.offer or "something concrete"}'))
    if req.channel == "email":
        words = len((composed.subject or "").split())
        checks.append(Check(name="short_subject", passed=1 <= words <= 7,
                            detail=f"{words} words" if 1 <= words <= 7 else
                            'write a "subject" of 3-5 plain words'))
    checks.append(_voice_check(composed, req))
    return checks


# "she"/"he" in a message written to that person is the goal's wording leaking in.
# The prompt's own words leaking in ("relates to my goal of ...", "a small ask") and a
# sentence about the text rather than to its author ("The passage discusses ...").
_META = re.compile(r"\b(?:the sender|the quote|the line|the recipient|this line|the author|"
                   r"(?:relates?|connects?) to my goal|my goal of|small ask|"
                   r"she|he)\b|^\s*(?:the|this) (?:passage|message)\b", re.IGNORECASE)


def _slips(text: str, req: DraftRequest) -> list[str]:
    """Words that show a sentence is about the message, the sender or the recipient instead
    of from the sender to the recipient: meta words, the sender's own first name, and the
    recipient's name in the possessive ("Ben Carter's post", written to Ben)."""
    first = re.escape(req.sender.name.split(maxsplit=1)[0])
    names = "|".join(re.escape(p) for p in req.recipient.name.split() if len(p) > 2
                     and p.lower().rstrip(".") not in _TITLES)
    found = [m.group(0) for m in _META.finditer(text)]
    found += [m.group(0) for m in re.finditer(rf"\b{first}(?:'s)?\b", text)]
    if names:
        found += [m.group(0) for m in re.finditer(rf"\b(?:{names})(?:'s|’s)", text)]
    return list(dict.fromkeys(found))


def _voice_check(composed: Composed, req: DraftRequest) -> Check:
    """The sentences the model wrote must be in the sender's voice: small models slip into
    describing the message ("The quote shows...", "Sam's work...") instead of writing it.
    (A named offer is the sender's own words, stated by the pipeline.)"""
    written = [composed.reaction, composed.ask or ""]
    if not req.sender.offer:
        written.append(composed.offer or "")
    slips = _slips(" ".join(written), req)
    return Check(name="first_person", passed=not slips,
                 detail="" if not slips else "write as the sender with I/my; do not say "
                 + ", ".join(f'"{s}"' for s in slips))
