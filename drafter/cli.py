"""``drafter`` command line: draft | score | serve | eval | profile | history | stats.

A thin adapter over the pipeline. Heavy imports (litellm, llama.cpp, FastAPI) happen inside
the commands that need them, so ``drafter --help`` answers at once. Errors print one clean
line on stderr and exit with the error's code (``drafter.errors``); under tests, pass
``raise_errors=True`` to get the exception instead.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drafter.channels import CHANNELS
from drafter.errors import ConfigError, DrafterError, FieldProblem, InputError

if TYPE_CHECKING:
    from drafter.config import Settings
    from drafter.model.protocol import ModelClient
    from drafter.scorecard import ScoreCard
    from drafter.types import DraftRequest, DraftResult, ScoreRequest

__all__ = ["build_parser", "main"]



def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


class _Version(argparse.Action):
    """``--version``: what ``GET /v1/info`` says, for this machine's settings. An action of its
    own (argparse's ``version`` takes a fixed string), so ``--help`` does not hash prompts."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        from drafter.about import version_lines
        from drafter.config import load_settings

        try:
            model = load_settings().model
        except ValueError as exc:  # a bad DRAFTER_* value: say so, keep the versions
            model = f"(settings invalid: {type(exc).__name__})"
        for line in version_lines(model):
            _out(line)
        parser.exit(0)


def _at_least_one(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a whole number of at least 1")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="drafter",
        description="Write one grounded, give-first outreach message to one person.")
    parser.add_argument("--version", action=_Version, nargs=0,
                        help="print drafter's version, prompt and rubric versions and model, "
                        "then exit")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    d = sub.add_parser("draft", help="draft a message",
                       description="Draft a message. Give --request FILE.json (the same JSON "
                       "as POST /v1/drafts), --example, or the flags below.")
    src = d.add_mutually_exclusive_group()
    src.add_argument("--request", metavar="FILE", help="request JSON file ('-' for stdin)")
    src.add_argument("--example", action="store_true", help="use the bundled example request")
    d.add_argument("--to", metavar="NAME", help="the recipient's name")
    d.add_argument("--headline", help="the recipient's role, e.g. 'maintainer of tidyframe'")
    d.add_argument("--work", metavar="FILE|URL", action="append", default=[],
                   help="their public work: a file, or a URL drafter fetches (repeatable)")
    d.add_argument("--step", type=int, metavar="N",
                   help="for a goal that asks too much: take first step N (as listed)")
    d.add_argument("--goal", help="what you hope for")
    d.add_argument("--no-goal-read", dest="read_goal", action="store_false",
                   help="skip the model's reading of the goal's size (when it read a small ask "
                   "as big); the phrase rules still flag what asks too much")
    d.add_argument("--me", metavar="'NAME, ABOUT'", help="who you are: 'Sam Ortiz, data "
                   "engineer at ...' (default: your sender profile, see 'drafter profile')")
    d.add_argument("--offer", help="what you can give first (default: the profile's offer)")
    d.add_argument("--profile", metavar="NAME",
                   help="the sender profile to use instead of --me (default: 'default')")
    d.add_argument("--no-history", action="store_true",
                   help="do not keep this draft in the history")
    d.add_argument("--channel", choices=CHANNELS, default="email")
    d.add_argument("--tone", choices=["warm", "direct", "formal", "casual"])
    d.add_argument("--variants", type=int, default=1, help="1-3 drafts")
    d.add_argument("--free-account", action="store_true",
                   help="LinkedIn free account (200-character notes)")
    d.add_argument("--model", help="any litellm model string (default: DRAFTER_MODEL, else the "
                   "embedded model)")
    d.add_argument("--json", action="store_true", help="print the API's JSON result")
    sc = sub.add_parser("score", help="judge a message against the rubric (offline, instant)",
                        description="Score a message: each rubric dimension with the words "
                        "that caused its verdict and a fix. No model is used unless --judge.")
    sc.add_argument("message", nargs="?", default="-",
                    help="file with the message body ('-' or nothing: stdin)")
    sc.add_argument("--subject", help="the subject line, for email")
    sc.add_argument("--work", metavar="FILE", action="append", default=[],
                    help="a file with the recipient's public work (repeatable)")
    sc.add_argument("--channel", choices=CHANNELS, default="email")
    sc.add_argument("--free-account", action="store_true")
    sc.add_argument("--request", metavar="FILE",
                    help="take works, channel and names from a draft request file")
    sc.add_argument("--json", action="store_true", help="print the API's JSON score card")
    sc.add_argument("--judge", action="store_true",
                    help="add the model-graded judge's opinion (uses the configured model)")
    sc.add_argument("--model", help="the judge's model (any litellm model string)")
    s = sub.add_parser("serve", help="run the HTTP API")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--model", help="any litellm model string (default: DRAFTER_MODEL, else the "
                   "embedded model)")
    s.add_argument("--workers", type=_at_least_one, metavar="N", help="worker processes (default: "
                   "DRAFTER_WORKERS, else 1); with the embedded model, only 1 unless "
                   "DRAFTER_ALLOW_EMBEDDED_WORKERS=true")
    v = sub.add_parser("verify-model", help="hash the embedded model's whole file against "
                       "its pin", description="Hash the embedded model's weights in full and "
                       "compare them with the pinned sha256 (a normal start trusts the "
                       "stamp written after the last full check while the file's size, mtime "
                       "and inode are unchanged).")
    v.add_argument("--model", help="an embedded model (default: DRAFTER_MODEL, else the "
                   "default embedded model)")
    s.add_argument("--allow-open-network", action="store_true", default=None,
                   help="listen on a non-loopback --host without API keys (anyone who can reach "
                   "it may use it); DRAFTER_ALLOW_OPEN_NETWORK=true does the same")
    from drafter.evals.cli import add_eval_parser  # argparse only: keeps --help fast

    add_eval_parser(sub)
    from drafter.cli_records import add_parsers

    add_parsers(sub)
    return parser


def _read(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}; check the path",
                         [FieldProblem("--work", f"cannot read {path}")]) from None


def _sender(args: argparse.Namespace) -> dict[str, str | None] | None:
    """The sender from the flags, else from the profile (flags win); None if neither."""
    from drafter.cli_records import sender_from_profile

    explicit = args.profile is not None
    profile = (sender_from_profile(args.profile, explicit=explicit)
               if explicit or not args.me else None)
    if args.me:
        name, _, about = args.me.partition(",")
        sender: dict[str, str | None] = {"name": name.strip(),
                                         "about": about.strip() or name.strip(), "offer": None}
    elif profile is not None:
        sender = dict(profile)
    else:
        return None
    if args.offer is not None:
        sender["offer"] = args.offer
    elif profile is not None:
        sender["offer"] = profile["offer"]
    return sender


def _request_from_flags(args: argparse.Namespace) -> dict[str, Any]:
    missing = [flag for flag, value in (("--to", args.to), ("--goal", args.goal)) if not value]
    sender = _sender(args)
    if sender is None:
        missing.append("--me")
    if not args.work:
        missing.append("--work")
    if missing:
        profile_hint = (" (or save who you are once: drafter profile set --name ... --about "
                        "...)") if sender is None else ""
        raise InputError(f"missing {', '.join(missing)}: give them, or use --request FILE.json "
                         f"or --example{profile_hint}",
                         [FieldProblem(m, "required") for m in missing])
    # A file's name is not the work's title ("post.txt", "tmpk3x9q"): the message names the
    # work by its kind, guessed from the name and the text ("your README", "your paper").
    works = [{"url": w} if w.startswith(("http://", "https://")) else
             {"text": _read(w), "kind": _kind_hint(w)} for w in args.work]
    return {
        "recipient": {"name": args.to, "headline": args.headline, "works": works},
        "sender": sender,
        "goal": args.goal, "channel": args.channel, "tone": args.tone,
        "variants": args.variants, "linkedin_free_account": args.free_account,
        "first_step": args.step,
    }


def _kind_hint(path: str) -> str | None:
    from drafter.plan import work_kind

    kind = work_kind(None, "", Path(path).name)
    return None if kind == "work" else kind


def load_request(args: argparse.Namespace) -> DraftRequest:
    from drafter.validation import parse_request

    if args.example:
        from importlib import resources  # ~20 ms: only the bundled example needs it

        request = parse_request(resources.files("drafter").joinpath(
            "examples/dana-li.json").read_text())
    elif args.request:
        request = parse_request(_read(args.request))
    else:
        request = parse_request(_request_from_flags(args))
    # --no-goal-read applies to a request from a file too: it is about this run.
    return request if args.read_goal else request.model_copy(update={"read_goal": False})


def _print_assessment(result: DraftResult) -> None:
    """What drafter understood of the goal, first, so the user can correct it."""
    a = result.assessment
    plan = a.plan
    if a.classification == "entitled":
        _out("ABOUT YOUR GOAL: it asks a stranger for too much, so these drafts do not ask it.")
        for reason in a.reasons:
            _out(f"  - {reason}")
        if a.first_steps:
            # Numbered as --step takes them (from 0), so the number shown is the one to pass.
            _out(f"  First steps toward {a.first_steps[0].toward} (the drafts take step "
                 f"{a.chosen_step or 0}; pick another with --step N):")
            for i, step in enumerate(a.first_steps):
                mark = "*" if i == a.chosen_step else " "
                asked = f' -> "{step.ask}"' if step.ask else " -> no question"
                _out(f"   {mark}{i}. {step.step}{asked}")
    if plan:
        _out("WHAT DRAFTER UNDERSTOOD (rephrase the goal if this is wrong):")
        _out(f"  you give: {plan.give or 'nothing named'}")
        model_asks = a.classification != "entitled" and not plan.give
        asked = plan.ask or ("a question about their work, proposed by the model"
                             if model_asks else "nothing")
        _out(f"  you ask:  {asked}")
        if plan.why:
            _out(f"  because:  {plan.why}")
        for note in plan.notes:
            _out(f"  note: {note}")
    if a.offer_ideas:
        _out("NOTHING TO GIVE YET: drafter never invents an offer. Offers that fit this work "
             "(choose one that is true, then re-run with it):")
        for idea in a.offer_ideas:
            _out(f"  --offer {shlex.quote(idea)}")
    _out("")
    if not a.overlap and a.overlap_note:
        _out(f"NOTE: {a.overlap_note}\n")


def _print_human(result: DraftResult) -> None:
    _print_assessment(result)
    for n, d in enumerate(result.drafts, 1):
        mark = "passed all checks" if d.passed else "FAILED checks"
        _out(f"--- draft {n} of {len(result.drafts)} ({mark}) ---")
        if d.subject:
            _out(f"Subject: {d.subject}\n")
        _out(d.body)
        _out("")
        for r in d.references:
            title = f' in "{r.work_title}"' if r.work_title else ""
            said = f' "{r.mentioned}" names' if r.kind == "mention" else " quote"
            _out(f'  {said.strip()}{title} (work {r.work_index + 1}, chars {r.start}-{r.end}): '
                 f'"{r.quote}"')
        for c in d.checks:
            detail = f": {c.detail}" if c.detail else ""
            _out(f"  [{'ok' if c.passed else 'FAIL'}] {c.name}{detail}")
    for w in result.warnings:
        _out(f"warning: {w}")
    u = result.usage
    _err(f"{result.model}: {u.model_calls} call(s), {u.prompt_tokens} prompt + "
         f"{u.completion_tokens} completion tokens, {u.model_seconds:.1f} s model time")


def _make_client(model: str | None) -> tuple[ModelClient, Settings]:
    from drafter.config import load_settings
    from drafter.model.litellm_client import LiteLLMClient

    settings = load_settings(model=model)
    return LiteLLMClient(settings, progress=_err), settings


def cmd_draft(args: argparse.Namespace) -> int:
    # The first stage line goes out before anything heavy is imported (pydantic for the
    # request, then the pipeline, litellm and llama.cpp: ~0.4 s on a 2-core machine), so the
    # person sees drafter working within a fraction of a second (issue 17).
    _err("drafter: reading your request")
    import asyncio  # here, not at the top: `drafter score` starts faster without it

    request = load_request(args)  # validated before any model is loaded
    from drafter.pipeline import draft

    _err("drafter: loading the model (the first run assembles it; later runs take seconds)")
    client, settings = _make_client(args.model)
    keep = settings.history and not args.no_history
    if keep:
        # A history that cannot be opened is a set-up error found before any model time.
        from drafter.history import open_history

        history = open_history(settings)
        if history is not None:
            history.close()

    async def run() -> DraftResult:
        # Verify and load the embedded model first (in a worker thread, where every llama.cpp
        # call runs), so the model time reported below is the draft's own.
        from drafter.model.protocol import WarmsUp
        from drafter.model.registry import is_embedded

        if isinstance(client, WarmsUp) and is_embedded(settings.model):
            started = time.monotonic()
            await asyncio.to_thread(client.warm_up)
            _err(f"drafter: {settings.model} ready in {time.monotonic() - started:.1f} s")
        return await draft(request, client=client, settings=settings, progress=_err)

    result = asyncio.run(run())
    try:
        if keep:  # warns about near-copies first, so the warning comes before the draft
            from drafter.cli_records import record_draft

            record_draft(settings, request, result)
    finally:  # a history that fails now still shows the draft the model time paid for
        if args.json:
            _out(result.model_dump_json(indent=2))
        else:
            _print_human(result)
    return 0


def _score_request(args: argparse.Namespace) -> ScoreRequest:
    from pydantic import ValidationError

    from drafter.types import ScoreRequest
    from drafter.validation import parse_request, problems_from_errors, to_input_error

    data: dict[str, Any] = {"message": _read(args.message), "subject": args.subject,
                            "works": [_read(w) for w in args.work], "channel": args.channel,
                            "linkedin_free_account": args.free_account}
    if args.request:
        req = parse_request(_read(args.request))
        data.update(works=[w.text for w in req.recipient.works if w.text] + data["works"],
                    channel=req.channel, linkedin_free_account=req.linkedin_free_account,
                    sender_name=req.sender.name, recipient_name=req.recipient.name)
    try:
        return ScoreRequest.model_validate(data)
    except ValidationError as exc:
        raise to_input_error(problems_from_errors(exc.errors())) from None


def _print_card(card: ScoreCard) -> None:
    _out(f"{card.overall.upper().replace('_', ' ')}: {card.summary}")
    if card.next_step:
        label = "to improve" if card.overall == "acceptable" else "the one change that helps most"
        _out(f"  {label}: {card.next_step}")
    r = card.reading
    if r is not None and r.p_acceptable is not None:
        _out(f"  read as acceptable with p = {r.p_acceptable:.2f} (the rules alone: {r.rules}); "
             f"for: {', '.join(r.toward) or '-'}; against: {', '.join(r.against) or '-'}")
    if r is not None and r.dimensions_by == "reader":
        _out("  dimensions graded by the reader (no work given: pass --work to verify quotes "
             "and claims against it)")
    for dim in card.dimensions:
        _out(f"  {dim.dimension:<18} {dim.verdict}")
        if dim.verdict == "pass":
            continue  # what the rules noticed there did not outweigh the reading
        flagged = [f for f in dim.findings if f.verdict != "pass"]
        for f in flagged:
            words = ", ".join(f'"{s.text}"' for s in f.spans)
            _out(f"    - {f.message}{' (' + words + ')' if words else ''}")
            _out(f"      fix: {f.fix}")
        if not flagged and dim.fix:  # the reader marked it down where no rule fired
            _out(f"    - fix: {dim.fix}")
    m, lim = card.metrics, card.limits
    _out(f"  {m.words} words, {m.sentences} sentences, {m.questions} question(s), {m.asks} "
         f"ask(s), reading ease {m.reading_ease:.0f} (grade {m.reading_grade:.1f}); "
         f"{lim.characters}/{lim.max_characters} characters for {lim.channel}")


def cmd_score(args: argparse.Namespace) -> int:
    from drafter.scoring import score_request

    req = _score_request(args)
    card = score_request(req)
    if args.judge:
        return _judge(args, req, card)
    if args.json:
        _out(card.model_dump_json(indent=2))
    else:
        _print_card(card)
    return 0


def _judge(args: argparse.Namespace, req: ScoreRequest, card: ScoreCard) -> int:
    import asyncio

    from drafter.judge import combine, judge_message

    client, _settings = _make_client(args.model)
    _err(f"drafter: asking the judge ({client.model_id}), one call per dimension")
    verdicts = asyncio.run(judge_message(req, client=client))
    judged = combine(card, verdicts, judge_model=client.model_id)
    if args.json:
        _out(judged.model_dump_json(indent=2))
        return 0
    _print_card(card)
    _out(f"JUDGE ({judged.judge_model}), combined overall: {judged.overall}")
    for v in judged.judge:
        _out(f"  {v.dimension:<18} {v.verdict:<5} {v.reason}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from drafter.config import load_settings, pass_to_workers
    from drafter.logs import configure_logging

    overrides = {"model": args.model, "allow_open_network": args.allow_open_network,
                 "workers": args.workers}
    settings = load_settings(**overrides)
    _check_exposure(args.host, settings)
    _check_workers(settings)
    _check_state(settings)
    if settings.router_config is not None:  # a bad pool file stops the start, not each draft
        from drafter.model.router_config import load_router_config

        load_router_config(settings.router_config)
    configure_logging()
    # Every worker (even a single one) builds its app from the settings layer, so the flags
    # above must be settings it reads too.
    # SIGTERM: stop accepting, let in-flight drafts finish for up to shutdown_grace_s.
    with pass_to_workers(**overrides):
        _run(uvicorn, settings, args)
    return 0


def _run(uvicorn: Any, settings: Settings, args: argparse.Namespace) -> None:
    from drafter.api.app import SERVE_APP

    uvicorn.run(SERVE_APP, factory=True, workers=settings.workers,
                host=args.host, port=args.port, log_level="warning",
                access_log=False, log_config=None,
                timeout_graceful_shutdown=int(settings.shutdown_grace_s),
                # Slow or idle clients cannot hold the server: a cap on open connections (503
                # beyond; per worker), idle keep-alive connections closed, headers capped in
                # size. uvicorn has no timeout for reading headers: the reverse proxy's (README)
                # covers it, and the body's is the guard's (DRAFTER_BODY_TIMEOUT_S, 408).
                # Forwarded headers are read by the app, from DRAFTER_TRUSTED_PROXIES only
                # (uvicorn's own default would believe 127.0.0.1 whatever is configured).
                proxy_headers=False,
                limit_concurrency=settings.max_connections,
                timeout_keep_alive=settings.keep_alive_s,
                h11_max_incomplete_event_size=16 * 1024)


def _check_state(settings: Settings) -> None:
    """A shared store (Redis) that cannot be reached is a clear error at start-up, not a
    stream of 503s (the URL's scheme is checked for memory:// too)."""
    import asyncio

    from drafter.api.ratelimits import SharedLimits

    limits = SharedLimits(settings)

    async def probe() -> None:
        try:
            await limits.check()
        finally:
            await limits.close()

    if limits.shared:
        asyncio.run(probe())


def _check_workers(settings: Settings) -> None:
    """Refuse several workers on the embedded model unless told: each worker process would load
    its own copy of the weights and run its own llama.cpp on every core."""
    from drafter.model.registry import QWEN, is_embedded

    n = settings.workers
    if n <= 1 or not is_embedded(settings.model) or settings.allow_embedded_workers:
        return
    size = (f"about 1.1 GB each, {1.1 * n:.1f} GB in all" if settings.model == QWEN.id
            else "each as large as the model's file")
    raise ConfigError(
        f"drafter serve --workers {n} (DRAFTER_WORKERS) with the embedded model "
        f"{settings.model} (DRAFTER_MODEL) would load {n} copies of its weights ({size}), and "
        f"each worker's llama.cpp uses every core, so {n} drafts at once run no faster than "
        "one after another: run one worker (--workers 1; its drafts take turns on the one "
        "model), "
        "or point DRAFTER_MODEL at a model served elsewhere (a hosted provider, a llama.cpp "
        "server or Ollama with DRAFTER_API_BASE, or a pool in DRAFTER_ROUTER_CONFIG) that "
        "every worker shares; DRAFTER_ALLOW_EMBEDDED_WORKERS=true runs it anyway "
        "(docs/deploy.md)")


def cmd_verify_model(args: argparse.Namespace) -> int:
    from drafter.config import load_settings
    from drafter.model.registry import is_embedded
    from drafter.model.weights import verify_model

    settings = load_settings(model=args.model)
    if not is_embedded(settings.model):
        raise ConfigError(f"{settings.model} is not an embedded model: verify-model checks the "
                          "weights drafter ships (e.g. --model embedded/qwen2.5-1.5b)")
    path, digest = verify_model(settings.model, cache_dir=settings.cache_dir,
                                model_path=settings.model_path, progress=_err)
    _out(f"ok: {path} matches sha256 {digest}")
    return 0


def _check_exposure(host: str, settings: Settings) -> None:
    """Refuse to serve an open API beyond this machine: without keys, anyone who can reach a
    non-loopback address could have the server fetch URLs and spend its model time."""
    import ipaddress

    try:
        loopback = ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        loopback = host.lower() == "localhost"
    if loopback or settings.api_keys or settings.allow_open_network:
        return
    raise ConfigError(f"drafter serve would listen on {host} with no API keys, open to anyone "
                      "who can reach it: set DRAFTER_API_KEYS (clients then send X-API-Key), "
                      "or pass --allow-open-network (DRAFTER_ALLOW_OPEN_NETWORK=true) if a "
                      "proxy in front of it authenticates clients")


def cmd_eval(args: argparse.Namespace) -> int:
    from drafter.evals.cli import cmd_eval as run_eval

    return run_eval(args)


COMMANDS = {"draft": cmd_draft, "score": cmd_score, "serve": cmd_serve, "eval": cmd_eval,
            "verify-model": cmd_verify_model}


def main(argv: Sequence[str] | None = None, *, raise_errors: bool = False) -> int:
    from drafter.cli_records import COMMANDS as RECORDS

    args = build_parser().parse_args(argv)
    try:
        return {**COMMANDS, **RECORDS}[args.command](args)
    except DrafterError as exc:
        if raise_errors:
            raise
        _err(f"drafter: error: {exc.detail}")
        return exc.exit_code
    except KeyboardInterrupt:
        _err("drafter: interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
