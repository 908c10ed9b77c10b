"""Mass-mail markers: template placeholders, spintax, impersonal greetings, filler, subjects."""

from __future__ import annotations

import re

from drafter.scorecard import Finding, Verdict
from drafter.scoring.findings import finding, span
from drafter.scoring.phrases import Phrases
from drafter.scoring.text import words

__all__ = ["check_mass_mail"]

_DIM = "mass_mail"
_RULES: tuple[tuple[str, Verdict, str, str, str], ...] = (
    ("placeholders", "fail", "mass_mail.placeholder", "An unfilled template placeholder.",
     "Write the message for this one person; no placeholders."),
    ("spintax", "fail", "mass_mail.spintax", "Spintax left in the text: the mark of a campaign.",
     "Pick the words you mean and delete the alternatives."),
    ("impersonal_greeting", "fail", "mass_mail.impersonal_greeting",
     "An impersonal greeting: this could go to anyone.", "Greet them by name."),
    ("filler", "weak", "mass_mail.filler", "Template filler that reads as a mass mailing.",
     "Cut it and open with the reason you are writing."),
)


def _subject(subject: str, recipient_name: str | None, ph: Phrases) -> list[Finding]:
    out: list[Finding] = []
    n = len(words(subject))
    limit = ph.thresholds["subject_max_words"]
    if n > limit:
        out.append(finding(_DIM, "weak", "mass_mail.subject_length",
                           f"Subject has {n} words; 3-4 words get the most replies.",
                           f"Cut the subject to {limit} words or fewer."))
    for part in (recipient_name or "").split():
        if len(part) > 1 and re.search(rf"\b{re.escape(part)}\b", subject, re.IGNORECASE):
            out.append(finding(_DIM, "weak", "mass_mail.name_in_subject",
                               "The recipient's name in the subject looks like a mail merge.",
                               "Take their name out of the subject line."))
            break
    return out


def check_mass_mail(
    body: str, folded: str, subject: str | None, recipient_name: str | None, ph: Phrases
) -> list[Finding]:
    out: list[Finding] = []
    for key, verdict, code, message, fix in _RULES:
        for m in ph.mass_mail[key].finditer(folded):
            out.append(finding(_DIM, verdict, code, message, fix,
                               [span(body, m.start(), m.end())]))
    if subject:
        out += _subject(subject, recipient_name, ph)
        for key in ("placeholders", "spintax"):
            if ph.mass_mail[key].search(subject):
                out.append(finding(_DIM, "fail", f"mass_mail.subject_{key}",
                                   "The subject line carries template markup.",
                                   "Write the subject for this one person."))
    return out
