"""Small constructors shared by the dimension checks."""

from __future__ import annotations

from collections.abc import Iterable

from drafter.scorecard import VERDICT_RANK, DimensionResult, Finding, Span, Verdict

__all__ = ["finding", "rollup", "span"]



def span(body: str, start: int, end: int) -> Span:
    """A span of ``body``, trimmed of surrounding white space."""
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    return Span(start=start, end=end, text=body[start:end])


def finding(  # noqa: PLR0917 - mirrors the fields of Finding, in order
    dimension: str, verdict: Verdict, code: str, message: str, fix: str, spans: Iterable[Span] = ()
) -> Finding:
    return Finding(
        dimension=dimension, verdict=verdict, code=code, message=message, fix=fix,
        spans=list(spans),
    )


def rollup(dimension: str, findings: list[Finding]) -> DimensionResult:
    """The dimension's verdict is its worst finding's; its fix is that finding's fix."""
    worst: Finding | None = None
    for f in findings:
        if worst is None or VERDICT_RANK[f.verdict] > VERDICT_RANK[worst.verdict]:
            worst = f
    verdict: Verdict = worst.verdict if worst else "pass"
    fix = worst.fix if worst is not None and verdict != "pass" else None
    ordered = sorted(findings, key=lambda f: -VERDICT_RANK[f.verdict])
    return DimensionResult(dimension=dimension, verdict=verdict, findings=ordered, fix=fix)
