"""The deterministic rubric scorer: fast, offline, explainable (no model, no litellm).

``score_message`` reads one outreach message and returns a :class:`~drafter.scorecard.ScoreCard`
with a verdict for each of the six rubric dimensions (docs/design/rubric.md), every finding
naming the words that caused it (character spans into the body) and a one-line fix.

Overall rule (``overall_verdict``, the rules' verdict):

* ``entitled`` when any ask is large (contacts, network, intros, investors, referrals, free
  work, long or urgent reviews, mentorship, promotion to their audience), the
  proportionate-ask dimension fails (six or more stacked asks), or the message pressures or
  guilts them; a job ask, an open-ended meeting, "pick your brain" and a vague ask are small
  but weak (``weak_kinds`` in ``asks.yaml``);
* else ``needs_work`` when personalization or credibility fails, or a non-passing ask comes
  from a sender who neither says who they are nor names anything of theirs;
* else ``acceptable``.

Where the rules do not find the message entitled, the learned reader
(``drafter.scoring.learned``) decides between acceptable and needs_work (``_decide``).

Every phrase list lives in ``drafter/data/phrases/*.yaml`` and is compiled once per process.
"""

from __future__ import annotations

from collections.abc import Sequence

from drafter.links import foreign_channels
from drafter.scorecard import (
    DIMENSIONS,
    AskFound,
    ChannelLimits,
    DimensionResult,
    Finding,
    Metrics,
    Overall,
    Reading,
    ScoreCard,
    Verdict,
)
from drafter.scoring.asks import find_asks
from drafter.scoring.credibility import check_credibility
from drafter.scoring.exchange import check_ask, check_reciprocity
from drafter.scoring.findings import finding, rollup, span
from drafter.scoring.learned import Reader, fails_at, features, reader
from drafter.scoring.massmail import check_mass_mail
from drafter.scoring.offers import find_offers
from drafter.scoring.personalization import Grounding, check_personalization
from drafter.scoring.phrases import phrases
from drafter.scoring.respect import check_respect
from drafter.scoring.text import Sentence, fold, readability, sentences, words
from drafter.types import Channel, ScoreRequest, channel_limit

__all__ = ["next_step", "overall_verdict", "rule_card", "score_message",
           "score_request"]


_OWED = frozenset({"respect.pressure", "respect.guilt"})
_FILLED = frozenset({"mass_mail.placeholder", "mass_mail.impersonal_greeting"})
# Which dimension's fix comes first when a message needs work: the ask and the reference to
# their work decide most replies; form comes last.
_FIX_ORDER = ("proportionate_ask", "personalization", "credibility", "reciprocity", "mass_mail",
              "respect")


def overall_verdict(dimensions: Sequence[DimensionResult], asks: Sequence[AskFound]) -> Overall:
    """The rules' verdict (also the judge's, over its combined dimensions).

    * ``entitled``: a large ask, a failing proportionate ask (stacked asks), or pressure and
      guilt: the recipient's time, network or work treated as owed.
    * ``needs_work``: nothing about them (personalization fails) or a credibility failure
      (fake familiarity, stacked flattery); or a vague ask from a sender who neither says who
      they are nor names anything of theirs.
    * ``acceptable``: otherwise. The annotators' verdicts follow this shape (GUIDE.md): one
      small ask, or a vague one from someone who says who they are, is fine even with nothing
      given.
    """
    by = {d.dimension: d.verdict for d in dimensions}
    codes = {f.code for d in dimensions for f in d.findings}
    if (any(a.size == "large" for a in asks) or by.get("proportionate_ask") == "fail"
            or codes & _OWED):
        return "entitled"
    if by.get("personalization") == "fail" or by.get("credibility") == "fail":
        return "needs_work"
    if by.get("proportionate_ask") == "pass":
        return "acceptable"
    return "acceptable" if "pass" in (by.get("credibility"), by.get("personalization")) \
        else "needs_work"


def next_step(overall: Overall, dimensions: Sequence[DimensionResult]) -> str | None:
    """The one change that would move the verdict up (for ``acceptable``: the best polish)."""
    by = {d.dimension: d for d in dimensions}
    if overall == "entitled":
        owed = [f for d in dimensions for f in d.findings
                if f.verdict == "fail" and (f.code.startswith("ask.") or f.code in _OWED)]
        if owed:
            return owed[0].fix
    for verdict in ("fail", "weak"):
        for name in _FIX_ORDER:
            d = by.get(name)
            if d is not None and d.verdict == verdict and d.fix:
                return d.fix
    return None


def _metrics(
    body: str, sents: list[Sentence], asks: int, subject: str | None
) -> Metrics:
    ease, grade = readability(body, len(sents))
    return Metrics(
        words=len(words(body)), characters=len(body), sentences=len(sents),
        questions=sum(1 for s in sents if s.is_question), asks=asks,
        reading_ease=ease, reading_grade=grade,
        subject_words=len(words(subject)) if subject is not None else None,
    )


def _link_findings(body: str, allowed: Sequence[str] | None) -> list[Finding]:
    """Links, e-mail addresses and phone numbers in the message must be ones we were given
    (host and path compared, never a prefix of the text). ``None``: nothing to check against
    (a message scored on its own, whose links are its writer's); an empty list: the sender
    supplied none, so none may appear."""
    if allowed is None:
        return []
    out: list[Finding] = []
    for c in foreign_channels(body, " ".join(allowed)):
        if c.kind == "link":
            out.append(finding("credibility", "fail", "credibility.unverified_link",
                               "A link that is neither the sender's nor the recipient's work.",
                               "Link only to pages you supplied.", [span(body, c.start, c.end)]))
        else:
            out.append(finding("credibility", "fail", "credibility.unverified_contact",
                               "An e-mail address or phone number the sender did not give.",
                               "Give only your own address or number, as you typed it.",
                               [span(body, c.start, c.end)]))
    return out


def _summary(overall: Overall, dims: list[DimensionResult], asks: list[AskFound]) -> str:
    large = [a for a in asks if a.size == "large"]
    if large:
        return f'entitled: large ask ({large[0].kind}: "{large[0].text}")'
    bad = [f"{d.dimension} {d.verdict}" for d in dims if d.verdict != "pass"]
    return f"{overall}: " + ("; ".join(bad) if bad else "all six dimensions pass")


def score_message(
    body: str,
    *,
    subject: str | None = None,
    works: Sequence[str] = (),
    channel: Channel = "email",
    linkedin_free_account: bool = False,
    sender_name: str | None = None,
    sender_about: str | None = None,
    recipient_name: str | None = None,
    allowed_urls: Sequence[str] | None = None,
    supplied: str = "",
) -> ScoreCard:
    """Score one message body against the rubric; spans index ``body`` as given.

    ``supplied`` is what the sender typed (goal, offer, bio): words they put in quotation
    marks themselves are theirs to vouch for, not a claim about the recipient's work."""
    card = rule_card(body, subject=subject, works=works, channel=channel,
                     linkedin_free_account=linkedin_free_account, sender_name=sender_name,
                     sender_about=sender_about, recipient_name=recipient_name,
                     allowed_urls=allowed_urls, supplied=supplied)
    return _decide(card, body, subject, coach=not works)


def rule_card(
    body: str,
    *,
    subject: str | None = None,
    works: Sequence[str] = (),
    channel: Channel = "email",
    linkedin_free_account: bool = False,
    sender_name: str | None = None,
    sender_about: str | None = None,
    recipient_name: str | None = None,
    allowed_urls: Sequence[str] | None = None,
    supplied: str = "",
) -> ScoreCard:
    """The rules' card alone, before the learned verdict: its ``overall`` is the rules' verdict
    and it has no ``reading`` (the learned model is trained on these cards)."""
    ph = phrases()
    folded = fold(body)
    sents = sentences(folded)
    asks = find_asks(body, folded, sents, ph)
    offers = find_offers(body, sents, ph)
    metrics = _metrics(body, sents, len(asks), subject)
    limit = channel_limit(channel, linkedin_free_account=linkedin_free_account)
    limits = ChannelLimits(channel=channel, max_characters=limit, characters=len(body),
                           within_limit=len(body) <= limit)
    known = " ".join(x for x in (sender_about, sender_name, recipient_name) if x)
    grounding = Grounding.build(works, known, ph, supplied)
    personal = check_personalization(body, folded, sents, grounding, ph)
    praise = sum(1 for f in personal if f.code == "personalization.generic_praise")
    found = {
        "personalization": personal,
        "reciprocity": check_reciprocity(offers, asks, ph.asks["weak_kinds"]),
        # A thank-you note gives something (its purpose is plain) even when it names no effect.
        "proportionate_ask": check_ask(asks, ph, gives=bool(offers.offers) or offers.thanked),
        "credibility": check_credibility(body, folded, sender_name, praise, ph)
        + _link_findings(body, allowed_urls),
        "respect": check_respect(body, folded, metrics, limits, ph),
        "mass_mail": check_mass_mail(body, folded, subject, recipient_name, ph),
    }
    dims = [rollup(d, found[d]) for d in DIMENSIONS]
    overall = overall_verdict(dims, asks)
    return ScoreCard(overall=overall, dimensions=dims, metrics=metrics, limits=limits,
                     asks=asks, offers=offers.offers, summary=_summary(overall, dims, asks))


# A reader may mark a dimension down where no rule fired: the generic fix for it.
_DEFAULT_FIX = {
    "personalization": "Name one specific thing they made or wrote: a title, a detail, a number.",
    "reciprocity": "Offer one concrete thing they can take without saying yes: a finding, a "
                   "fix, data, a citation.",
    "proportionate_ask": "Ask one small, specific thing they can answer in a reply.",
    "credibility": "Say in one line who you are and why you write to them.",
    "respect": "Make it shorter and easier to decline.",
    "mass_mail": "Write it for this one person: no template phrases.",
}


def _read_dimension(d: DimensionResult, r: Reader, z: list[float]) -> DimensionResult:
    """A pasted message's dimension as the learned reader grades it; a finding the rules are
    sure of (an entitled ask, pressure, a template slot...) still fails it."""
    verdict: Verdict = "fail" if fails_at(d.findings, r.floors) else r.dimension(d.dimension, z)
    if verdict == "pass":
        return d.model_copy(update={"verdict": verdict, "fix": None})
    rank = {"fail": 0, "weak": 1, "pass": 2}
    flagged = sorted((x for x in d.findings if x.verdict != "pass"), key=lambda x: rank[x.verdict])
    fix = flagged[0].fix if flagged else _DEFAULT_FIX[d.dimension]
    return d.model_copy(update={"verdict": verdict, "fix": fix})


def _decide(card: ScoreCard, body: str, subject: str | None, coach: bool) -> ScoreCard:
    """The final card. Entitled is the rules' call. Otherwise the learned reader decides
    acceptable or needs_work (drafter.scoring.learned), with its reasons by name. In coach mode
    (no works supplied: the message as pasted) the reader also grades each dimension; with
    works, the dimensions stay the rules', verified against the works."""
    r = reader()
    f = features(card, body, subject)
    z = r.logits(f, acceptable_only=not coach)
    dims = [_read_dimension(d, r, z) for d in card.dimensions] if coach else card.dimensions
    overall: Overall = card.overall
    p: float | None = None
    toward: list[str] = []
    against: list[str] = []
    if overall != "entitled":
        p = r.p_acceptable(z)
        # A failure the rules are sure of (fake familiarity, spintax, over the channel's limit)
        # keeps a message from being ready to send, however it reads. A template's slot does
        # not: it is judged as the sender will fill it (GUIDE.md), and mass_mail fails on it.
        sure = fails_at((x for d in card.dimensions for x in d.findings), r.floors - _FILLED)
        overall = "acceptable" if p >= r.threshold and not sure else "needs_work"
        toward, against = r.reasons(f, quiet=phrases().stopwords)
    reading = Reading(p_acceptable=None if p is None else round(p, 3), rules=card.overall,
                      toward=toward, against=against,
                      dimensions_by="reader" if coach else "rules")
    return card.model_copy(update={
        "overall": overall, "dimensions": dims, "summary": _summary(overall, dims, card.asks),
        "reading": reading, "next_step": next_step(overall, dims)})


def score_request(req: ScoreRequest) -> ScoreCard:
    """``score_message`` for the wire request shared by ``drafter score`` and POST /v1/score."""
    return score_message(req.message, subject=req.subject, works=req.works, channel=req.channel,
                         linkedin_free_account=req.linkedin_free_account,
                         sender_name=req.sender_name, recipient_name=req.recipient_name)
