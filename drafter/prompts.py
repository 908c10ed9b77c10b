"""Prompt stage: render jinja2 templates from ``prompts/`` into chat messages.

Templates are files, rendered with StrictUndefined so a missing variable is an error, not an
empty string. Every rendered prompt carries the hash of the template sources it came from; the
hash is the prompt version in responses and the key of the eval replay fixtures.

Untrusted text (the recipient's work) is fenced with markers that carry a per-content nonce and
is stripped of anything that could imitate a marker, so it cannot close its own fence.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import yaml

from drafter.channels import CHANNEL_NAMES
from drafter.compose import give_sentence
from drafter.scorecard import GoalPlan
from drafter.types import ContextBundle, Message, RenderedPrompt
from drafter.voice import to_second_person

__all__ = [
    "bio_prefix",
    "fence_nonce",
    "fence_safe",
    "goal_size_prefix",
    "prompt_dir",
    "render_bio",
    "render_draft",
    "render_goal_size",
    "render_repair",
    "render_template",
    "template_hash",
]


# Anything resembling our fence markers, chat-template tags or role markers.
_FENCE_LIKE = re.compile(r"<{2,}|>{2,}|<\|[^|>]*\|>|\[/?(?:SYSTEM|INST|ASSISTANT|USER)\]",
                         re.IGNORECASE)


def fence_safe(text: object) -> str:
    """Neutralise marker look-alikes so fenced text cannot end its fence or fake a role."""
    return _FENCE_LIKE.sub(" ", str(text))


def fence_nonce(*texts: str) -> str:
    """The marker nonce for fenced text: derived from the text itself, so it is stable (cache
    and replay keys) yet cannot be written into that text in advance."""
    return hashlib.sha256("".join(texts).encode()).hexdigest()[:10]


def prompt_dir() -> Path:
    """Templates ship inside the wheel (drafter/_prompts); in a checkout they are ../prompts."""
    packaged = Path(__file__).parent / "_prompts"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parent.parent / "prompts"


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(prompt_dir()),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
        trim_blocks=False,
        autoescape=False,
        # The templates are fixed for the process's life, as template_hash (cached) says:
        # no stat of the file on every render to see whether it changed (issue 17).
        auto_reload=False,
    )
    env.filters["fence_safe"] = fence_safe
    return env


@lru_cache(maxsize=8)
def template_hash(group: str) -> str:
    """sha256 over every template in ``prompts/<group>/``, in name order (12 hex chars)."""
    h = hashlib.sha256()
    paths = [*(prompt_dir() / group).glob("*.j2"), *(prompt_dir() / group).glob("*.yaml")]
    for path in sorted(paths):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


def render_template(name: str, **values: Any) -> str:
    """Render one template of ``prompts/`` (StrictUndefined)."""
    return _env().get_template(name).render(**values).strip()


_render = render_template


def _draft_values(ctx: ContextBundle, plan: GoalPlan, model_question: bool) -> dict[str, Any]:
    req = ctx.request
    by_work: dict[int, list[tuple[int, str]]] = {}
    for number, ev in enumerate(ctx.evidence, 1):
        by_work.setdefault(ev.work_index, []).append((number, ev.text))
    evidence_by_work = [
        {"number": i + 1, "title": ctx.titles[i], "passages": passages}
        for i, passages in sorted(by_work.items())
    ]
    give = give_sentence(plan)
    # The raw goal is shown only when the plan found nothing in it: typed about the
    # recipient, its wording leaks into drafts; in the second person it leaks less.
    hope = "" if (plan.ask or plan.give) else to_second_person(req.goal, req.recipient.name)
    return {
        "sender": req.sender,
        "recipient": req.recipient,
        "channel": req.channel,
        "channel_name": CHANNEL_NAMES[req.channel],
        "tone": req.tone,
        "evidence_by_work": evidence_by_work,
        "fence": fence_nonce(*ctx.works),
        "give": fence_safe(give),
        "ask": fence_safe(plan.ask or ""),
        "why": fence_safe(plan.why or ""),
        "hope": fence_safe(hope),
        "model_question": model_question,
    }


def render_draft(ctx: ContextBundle, plan: GoalPlan, *,
                 model_question: bool) -> RenderedPrompt:
    """The draft prompt: the evidence and the plan (never the coaching or the raw goal when
    the plan understood it)."""
    values = _draft_values(ctx, plan, model_question)
    return RenderedPrompt(
        messages=(
            Message(role="system", content=_render("draft/system.j2", **values)),
            Message(role="user", content=_render("draft/user.j2", **values)),
        ),
        template_id="draft",
        template_hash=template_hash("draft"),
    )


def render_goal_size(goal: str) -> RenderedPrompt:
    """The goal-size prompt (``prompts/goal/``): the instructions, the worked examples as
    earlier turns, then the goal. Everything before the goal is the same for every goal, so the
    embedded runtime keeps it as a cached prefix."""
    messages = (*goal_size_prefix(),
                Message(role="user", content=_render("goal/user.j2", goal=goal)))
    return RenderedPrompt(messages=messages, template_id="goal",
                          template_hash=template_hash("goal"))


def _examples_prefix(group: str, answer: str, **fields: str) -> tuple[Message, ...]:
    """``prompts/<group>/``'s instructions, then each worked example of its examples.yaml as
    an earlier turn: ``user.j2`` with each template value in ``fields`` taken from the example's
    field of that name, answered by the example's ``answer`` field."""
    data = yaml.safe_load((prompt_dir() / group / "examples.yaml").read_text(encoding="utf-8"))
    messages = [Message(role="system", content=_render(f"{group}/system.j2"))]
    for shot in data:
        values = {value: str(shot[key]) for value, key in fields.items()}
        messages += [Message(role="user", content=_render(f"{group}/user.j2", **values)),
                     Message(role="assistant", content=str(shot[answer]))]
    return tuple(messages)


@lru_cache(maxsize=1)
def goal_size_prefix() -> tuple[Message, ...]:
    """The goal-size prompt before the goal (the instructions and the worked examples),
    rendered once: fixed for the process's life, like the templates."""
    return _examples_prefix("goal", "size", goal="goal")


def render_bio(name: str, about: str) -> RenderedPrompt:
    """The introduction prompt (``prompts/bio/``): instructions and worked examples (a fixed
    prefix, cached by the embedded runtime), then the sender's name and notes."""
    messages = (*bio_prefix(),
                Message(role="user", content=_render("bio/user.j2", sender_name=name, about=about)))
    return RenderedPrompt(messages=messages, template_id="bio", template_hash=template_hash("bio"))


@lru_cache(maxsize=1)
def bio_prefix() -> tuple[Message, ...]:
    """The introduction prompt before the sender's notes, rendered once."""
    return _examples_prefix("bio", "intro", sender_name="name", about="about")


def render_repair(prompt: RenderedPrompt, reply: str, problems: list[str]) -> RenderedPrompt:
    """The original conversation, the bad reply, and the specific problems to fix."""
    repair = _render("draft/repair.j2", problems=problems)
    return RenderedPrompt(
        messages=(
            *prompt.messages,
            Message(role="assistant", content=reply),
            Message(role="user", content=repair),
        ),
        template_id=prompt.template_id,
        template_hash=prompt.template_hash,
    )
