"""Note-style typing said as prose, in the sender's own lines (never the recipient's).

People type "freelance science journalist, 2 yrs, mostly ecology. a few bylines in hakai +
regional papers" and "solo bookkeeper, 6 yrs in, listen to her show on walks". Pasted as typed
into "I'm ...", blind reviewers read such lines as unedited notes the sender would rewrite
before sending. The rewrite adds no fact: abbreviations spelled out, "+" said as "and", a bare
"6 yrs" said as "for 6 years", a bare verb given its "I"."""

from __future__ import annotations

import re
from functools import cache

from drafter.wordlists import plan_data, words


@cache
def _rules() -> tuple[dict[str, str], re.Pattern[str], re.Pattern[str]]:
    data = plan_data("shorthand")
    table = {str(k): str(v) for k, v in data["words"].items()}
    # Longest first, so "w/o" is not read as "w/" + "o"; a word ends at a space, a comma or
    # the end, and a trailing full stop belongs to "incl." only when the table says so.
    keys = sorted(table, key=len, reverse=True)
    shorthand = re.compile(r"(?<![\w/])(" + "|".join(re.escape(k) for k in keys)
                           + r")(?![\w/])")
    dropped = re.compile(r"\s*\b(?:" + "|".join(str(data["drop"]).split()) + r")\b[.!]?",
                         re.IGNORECASE)
    return table, shorthand, dropped


def spell_out(text: str) -> str:
    """Abbreviations spelled out, " + " and " & " said as "and", chat interjections dropped:
    "4 yrs of steam sales + refunds lol" -> "4 years of steam sales and refunds"."""
    table, shorthand, dropped = _rules()
    out = shorthand.sub(lambda m: table[m.group(1)], text)
    out = re.sub(r"\s+[+&]\s+", " and ", out)
    out = dropped.sub("", out)
    return re.sub(r"\s+([,.!?])", r"\1", out).strip()


_VERBS = words("bio_verbs")
_SPAN = re.compile(r"^(?:(?:about|almost|over|nearly|~)\s*)?(\d+|a few|a couple of|several|"
                   r"many)\s+(years?|months?|weeks?)(?:\s+(?:in|now|so far))?$", re.IGNORECASE)


def bio_prose(about: str) -> str:
    """A bio typed as comma-separated notes, said as prose: "solo bookkeeper for therapists,
    6 yrs in, listen to her show on walks" -> "solo bookkeeper for therapists for 6 years.
    I listen to her show on walks"."""
    parts = [p.strip() for p in spell_out(about).split(",")]
    out = parts[:1]
    for part in parts[1:]:
        if not part:
            continue
        first = part.split()[0].lower()
        if m := _SPAN.match(part):
            out[-1] += f" for {m.group(1)} {m.group(2)}"
        elif first in _VERBS and first not in {"am", "have", "has"}:
            out[-1] += "."
            out.append(f"I {part}")
        elif first in {"i", "we", "i'm", "we're", "i've", "we've"}:
            out[-1] += "."  # "..., we run beam on dataflow": a sentence of its own
            out.append(part[0].upper() + part[1:])
        else:
            out.append(part)
    return re.sub(r"\., ", ". ", ", ".join(out))
