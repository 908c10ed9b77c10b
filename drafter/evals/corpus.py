"""The scorer against the independently labelled corpus (``evals/labelled/corpus``).

Every ``drafter eval`` run measures the scorer on the corpus, per split: Cohen's kappa for the
three-way verdict, entitled vs rest, acceptable vs rest and each rubric dimension, with a 95%
bootstrap confidence interval (1,000 resamples of the messages, fixed seed), beside the
annotators' own agreement on the same messages (the ceiling). ``dev`` is what the rules and
the learned verdict were tuned on; ``test`` is only ever measured.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drafter.evals.calibration import cohen_kappa
from drafter.evals.files import write_atomic
from drafter.progress import Progress, quiet
from drafter.scorecard import DIMENSIONS, ScoreCard
from drafter.types import Channel

__all__ = ["CorpusMessage", "agreement_section", "load_corpus", "score_corpus"]

# Where a message was published -> the channel whose limits it is scored under.
_CHANNELS: dict[str, Channel] = {"linkedin": "linkedin_message", "dm": "dm"}
_RESAMPLES = 1000


@dataclass(frozen=True)
class CorpusMessage:
    id: str
    text: str
    subject: str | None
    channel: Channel
    split: str
    verdict: str  # the adjudicated label
    labels: dict[str, str]
    annotators: tuple[dict[str, Any], ...]  # the two independent labels


def load_corpus(path: Path) -> list[CorpusMessage]:
    out: list[CorpusMessage] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        r = json.loads(line)
        out.append(CorpusMessage(
            id=r["id"], text=r["text"], subject=r.get("subject"),
            channel=_CHANNELS.get(r.get("channel", ""), "email"), split=r["split"],
            verdict=r["final"]["verdict"], labels=dict(r["final"]["labels"]),
            annotators=tuple({"verdict": a["verdict"], **a["labels"]}
                             for a in r["annotations"][:2])))
    return out


def score_corpus(msgs: Sequence[CorpusMessage]) -> list[ScoreCard]:
    """Score each message as a user would paste it: the text alone, no works."""
    from drafter.scoring import score_message

    return [score_message(m.text, subject=m.subject, channel=m.channel) for m in msgs]


def _binary(labels: Sequence[str], positive: str) -> list[str]:
    return [positive if x == positive else "rest" for x in labels]


def _kappa_ci(human: Sequence[str], other: Sequence[str], rng: random.Random) -> dict[str, Any]:
    n = len(human)
    point = cohen_kappa(human, other)
    draws: list[float] = []
    for _ in range(_RESAMPLES):
        idx = [rng.randrange(n) for _ in range(n)]
        draws.append(cohen_kappa([human[i] for i in idx], [other[i] for i in idx]))
    draws.sort()
    lo, hi = draws[int(0.025 * _RESAMPLES)], draws[int(0.975 * _RESAMPLES) - 1]
    return {"kappa": round(point, 3), "ci95": [round(lo, 3), round(hi, 3)]}


def _labels(msgs: Sequence[CorpusMessage], cards: Sequence[ScoreCard] | None,
            annotator: int | None) -> dict[str, list[str]]:
    """Per measure, one label per message: from the cards, or from one annotator."""
    def pick(m: CorpusMessage, i: int, name: str) -> str:
        if cards is not None:
            c = cards[i]
            return c.overall if name == "verdict" else c.dimensions[DIMENSIONS.index(name)].verdict
        if annotator is not None:
            return str(m.annotators[annotator][name])
        return m.verdict if name == "verdict" else m.labels[name]
    names = ("verdict", *DIMENSIONS)
    return {name: [pick(m, i, name) for i, m in enumerate(msgs)] for name in names}


def _measures(a: dict[str, list[str]], b: dict[str, list[str]],
              rng: random.Random) -> dict[str, Any]:
    out = {"verdict": _kappa_ci(a["verdict"], b["verdict"], rng),
           "entitled_vs_rest": _kappa_ci(_binary(a["verdict"], "entitled"),
                                         _binary(b["verdict"], "entitled"), rng),
           "acceptable_vs_rest": _kappa_ci(_binary(a["verdict"], "acceptable"),
                                           _binary(b["verdict"], "acceptable"), rng)}
    for d in DIMENSIONS:
        out[d] = _kappa_ci(a[d], b[d], rng)
    return out


def agreement_section(path: Path | None) -> dict[str, Any] | None:
    """The report's corpus section: scorer vs the adjudicated labels, and the ceiling."""
    if path is None:
        return None
    if not path.is_file():
        return {"path": str(path), "error": "labelled corpus not found"}
    msgs = load_corpus(path)
    cards = score_corpus(msgs)
    rng = random.Random(12)  # noqa: S311 - resampling, not secrets: same corpus, same CIs
    splits: dict[str, Any] = {}
    for split in ("dev", "test"):
        idx = [i for i, m in enumerate(msgs) if m.split == split]
        part = [msgs[i] for i in idx]
        if not part:
            continue
        human = _labels(part, None, None)
        scorer = _labels(part, [cards[i] for i in idx], None)
        verdicts = {v: scorer["verdict"].count(v)
                    for v in ("acceptable", "needs_work", "entitled")}
        splits[split] = {
            "n": len(part), "scorer_verdicts": verdicts,
            "scorer": _measures(human, scorer, rng),
            "annotators": _measures(_labels(part, None, 0), _labels(part, None, 1), rng)}
    from drafter.scoring.learned import reader

    cv = reader().cross_validated
    return {"path": str(path), "tuned_on": "dev", "splits": splits,
            "dev_cross_validated": {k: max(v.values()) for k, v in cv.items()},
            "reader_trained_on": reader().trained_on}


async def judge_section(path: Path, client: Any, *, split: str = "test", limit: int | None = None,
                        say: Progress = quiet) -> dict[str, Any]:
    """The optional model judge on the same corpus split: its dimensions combined with the
    scorer's (the stricter wins, as ``drafter score --judge`` does) and the combined verdict,
    against the adjudicated labels. Slow (one call per dimension per message): opt-in, via
    ``python -m drafter.evals.corpus judge``."""
    from drafter.errors import DrafterError
    from drafter.judge import combine, judge_message
    from drafter.scoring import score_request
    from drafter.types import ScoreRequest

    msgs = [m for m in load_corpus(path) if m.split == split][:limit]
    kept: list[CorpusMessage] = []
    alone: list[ScoreCard] = []  # the scorer's cards, for the same messages without the judge
    cards: list[ScoreCard] = []
    errors = 0
    for i, m in enumerate(msgs, 1):
        req = ScoreRequest(message=m.text, subject=m.subject, channel=m.channel)
        card = score_request(req)
        try:
            verdicts = await judge_message(req, client=client)
        except DrafterError:
            errors += 1  # an unusable judge reply is an error, never a pass
            continue
        judged = combine(card, verdicts, judge_model=client.model_id)
        dims = [d.model_copy(update={"verdict": judged.combined[d.dimension]})
                for d in card.dimensions]
        cards.append(card.model_copy(update={"dimensions": dims, "overall": judged.overall}))
        alone.append(card)
        kept.append(m)
        say(f"[{i}/{len(msgs)}] {m.id}: judge+scorer {judged.overall}, label {m.verdict}")
    rng = random.Random(12)  # noqa: S311 - resampling, not secrets
    if not kept:
        return {"split": split, "n": 0, "errors": errors, "model": client.model_id}
    return {"split": split, "n": len(kept), "errors": errors, "model": client.model_id,
            "judged": _measures(_labels(kept, None, None), _labels(kept, cards, None), rng),
            "scorer_alone": _measures(_labels(kept, None, None), _labels(kept, alone, None),
                                      rng)}


def main(argv: list[str] | None = None) -> int:
    """``python -m drafter.evals.corpus judge [--limit N] [--model M] [--out F]``."""
    import argparse
    import asyncio
    import sys

    from drafter.config import load_settings
    from drafter.model.litellm_client import LiteLLMClient

    ap = argparse.ArgumentParser(prog="python -m drafter.evals.corpus")
    ap.add_argument("command", choices=["judge"])
    ap.add_argument("--corpus", type=Path, default=Path("evals/labelled/corpus/messages.jsonl"))
    ap.add_argument("--split", default="test")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--model", help="the judge's model (default: DRAFTER_MODEL)")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)

    def say(text: str) -> None:
        sys.stderr.write(text + "\n")

    client = LiteLLMClient(load_settings(model=args.model), progress=say)
    result = asyncio.run(judge_section(args.corpus, client, split=args.split,
                                       limit=args.limit, say=say))
    text = json.dumps(result, indent=1)
    if args.out:
        write_atomic(args.out, text + "\n")
    sys.stdout.write(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
