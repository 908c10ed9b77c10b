"""Is the ask one real question to the recipient? Is the offer really the sender's?

What a reader rejects at once, as general rules: an ask about the recipient in the third
person, by their name or the sender's, cut off mid-sentence, empty politeness, a question that
offers the sender's service back (role inversion), a question about the sender's own facts;
an offer that hands the recipient their own words, or offers what the sender is asking for.
Patterns are data (``drafter/data/plan/checks.yaml``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from drafter.voice import name_parts
from drafter.wordlists import plan_data, words

__all__ = ["HANDS_BACK", "INVERTED_OFFERS", "OFFERS_ASKED", "ask_problems", "judges_own_work",
           "offer_problems", "presses_for_agreement", "promises_reward", "said_problems",
           "without_payment", "without_reward"]

_WORD = re.compile(r"[a-z0-9]+")
_STOP = words("stop")


@dataclass(frozen=True)
class _Rules:
    third_person: re.Pattern[str]
    empty: re.Pattern[str]
    inverted: re.Pattern[str]
    dangling_end: re.Pattern[str]
    addressed: re.Pattern[str]
    self_serving_offer: re.Pattern[str]
    applicant_pitch: re.Pattern[str]
    payment_offer: re.Pattern[str]
    reward_offer: re.Pattern[str]
    cut_sentence: re.Pattern[str]
    pressing: re.Pattern[str]
    judging: re.Pattern[str]
    garbled: re.Pattern[str]
    relatives_she: re.Pattern[str]
    relatives_he: re.Pattern[str]


@cache
def _rules() -> _Rules:
    raw = plan_data("checks")
    # When a relative shares the recipient's pronoun, "her" may be either of them, and turning
    # it into "you" can swap who did what: one list of relatives for this check and for voice.
    kin = {f"relatives_{f}": rf"\bmy (?:{'|'.join(sorted(words(f'kin_{f}')))})\b"
           for f in ("she", "he")}
    return _Rules(**{k: re.compile(v, re.IGNORECASE) for k, v in {**raw, **kin}.items()})


def _pronoun_family(word: str) -> str:
    return "she" if word.lower().startswith(("she", "her")) else "he"


def _names(full: str) -> list[str]:
    return [p for p in name_parts(full) if len(p) > 2]


def _shared_run(a: str, b: str, n: int = 5) -> str | None:
    """The first run of ``n`` words ``a`` and ``b`` share, if any."""
    wa, wb = _WORD.findall(a.lower()), _WORD.findall(b.lower())
    grams = {tuple(wb[i:i + n]) for i in range(len(wb) - n + 1)}
    return next((" ".join(wa[i:i + n]) for i in range(len(wa) - n + 1)
                 if tuple(wa[i:i + n]) in grams), None)


def ask_problems(ask: str, *, recipient: str, sender: str,
                 family: str | None = None, about: str = "") -> list[str]:
    """Why ``ask`` is not one complete question to the recipient (empty list: it is).
    ``family``: the recipient's pronoun ("he" or "she", from the goal), when known; the other
    pronoun is someone else the sender speaks of ("whether she'd be better off", she being
    their daughter)."""
    r = _rules()
    text = ask.strip()
    out: list[str] = []
    if not text.endswith("?") or text.count("?") > 1:
        out.append("it is not one question ending with '?'")
    if len(text.split()) < 4 or r.dangling_end.search(text) or text[:1].islower():
        out.append("it is cut off or incomplete")
    theirs = [m for m in r.third_person.finditer(text)
              if family is None or _pronoun_family(m.group(0)) == family]
    if theirs:
        out.append(f'it speaks of the recipient in the third person ("{theirs[0].group(0)}")')
    for name in _names(recipient) + _names(sender)[:1]:
        if re.search(rf"\b{re.escape(name)}\b", text):
            out.append(f'it names "{name}" instead of saying "you"')
            break
    if r.empty.search(text):
        out.append("it is empty politeness: ask something the recipient knows or decides")
    if presses_for_agreement(text):
        out.append("it presses them to agree: ask something they can answer either way")
    if judges_own_work(text):
        out.append("it asks them to judge your own work, which they have not seen: ask how "
                   "they do it or what they would check")
    if m := r.inverted.search(text):
        out.append(f'it turns the roles around ("{m.group(0)}"): ask what you want to know '
                   "from them, and state what you give")
    # ", so I could read it before I rewrite our proxy?": why the sender asks, not what.
    asked = re.sub(r",\s*so (?:I|we) (?:could|can)\b[^?]*\?$", "?", text)
    # ", because I'm about to do the same to mine?": why they ask, not what.
    asked = re.sub(r",?\s+(?:because|bc|since) (?:I|I'm|I've|we|we're|we've|my|our)\b[^?]*\?$",
                   "?", asked)
    if not r.addressed.search(asked) and re.search(r"\b(?:my|our|mine|ours)\b", asked, re.I):
        # "What is the audience size of our webinar?": the sender's own facts. A question
        # about their field without "you" ("Was the tolerance test ever too loose?") is fine.
        out.append("it asks about your own facts, not something the recipient knows or "
                   "decides")
    elif about and (run := _shared_run(text, about)):
        # "How did you feel when you started selling cakes from your kitchen 6 months ago?"
        # asks them about the sender's own notes ("started selling cakes from my kitchen 6
        # months ago"): blind reviewers read it as the roles turned around.
        out.append(f'it asks them about your own facts ("{run}" is from your notes)')
    return out


def _content(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 2}


# The offer problems that turn the roles around (the rest say the offer is no gift).
HANDS_BACK = "it hands the recipient their own work back"
OFFERS_ASKED = "it offers what the message asks for"
INVERTED_OFFERS = frozenset({HANDS_BACK, OFFERS_ASKED})


def offer_problems(offer: str, *, works: str, ask: str | None, supplied: str) -> list[str]:
    """Why ``offer`` is not something the sender gives (empty list: it is)."""
    words = _content(offer)
    out: list[str] = []
    if not words:
        return out
    theirs = _content(works)
    mine = _content(supplied)
    foreign = words - mine
    # Most of the offer's words come from their work and not from anything the sender wrote.
    if len(words) >= 4 and len(foreign & theirs) / len(words) >= 0.6:
        out.append(HANDS_BACK)
    if ask:
        asked = _content(ask)
        if asked and len(words & asked) / len(words) >= 0.7:
            out.append(OFFERS_ASKED)
    if m := _rules().self_serving_offer.search(offer):
        out.append(f'"{m.group(0)}" is your gain, not value for their work: offer something '
                   "that helps what they do (a finding, a fix, data, a translation)")
    elif m := _rules().applicant_pitch.search(offer):
        out.append(f'"{m.group(0)}" sells you for a job, it gives them nothing: offer '
                   "something that helps what they do (a finding, a fix, data, a translation)")
    return out


def self_serving(offer: str) -> bool:
    """Whether ``offer`` is the sender's gain dressed as a gift (exposure, tags, free seats,
    an applicant's availability)."""
    return bool(_rules().self_serving_offer.search(offer) or _rules().applicant_pitch.search(offer))


# What a thing given is worth ("(retails $89)", "worth $200"): its value, not money offered.
_WORTH = re.compile(r"\([^)]*\)|\b(?:retails?|worth|valued at|value of|costs?|priced at)"
                    r"(?: at| for)? [£$€]\s?[\d.,]+k?", re.IGNORECASE)
# The parts of a typed offer: "£50 toward your time and a thank-you in our programme".
_OFFER_PARTS = re.compile(r"\s*(?:,|;|\+|&|\band\b|\bplus\b|(?<=[.!])\s)\s*", re.IGNORECASE)


def without_payment(offer: str) -> tuple[str | None, bool]:
    """``offer`` without the money or costs it offers for the ask, and whether it offered any
    ("£50 toward your time and a thank-you in our programme" -> "a thank-you in our
    programme"); None when the payment was all of it."""
    return _without(offer, _rules().payment_offer)


def presses_for_agreement(question: str) -> bool:
    """Whether ``question`` presses them to agree ("this is local news right?") rather than
    asks something they can answer either way."""
    # "Could you tell me whether I did it right?": "right" ends an indirect question there,
    # not a tag pressing for a yes.
    if re.search(r"\b(?:whether|if)\b", question, re.IGNORECASE):
        return False
    return bool(_rules().pressing.search(question))


def judges_own_work(question: str) -> bool:
    """Whether ``question`` asks for a verdict on the sender's own work ("whether I did the
    sales tax right"), which the recipient has not seen."""
    return bool(_rules().judging.search(question))


def promises_reward(text: str) -> bool:
    """Whether ``text`` promises a reward in kind for the ask ("id owe you big time, maybe a
    beer at the next open forge")."""
    return bool(_rules().reward_offer.search(text))


def without_reward(offer: str) -> tuple[str | None, bool]:
    """``offer`` without the rewards in kind it promises for the ask (food, a beer, credit,
    a name on a plaque), and whether it promised any; None when that was all of it, or when
    all it promises is exposure ("we tag you everywhere, my niece has 40k followers")."""
    rest, rewarded = _without(offer, _rules().reward_offer)
    if rest and _without(rest, _reward_or_exposure())[0] is None:
        return None, True
    return rest, rewarded


@cache
def _reward_or_exposure() -> re.Pattern[str]:
    r = _rules()
    return re.compile(f"{r.reward_offer.pattern}|{r.self_serving_offer.pattern}", re.IGNORECASE)


_GOES_ON = re.compile(r"(?:for|to|with|at|on|in|whenever|when|every|each|any|all|your|his|her|"
                      r"their|the|maybe|also|even)\b", re.IGNORECASE)


# What starts a part of its own after a dropped one: a thing ("a", "my", "the", a number), a
# subject ("we", "I"), or a verb with its object ("send her the final fact sheet"). Anything
# else ("caitlin anytime they come in") finishes the part before.
_NEW_THING = re.compile(r"(?:a|an|the|my|our|some|any|\d+|i|i'll|i'd|we|we'll|we'd|can|could|"
                        r"will|would|happy|glad)\b|[a-z]+ (?:you|him|her|them|my|our|the|a|"
                        r"an|some|all|it)\b", re.IGNORECASE)


def _without(offer: str, rx: re.Pattern[str]) -> tuple[str | None, bool]:

    def paying(part: str) -> bool:
        # "a free antenna (retails $89)": what a thing is worth is no payment.
        return bool(rx.search(_WORTH.sub(" ", part)))

    if not paying(offer):
        return offer, False
    parts = [p for p in _OFFER_PARTS.split(offer.strip().rstrip(".")) if p.strip()]
    kept: list[str] = []
    dropped = False
    for p in parts:
        # "free tacos for him + his kitchen crew whenever the truck is out, for the whole
        # season": a part that names no new thing (a possessive, a time, a "for ...") goes
        # on with the one before it, and goes with it.
        if paying(p) or (dropped and (_GOES_ON.match(p) or len(_WORD.findall(p)) <= 3
                                      or not _NEW_THING.match(p))):
            dropped = True
            continue
        dropped = False
        kept.append(p)
    if len(kept) == len(parts):
        return offer, False
    # A part that only finishes the payment's sentence ("can offer £50 toward your time")
    # names nothing given on its own: a kept part needs a word of its own beyond filler.
    kept = [p for p in kept if len(_WORD.findall(p.lower())) >= 2]
    return (" and ".join(kept) if kept else None), True


def said_problems(text: str, goal: str, family: str | None) -> list[str]:
    """Why the sender's own lines (as drafter said them) would confuse the recipient: a
    sentence cut off, or "you" that may be someone else the goal mentions."""
    r = _rules()
    out: list[str] = []
    if m := r.garbled.search(text):
        out.append(f'a sentence is garbled ("{m.group(0)}"): say it in your goal or offer as '
                   "a whole sentence")
    if m := r.cut_sentence.search(text):
        out.append(f'a sentence stops mid-thought ("{m.group(0).strip()}"): finish it in your '
                   "goal or offer")
    relative = r.relatives_she if family == "she" else r.relatives_he if family == "he" else None
    if relative and (m := relative.search(goal)):
        out.append(f'your goal speaks of "{m.group(0)}" and of them with the same pronoun: '
                   "check that every \"you\" means them, or name your relative")
    return out
