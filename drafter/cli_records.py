"""``drafter profile | history | stats``: the commands over what drafter keeps for the user.

Profiles (drafter.profile) say who the sender is once; the history (drafter.history) keeps
every draft made through the CLI, its outcome once marked, and reply rates from those. The
draft command itself (drafter.cli) uses ``sender_from_profile`` and ``record_draft``.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from drafter.errors import FieldProblem, InputError

if TYPE_CHECKING:
    from drafter.config import Settings
    from drafter.history.stats import Rate
    from drafter.history.store import Entry, History
    from drafter.types import DraftRequest, DraftResult

__all__ = ["COMMANDS", "add_parsers", "record_draft", "sender_from_profile"]


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("profile", help="who you are, saved once for every draft",
                       description="Sender profiles, stored in profiles.toml in your config "
                       "directory ($XDG_CONFIG_HOME/drafter or ~/.config/drafter). 'drafter "
                       "draft' uses the profile when --me is not given.")
    psub = p.add_subparsers(dest="profile_command", required=True, metavar="ACTION")
    for action, text in (("set", "create or update a profile"), ("show", "print a profile"),
                         ("clear", "delete a profile")):
        a = psub.add_parser(action, help=text)
        a.add_argument("--profile", default="default", metavar="NAME",
                       help="which profile (default: 'default')")
        if action == "set":
            a.add_argument("--name", help="your name; drafts are signed with it")
            a.add_argument("--about", help="one line on who you are")
            a.add_argument("--offer", help="what you can usually give first ('' removes it)")
        if action == "show":
            a.add_argument("--json", action="store_true")
    psub.add_parser("list", help="the names of your profiles")

    h = sub.add_parser("history", help="the drafts you made, their outcomes; forget them",
                       description="Every draft made with 'drafter draft' is kept locally "
                       "(SQLite in your data directory, or DRAFTER_HISTORY_URL); "
                       "DRAFTER_HISTORY=false or 'draft --no-history' keeps nothing.")
    h.add_argument("--json", action="store_true", help="the list as JSON (see docs/privacy.md)")
    h.add_argument("--limit", type=int, default=50, help="newest N (default 50; 0 = all)")
    hsub = h.add_subparsers(dest="history_command", metavar="ACTION")
    hl = hsub.add_parser("list", help="list the drafts, newest first (the default)")
    hl.add_argument("--json", action="store_true")
    hl.add_argument("--limit", type=int, default=50)
    hs = hsub.add_parser("show", help="one stored draft in full")
    hs.add_argument("id", type=int, metavar="ID")
    hs.add_argument("--json", action="store_true", help="the stored request and result")
    hf = hsub.add_parser("forget", help="delete drafts for good",
                         description="Delete one draft, every draft to a recipient, or all. "
                         "Deleted rows are gone from the file (SQLite is vacuumed).")
    hf.add_argument("id", type=int, nargs="?", metavar="ID")
    hf.add_argument("--recipient", metavar="NAME", help="every draft to this person")
    hf.add_argument("--all", action="store_true", help="the whole history")
    hm = hsub.add_parser("mark", help="record what happened: sent, replied, no-reply, bounced")
    hm.add_argument("id", type=int, metavar="ID")
    hm.add_argument("outcome", choices=["sent", "replied", "no-reply", "bounced"])
    hm.add_argument("--variant", type=int, default=1,
                    help="which of the drafts you sent (default 1)")

    s = sub.add_parser("stats", help="reply rates by rubric verdict and dimension",
                       description="Reply rates of the drafts you marked, by the rubric's "
                       "verdict and by each dimension, with Wilson 95%% intervals.")
    s.add_argument("--json", action="store_true")


# ---- profiles ------------------------------------------------------------------------------


def _settings() -> Settings:
    from drafter.config import load_settings

    return load_settings()


def cmd_profile(args: argparse.Namespace) -> int:
    from drafter.profile import ProfileStore

    store = ProfileStore(_settings().config_dir)
    if args.profile_command == "list":
        for name in store.names():
            _out(name)
        return 0
    if args.profile_command == "set":
        if args.name is None and args.about is None and args.offer is None:
            raise InputError("nothing to set: give --name, --about and/or --offer",
                             [FieldProblem("--name", "required")])
        profile = store.set(args.profile, sender_name=args.name, about=args.about,
                            offer=args.offer)
        _err(f"drafter: profile {args.profile!r} saved in {store.path}")
    elif args.profile_command == "clear":
        store.clear(args.profile)
        _err(f"drafter: profile {args.profile!r} deleted from {store.path}")
        return 0
    else:
        profile = store.get(args.profile)
        if args.json:
            _out(profile.model_dump_json(indent=2))
            return 0
    _out(f"profile: {args.profile}\n  name:  {profile.name}\n  about: {profile.about}\n"
         f"  offer: {profile.offer or '(none)'}")
    return 0


def sender_from_profile(name: str | None, *, explicit: bool) -> dict[str, str | None] | None:
    """The sender fields of profile ``name``; None when no profile was named and the default
    profile does not exist (the draft then asks for --me)."""
    from drafter.errors import NotFound
    from drafter.profile import DEFAULT_PROFILE, ProfileStore

    store = ProfileStore(_settings().config_dir)
    try:
        return store.get(name or DEFAULT_PROFILE).as_sender()
    except NotFound:
        if explicit:
            raise
        return None


# ---- history -------------------------------------------------------------------------------


def _open(settings: Settings | None = None) -> History:
    from drafter.history import open_history

    settings = settings or _settings()
    history = open_history(settings)
    if history is None:
        from drafter.errors import NotSupported

        raise NotSupported("the history is turned off (DRAFTER_HISTORY=false): nothing is "
                           "stored, so there is nothing to list, mark or count")
    return history


def record_draft(settings: Settings, request: DraftRequest, result: DraftResult) -> None:
    """Warn about near-copies of earlier drafts to others, then store this one."""
    from drafter.history import open_history
    from drafter.history.similar import RECENT, near_copies

    history = open_history(settings)
    if history is None:
        return
    with history:
        for copy in near_copies([d.body for d in result.drafts], request.recipient.name,
                                history.entries(limit=RECENT)):
            _err(f"warning: draft {copy.variant} is nearly the same ({copy.similarity:.0%}) as "
                 f"#{copy.entry_id}, written for {copy.recipient}: a message that could go to "
                 "anyone reads as a template; make it about this person "
                 f"('drafter history show {copy.entry_id}')")
        entry_id = history.add(request, result)
    _err(f"drafter: kept as #{entry_id} in your history ('drafter history show {entry_id}'; "
         f"after sending: 'drafter history mark {entry_id} sent')")


def _when(entry: Entry) -> str:
    return entry.created_at.strftime("%Y-%m-%d %H:%M")


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."


def cmd_history(args: argparse.Namespace) -> int:
    action = args.history_command or "list"
    with _open() as history:
        if action == "list":
            return _list(history, args)
        if action == "show":
            return _show(history.get(args.id), as_json=args.json)
        if action == "mark":
            entry = history.mark(args.id, args.outcome, variant=args.variant)
            _out(f"#{entry.id} to {entry.recipient}: {entry.outcome} (draft "
                 f"{entry.outcome_variant})")
            return 0
        return _forget(history, args)


def _list(history: History, args: argparse.Namespace) -> int:
    from drafter.history.store import dumps_summaries

    if args.limit < 0:
        raise InputError("--limit must be 0 (all) or more", [FieldProblem("--limit", ">= 0")])
    entries = history.entries(limit=args.limit or None)
    if args.json:
        _out(dumps_summaries(entries))
        return 0
    if not entries:
        _out("no drafts yet: 'drafter draft ...' keeps each one here")
        return 0
    _out(f"{'ID':>4}  {'WHEN (UTC)':<16}  {'TO':<20}  {'CHANNEL':<16}  {'VERDICT':<10}  "
         f"{'OUTCOME':<8}  GOAL")
    for e in entries:
        _out(f"{e.id:>4}  {_when(e):<16}  {_clip(e.recipient, 20):<20}  {e.channel:<16}  "
             f"{e.verdict:<10}  {e.outcome or '-':<8}  {_clip(e.request.goal, 40)}")
    return 0


def _show(entry: Entry, *, as_json: bool) -> int:
    if as_json:
        _out(entry.model_dump_json(indent=2))
        return 0
    from drafter.cli import _print_human

    outcome = f"{entry.outcome} (draft {entry.outcome_variant})" if entry.outcome else "not marked"
    _out(f"#{entry.id}  {_when(entry)} UTC  to {entry.recipient} ({entry.channel})  "
         f"model {entry.model}, prompts {entry.prompt_version}  outcome: {outcome}")
    _out(f"goal: {entry.request.goal}\n")
    _print_human(entry.result)
    return 0


def _forget(history: History, args: argparse.Namespace) -> int:
    chosen = [x for x in (args.id is not None, bool(args.recipient), args.all) if x]
    if len(chosen) != 1:
        raise InputError("say what to forget: one ID, --recipient NAME or --all",
                         [FieldProblem("ID", "give exactly one of ID, --recipient, --all")])
    if args.all:
        n = history.forget_all()
    elif args.recipient:
        n = history.forget_recipient(args.recipient)
        if n == 0:
            from drafter.errors import NotFound

            raise NotFound(f"no drafts to {args.recipient!r} in the history",
                           [FieldProblem("--recipient", "no drafts to this name")])
    else:
        n = history.forget(args.id)
    _out(f"forgot {n} draft(s)")
    return 0


# ---- stats ---------------------------------------------------------------------------------


def _fmt(rate: Rate) -> str:
    if rate.rate is None:
        return f"{rate.group:<12} no decided messages"
    small = "  too few to mean anything" if rate.too_small else ""
    return (f"{rate.group:<12} {rate.replied:>3}/{rate.decided:<3} replied  {rate.rate:>4.0%}  "
            f"(95% CI {rate.low:.0%}-{rate.high:.0%}){small}")


def cmd_stats(args: argparse.Namespace) -> int:
    from drafter.history.stats import compute_stats

    with _open() as history:
        stats = compute_stats(history.entries())
    if args.json:
        _out(stats.model_dump_json(indent=2))
        return 0
    _out(f"{stats.drafts} draft(s) kept, {stats.marked} marked: {stats.awaiting} awaiting an "
         f"answer, {stats.bounced} bounced (neither is counted in a rate)")
    _out("reply rate = replied / (replied + no-reply)")
    _out("  " + _fmt(stats.overall))
    if stats.by_verdict:
        _out("by the rubric's verdict of the draft sent:")
        for rate in stats.by_verdict:
            _out("  " + _fmt(rate))
    for dimension, rates in stats.by_dimension.items():
        _out(f"{dimension}:")
        for rate in rates:
            _out("  " + _fmt(rate))
    if stats.note:
        _out(f"NOTE: {stats.note}")
    return 0


COMMANDS = {"profile": cmd_profile, "history": cmd_history, "stats": cmd_stats}
