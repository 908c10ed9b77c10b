"""The three reports of a run: JSON (machines), Markdown (people, CI logs, PRs), JUnit XML (CI).

``report.json`` is the :class:`~drafter.evals.results.Report` schema. ``report.md`` gives the
verdict and its reasons, the per-criterion table, the realistic cases by split, the blind
review, every failing or errored case with its draft, the baseline comparison, usage, the
scorer on the independent corpus and the calibration section. ``junit.xml`` has one test case
per eval case; a failing criterion is a ``<failure>``, a model/fixture error an ``<error>``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, get_args

from drafter.evals.dataset import Split
from drafter.evals.files import write_atomic
from drafter.evals.goals import lines as goal_lines
from drafter.evals.results import CaseResult, Report

__all__ = ["render_junit", "render_markdown", "write_reports"]


def _pct(v: float | None) -> str:
    return "n/a" if v is None else f"{v:.0%}"


def _header(r: Report) -> list[str]:
    s, run = r.summary, r.run
    return [
        f"# drafter eval: {s.status.upper().replace('_', ' ')} (exit {s.exit_code})", "",
        f"- tier **{run.tier}**, model `{run.model}`, prompt template `{run.template_hash}`",
        f"- rubric `{run.rubric}` {run.rubric_version}, dataset {', '.join(run.dataset_files)}"
        f" (`{run.dataset_sha256}`), repeat {run.repeat}",
        f"- cases: {s.cases}; passed {s.passed}, failed {s.failed}, errors {s.errors} "
        f"(case pass rate {_pct(s.case_pass_rate)})",
        *_part_lines(r), *[f"- **{reason}**" for reason in s.reasons], ""]


def _part_lines(r: Report) -> list[str]:
    """Which part of a run this is: one shard, or shards merged back into the whole."""
    if r.shard is not None:
        return [f"- **shard {r.shard.index}/{r.shard.count}**: {r.shard.cases} of "
                f"{len(r.shard.selection)} cases; the gate of the whole run is `drafter eval "
                "--merge`"]
    if r.merged_from:
        return [f"- merged from {len(r.merged_from)} shard reports: "
                + ", ".join(f"`{f}`" for f in r.merged_from)]
    return []


def _criteria_table(r: Report) -> list[str]:
    rows = ["## Criteria", "", "| criterion | pass rate | ± stderr | pass-all-N | threshold "
            "| gate | passed | failed | n/a | errors | met |",
            "|---|---|---|---|---|---|---|---|---|---|---|"]
    for c in r.criteria:
        se = "" if c.stderr is None else f"{c.stderr:.3f}"
        rows.append(f"| {c.name} | {_pct(c.pass_rate)} | {se} | {_pct(c.pass_all_n)} | "
                    f"{c.threshold:.0%} | {'yes' if c.gate else 'no'} | {c.passed} | "
                    f"{c.failed} | {c.not_applicable} | {c.errors} | "
                    f"{'yes' if c.met else '**NO**'} |")
    rows.append("")
    rows += [f"- **{c.name}** failed in: {', '.join(c.failing_cases)}"
             for c in r.criteria if c.failing_cases]
    return [*rows, ""]


def _case_lines(case: CaseResult) -> list[str]:
    out = [f"### {case.id} ({case.persona}, {case.channel}): {case.status.upper()}"]
    for rep in case.repeats:
        tag = f"repeat {rep.repeat}: " if len(case.repeats) > 1 else ""
        if rep.error:
            out.append(f"- {tag}ERROR `{rep.error.code}`: {rep.error.message}")
            continue
        out += [f"- {tag}FAIL **{c.name}**: {c.reason}" for c in rep.criteria
                if c.passed is False]
        out += [f"- {tag}JUDGE ERROR **{c.name}**: {c.error}" for c in rep.criteria if c.error]
        if rep.body and any(c.passed is False for c in rep.criteria):
            quoted = "\n".join(f"  > {line}" for line in rep.body.splitlines())
            out.append(f"- {tag}draft (score {rep.score}):\n{quoted}")
    return [*out, ""]


def _usage_lines(r: Report) -> list[str]:
    u = r.usage
    cost = f"${u.cost_usd:.4f}" if u.cost_usd is not None else "n/a"
    return ["## Usage", "",
            f"{u.model_calls} model call(s), {u.prompt_tokens} prompt + {u.completion_tokens} "
            f"completion tokens, {u.model_seconds:.1f} s model time, {u.wall_seconds:.1f} s "
            f"wall; cache {u.cache_hits} hit(s) / {u.cache_misses} miss(es); replayed "
            f"{u.replayed_calls}, recorded {u.recorded_calls}; cost {cost} ({u.cost_note})", ""]


_MEASURES = ("verdict", "entitled_vs_rest", "acceptable_vs_rest", "personalization",
             "reciprocity", "proportionate_ask", "credibility", "respect", "mass_mail")


def _kappa(m: dict[str, Any]) -> str:
    lo, hi = m["ci95"]
    return f"{m['kappa']:.3f} [{lo:.2f}, {hi:.2f}]"


def _corpus_lines(r: Report) -> list[str]:
    c = r.corpus
    if not c or "splits" not in c:
        return ["## The scorer on the independent corpus", "",
                f"not run ({(c or {}).get('error', 'no corpus')})", ""]
    out = ["## The scorer on the independent corpus", "",
           f"`{c['path']}`: real messages labelled by two annotators from GUIDE.md, scored as "
           "pasted (text only, no works). Cohen's kappa against the adjudicated labels with a "
           "95% bootstrap interval; the annotators' agreement with each other is the ceiling. "
           f"Rules and learned verdict were tuned on `{c['tuned_on']}` only: `test` is the "
           "honest figure.", ""]
    for split, v in c["splits"].items():
        verdicts = ", ".join(f"{k} {n}" for k, n in v["scorer_verdicts"].items())
        out += [f"**{split}** (n = {v['n']}; scorer said {verdicts})", "",
                "| measure | scorer vs labels | annotator vs annotator |", "|---|---|---|"]
        out += [f"| {m} | {_kappa(v['scorer'][m])} | {_kappa(v['annotators'][m])} |"
                for m in _MEASURES]
        out.append("")
    cv = c.get("dev_cross_validated")
    if cv:
        out += ["On `dev` the learned reader has seen every message, so its `dev` figures are "
                "in-sample; cross-validated on `dev` (5 folds, from training: "
                f"{c['reader_trained_on']}): "
                + ", ".join(f"{k} {v:.3f}" for k, v in cv.items()) + ".", ""]
    return out


def _calibration_lines(r: Report) -> list[str]:
    cal = r.calibration
    if not cal or "scorer" not in cal:
        return ["## Calibration", "", f"not run ({(cal or {}).get('error', 'no labelled set')})",
                ""]
    scorer = cal["scorer"]
    assert isinstance(scorer, dict)
    rows = ["## Calibration on the hand-written set (same hand as the rules)", "",
            f"Labelled set `{cal['path']}`, n = {cal['n']}: written and labelled by the "
            "authors of the rules, so this measures agreement with ourselves, not with "
            f"readers (see the independent corpus above). {cal['judge_note']}.", "",
            "| label | kappa | agreement | false positives | false negatives |",
            "|---|---|---|---|---|"]
    for a in [scorer["verdict"], *scorer["dimensions"]]:
        fp = ", ".join(d["id"] for d in a["false_positives"]) or "-"
        fn = ", ".join(d["id"] for d in a["false_negatives"]) or "-"
        rows.append(f"| {a['name']} | {a['kappa']:.3f} | {a['percent_agreement']}% | {fp} | "
                    f"{fn} |")
    return [*rows, ""]


def _comparison_lines(r: Report) -> list[str]:
    c = r.comparison
    if c is None:
        return []
    out = ["## Against the baseline", "",
           f"Baseline `{c.baseline}` (model `{c.baseline_model}`, template "
           f"`{c.baseline_template_hash}`): {c.regressions} worse, {c.improvements} better.", ""]
    for ch in c.changes:
        out.append(f"- {'WORSE' if ch.kind == 'worse' else 'better'}: {ch.case} "
                   f"{ch.criterion} {ch.before} -> {ch.after}")
    out += [f"- new case: {i}" for i in c.new_cases]
    out += [f"- missing case: {i}" for i in c.missing_cases]
    return [*out, ""]


def _split_lines(r: Report) -> list[str]:
    """Pass counts per split: test cases are only ever measured, never tuned on."""
    rows = []
    for split in get_args(Split):
        cases = [c for c in r.cases if c.split == split and "real" in c.tags]
        if cases:
            passed = sum(c.status == "pass" for c in cases)
            rows.append(f"| {split} | {len(cases)} | {passed} |")
    if not rows:
        return []
    return ["## Realistic cases by split", "", "| split | cases | passed |", "|---|---|---|",
            *rows, ""]


def _review_lines(r: Report) -> list[str]:
    rv = r.review
    if not rv:
        return ["## Blind review", "", "No reviewer grades match these drafts.", ""]
    lines = ["## Blind review", "",
             f"{rv['graded_cases']} drafts graded by {rv['reviewers_per_case']} reviewers each "
             f"(stale grades not counted: {rv['stale_grades']}); reviewers' agreement "
             f"(kappa, the ceiling): {rv['inter_reviewer_kappa']} "
             f"({rv['inter_reviewer_agreement']}); drafter's checks vs reviewers: kappa "
             f"{rv['drafter_vs_reviewers_kappa']}.", "",
             "| split | drafts | drafter passed | reviewers passed | both | false passes |",
             "|---|---|---|---|---|---|"]
    splits = rv["by_split"]
    assert isinstance(splits, dict)
    for name, f in splits.items():
        lines.append(f"| {name} | {f['cases']} | {f['drafter_passed']} | "
                     f"{f['reviewers_passed']} | {f['both_passed']} | "
                     f"{len(f['false_passes'])} {', '.join(f['false_passes'])} |")
    return [*lines, ""]


def render_markdown(r: Report) -> str:
    bad = [c for c in r.cases if c.status != "pass"]
    failing = ["## Failing and errored cases", ""]
    for case in bad:
        failing += _case_lines(case)
    if not bad:
        failing += ["None.", ""]
    lines = [*_header(r), *_criteria_table(r), *_split_lines(r), *_review_lines(r), *failing,
             *_comparison_lines(r), *_usage_lines(r), *_corpus_lines(r), *goal_lines(r.goals),
             *_calibration_lines(r)]
    return "\n".join(lines).rstrip() + "\n"


def _junit_case(suite: ET.Element, case: CaseResult) -> None:
    secs = sum(r.model_seconds for r in case.repeats)
    tc = ET.SubElement(suite, "testcase", classname=f"drafter.eval.{case.persona}",
                       name=case.id, time=f"{secs:.3f}")
    errors = [r.error for r in case.repeats if r.error]
    if errors:
        el = ET.SubElement(tc, "error", type=errors[0].code, message=errors[0].message[:300])
        el.text = "\n".join(f"{e.code}: {e.message}" for e in errors)
        return
    fails = [f"repeat {r.repeat} {c.name}: {c.reason}" for r in case.repeats
             for c in r.criteria if c.passed is False]
    if case.status == "fail":
        names = sorted({c.name for r in case.repeats for c in r.criteria if c.passed is False})
        el = ET.SubElement(tc, "failure", type="criteria", message=", ".join(names))
        el.text = "\n".join(fails)


def render_junit(r: Report) -> str:
    s = r.summary
    root = ET.Element("testsuites", name="drafter-eval")
    suite = ET.SubElement(root, "testsuite", name=f"drafter-eval-{r.run.tier}",
                          tests=str(s.cases), failures=str(s.failed), errors=str(s.errors),
                          time=f"{r.usage.wall_seconds:.3f}")
    props = ET.SubElement(suite, "properties")
    for key in ("tier", "model", "template_hash", "rubric_version", "dataset_sha256"):
        ET.SubElement(props, "property", name=key, value=str(getattr(r.run, key)))
    for case in r.cases:
        _junit_case(suite, case)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def write_reports(r: Report, out: Path) -> dict[str, Path]:
    paths = {"json": out / "report.json", "markdown": out / "report.md",
             "junit": out / "junit.xml"}
    # Atomic: a CI step reading report.json never sees half of one, and a merge of shard
    # reports never reads a report its run is still writing.
    write_atomic(paths["json"], r.model_dump_json(indent=2) + "\n")
    write_atomic(paths["markdown"], render_markdown(r))
    write_atomic(paths["junit"], render_junit(r))
    return paths
