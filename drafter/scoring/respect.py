"""Respect for time and autonomy: pressure, guilt, length, reading level, channel limit."""

from __future__ import annotations

from typing import Any

from drafter.scorecard import ChannelLimits, Finding, Metrics, Verdict
from drafter.scoring.findings import finding, span
from drafter.scoring.phrases import Phrases

__all__ = ["check_respect"]

_DIM = "respect"


def _phrase_findings(body: str, folded: str, ph: Phrases) -> list[Finding]:
    r = ph.respect
    out: list[Finding] = []
    rules: tuple[tuple[str, Verdict, str, str, str], ...] = (
        ("pressure", "fail", "respect.pressure", "Puts the sender's deadline on the recipient.",
         "Drop the deadline; make it easy to say no or not to answer."),
        ("guilt", "fail", "respect.guilt", "Presumes or pressures instead of asking.",
         "Ask plainly and make declining easy."),
        ("soft_pressure", "weak", "respect.soft_pressure", "Leans on the recipient a little.",
         "Cut it; a short, easy-to-decline message needs no nudge."),
    )
    for key, verdict, code, message, fix in rules:
        for m in r[key].finditer(folded):
            if key == "pressure" and _own_commitment(folded, m.start(), m.end(), r):
                continue
            out.append(finding(_DIM, verdict, code, message, fix,
                               [span(body, m.start(), m.end())]))
    return out


def _own_commitment(folded: str, at: int, end: int, r: dict[str, Any]) -> bool:
    """Whether the deadline at ``at`` is one the sender sets themselves ("I can file by
    Wednesday"), read on its sentence up to the deadline."""
    start = max(folded.rfind(c, 0, at) for c in ".!?\n") + 1
    return bool(r["own_commitment"].search(folded[start:end]))


def check_respect(
    body: str, folded: str, metrics: Metrics, limits: ChannelLimits, ph: Phrases
) -> list[Finding]:
    t = ph.thresholds
    out = _phrase_findings(body, folded, ph)
    if not limits.within_limit:
        out.append(finding(
            _DIM, "fail", "respect.channel_limit",
            f"{limits.characters} characters; {limits.channel} allows {limits.max_characters}.",
            f"Cut the message to {limits.max_characters} characters."))
    if metrics.words > t["first_message_max_words"]:
        out.append(finding(
            _DIM, "weak", "respect.length",
            f"{metrics.words} words; first messages over ~{t['first_message_max_words']} "
            "get fewer replies.", "Cut to what they need: who you are, the gift, one ask."))
    if metrics.questions > t["max_questions"]:
        out.append(finding(
            _DIM, "weak", "respect.questions",
            f"{metrics.questions} questions; more than {t['max_questions']} hurt replies.",
            "Keep the one question that matters most."))
    if metrics.reading_ease < t["reading_ease_weak_below"]:
        out.append(finding(
            _DIM, "weak", "respect.reading_level",
            f"Flesch reading ease {metrics.reading_ease:.0f} (grade {metrics.reading_grade:.0f}); "
            f"below {t['reading_ease_weak_below']} is hard going.",
            "Use shorter sentences and plainer words."))
    return out
