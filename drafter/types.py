"""Typed values passed between pipeline stages.

Wire models (the request and the result) are the public contract of the HTTP API and of
``drafter draft --request FILE.json`` / ``--json``: they are frozen, forbid unknown fields and
carry field limits so oversized input is rejected before any model call.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    field_validator,
    model_validator,
)

from drafter.basemodels import Wire
from drafter.channels import CHANNEL_LIMITS, Channel, channel_limit
from drafter.scorecard import GoalAssessment, ScoreCard
from drafter.textclean import clean_text

__all__ = [
    "CHANNEL_LIMITS",
    "Channel",
    "Check",
    "ContextBundle",
    "Draft",
    "DraftFields",
    "DraftRequest",
    "DraftResult",
    "Evidence",
    "Message",
    "Recipient",
    "Reference",
    "RenderedPrompt",
    "ScoreRequest",
    "Sender",
    "Tone",
    "Usage",
    "Work",
    "channel_limit",
]

Tone = Literal["warm", "direct", "formal", "casual"]


def _one_line(value: object) -> object:
    """NFKC, with NUL and other control characters, bidi overrides, zero-width and private-use
    characters removed and white space collapsed: a name or a bio goes into the greeting, the
    introduction and the signature verbatim, where a reader must see what it says
    (docs/design/threats.md #39). Works are cleaned later, where what is removed is counted."""
    return " ".join(clean_text(value).text.split()) if isinstance(value, str) else value


def _lines(value: object) -> object:
    """The same for text that may keep its line breaks (the goal)."""
    return clean_text(value).text if isinstance(value, str) else value


Clean = BeforeValidator(_one_line)
# The cleaning wraps the constraints (it comes after them), so they judge the cleaned text and
# keep their own error types ("must not be empty").
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100),
                 Clean]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                             max_length=300), Clean]
# A work's text, pasted or fetched, is at most this long: a fetched page is cut to it (and
# marked truncated) like a pasted one would be refused beyond it.
MAX_WORK_CHARS = 20_000
WorkText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                            max_length=MAX_WORK_CHARS)]



class Work(Wire):
    """One piece of the recipient's public work: pasted text, or a URL drafter fetches."""

    title: Annotated[str, StringConstraints(max_length=200), Clean] | None = Field(
        default=None, description="Title of the work, e.g. a blog post's headline."
    )
    text: WorkText | None = Field(
        default=None, description="The work's text (up to 20,000 characters)."
    )
    url: Annotated[str, StringConstraints(min_length=1, max_length=2000), Clean] | None = Field(
        default=None, description="Where the work is published. Fetched when `text` is absent "
        "(http/https to public addresses only, size and time capped; a blocked or unreadable "
        "URL is a 422 naming this field). A server with fetching off refuses it (422 "
        "`not-supported`; `GET /v1/info` says `fetches_urls`). Beside `text`, never fetched."
    )

    kind: Annotated[str, StringConstraints(max_length=40), Clean] | None = Field(
        default=None, description="What the work is ('post', 'paper', 'README', 'talk'), to "
        "name it in the message when it has no title; inferred when absent.")

    @model_validator(mode="after")
    def _text_or_url(self) -> Work:
        if self.text is None and self.url is None:
            raise ValueError("give the work's text (or its url)")
        return self


class Recipient(Wire):
    name: Name = Field(description="The recipient's name as they use it publicly.")
    headline: Annotated[str, StringConstraints(max_length=200), Clean] | None = Field(
        default=None, description="Their role or one-line bio, e.g. 'maintainer of tidyframe'."
    )
    works: list[Work] = Field(
        min_length=1, max_length=5, description="One to five pieces of their public work."
    )


class Sender(Wire):
    name: Name = Field(description="Your name; the message is signed with it.")
    about: ShortText = Field(description="One line on who you are.")
    offer: ShortText | None = Field(
        default=None, description="What you can give first: a finding, a fix, data, feedback."
    )


class DraftRequest(Wire):
    """The request body of ``POST /v1/drafts`` and the file of ``drafter draft --request``."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [
                {
                    "recipient": {
                        "name": "Dana Li",
                        "headline": "maintainer of tidyframe",
                        "works": [
                            {
                                "title": "Faster groupby",
                                "text": "We rewrote groupby around a hash table...",
                            }
                        ],
                    },
                    "sender": {
                        "name": "Sam Ortiz",
                        "about": "data engineer at a logistics company",
                        "offer": "my benchmark on 2 TB of logs",
                    },
                    "goal": "learn how she approaches performance regressions",
                    "channel": "email",
                    "tone": "warm",
                    "variants": 1,
                }
            ]
        },
    )

    recipient: Recipient
    sender: Sender
    goal: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500),
                    BeforeValidator(_lines)] = (
        Field(description="What you hope for from this person.")
    )
    channel: Channel = Field(default="email", description="Where the message will be sent.")
    tone: Tone | None = Field(default=None, description="Optional tone of the wording.")
    variants: int = Field(default=1, ge=1, le=3, description="How many drafts (1-3).")
    linkedin_free_account: StrictBool = Field(
        default=False, description="LinkedIn notes from free accounts are limited to 200 chars."
    )
    first_step: int | None = Field(
        default=None, ge=0, le=5, description="For a goal that asks too much: which of the "
        "proposed first steps (`assessment.first_steps`, 0-based) the drafts take; the first "
        "by default.")
    read_goal: StrictBool = Field(
        default=True, description="false: skip the model's one-word reading of the goal's "
        "size (`assessment.model_reading`) and leave it to the phrase rules, for when the "
        "model read a small ask as big. The rules' entitled phrases are flagged either way.")

    @property
    def limit(self) -> int:
        return channel_limit(self.channel, linkedin_free_account=self.linkedin_free_account)


class ScoreRequest(Wire):
    """The request body of ``POST /v1/score``: a message to judge, and what it is about."""

    message: Annotated[str, StringConstraints(min_length=1, max_length=10_000)] = Field(
        description="The message body to score.")
    subject: Annotated[str, StringConstraints(max_length=300)] | None = Field(
        default=None, description="The subject line, for email.")
    works: list[WorkText] = Field(default_factory=list, max_length=5, description=(
        "The recipient's public work as text; quotes and claims are checked against it. "
        "Without works, the learned reader grades the dimensions of the message as pasted."))
    channel: Channel = Field(default="email", description="Sets the hard character limit.")
    linkedin_free_account: StrictBool = Field(
        default=False, description="LinkedIn notes from free accounts are limited to 200 chars.")
    sender_name: Name | None = Field(default=None, description="Who signs it (credibility).")
    recipient_name: Name | None = Field(default=None, description="Whom it is to (a greeting "
                                        "that names no one is a mass-mail marker).")


# ---- context stage -------------------------------------------------------------------------


class Evidence(Wire):
    """A passage of a work chosen as evidence; offsets index the cleaned work text."""

    work_index: int
    start: int
    end: int
    text: str


class ContextBundle(Wire):
    request: DraftRequest
    works: tuple[str, ...] = Field(description="Cleaned text of each work, by index.")
    titles: tuple[str | None, ...]
    kinds: tuple[str, ...] = Field(default=(), description="What each work is ('post', "
                                   "'paper', ...; 'work' when unknown), to name it.")
    evidence: tuple[Evidence, ...]
    warnings: tuple[str, ...] = ()
    lines: tuple[Evidence, ...] = Field(default=(), description="Every line of the works fit "
                                        "to quote; the quote is chosen among them (evidence is "
                                        "the part the model sees).")
    intro: str | None = Field(default=None, description="The sender's introduction as the "
                              "model wrote it from their notes, validated (drafter.bio); None: "
                              "the rules write it.")


# ---- prompt stage --------------------------------------------------------------------------


class Message(Wire):
    role: Literal["system", "user", "assistant"]
    content: str


class RenderedPrompt(Wire):
    messages: tuple[Message, ...]
    template_id: str
    template_hash: str


# ---- model output (what the model must return, validated) -------------------------------------


class DraftFields(Wire):
    """The structured reply the model is asked for; the pipeline composes the message.

    The model is asked only for what needs judgement: which line to quote, a subject and, when
    the sender gave neither a question nor anything to give, a question. The greeting, the
    sender's introduction, the offer, the sender's question and the sign-off come from the
    request and its plan, so they cannot be invented. ``reaction`` is no longer asked for or
    composed; a reply that still carries it is screened like the rest, then left unused.
    """

    # The wire keys are phrased in the sender's voice: small models then write in it too.
    model_config = ConfigDict(extra="ignore", frozen=True, str_strip_whitespace=True,
                              populate_by_name=True)
    subject: str = ""
    quote: int = Field(ge=1, description="Number of the evidence line quoted.")
    reaction: str = Field(default="", alias="why_it_matters_to_me")
    ask: str = Field(default="", alias="my_question")

    @field_validator("subject", "reaction", "ask", mode="before")
    @classmethod
    def _bounded(cls, value: object) -> object:
        # A long value is cut, not refused: the subject and the question are checked and
        # replaced or left out downstream, so a rambling model costs no error and no retry.
        # NFKC and no invisible characters first, like every untrusted text: a full-width
        # "ＨＴＴＰＳ://" or a zero-width space inside an address must not hide it from the
        # checks (docs/design/threats.md #31).
        return clean_text(value[:2000]).text[:400] if isinstance(value, str) else value


# ---- result --------------------------------------------------------------------------------


class Reference(Wire):
    quote: str = Field(description="Verbatim text from the work, as it appears there.")
    work_index: int = Field(description="0-based index into recipient.works.")
    work_title: str | None = Field(default=None, description="The work's title, if it has a "
                                  "usable one.")
    start: int = Field(description="Character offset of the quote in the cleaned work text.")
    end: int = Field(description="End offset (exclusive): `quote` is the cleaned work's "
                     "text at `[start, end)`.")
    kind: Literal["quote", "mention"] = Field(
        "quote", description="'quote': the message quotes `quote`. 'mention': the message "
        "does not quote it; the sender's own words (`mentioned`) name this part of the work, "
        "and `quote` is the line of the work they point at.")
    mentioned: str | None = Field(
        None, description="For kind 'mention': the sender's words in the message that name "
        "the work (\"your ungrading posts\").")


class Check(Wire):
    """One of the reader's checks on a draft (README, *The result*, lists them)."""

    name: str = Field(description="Stable name, e.g. 'grounded_quote'.")
    passed: bool
    detail: str = Field(default="", description="What was checked or found.")


class Usage(Wire):
    """What drafting cost, over every model call of the request."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    model_calls: int = 0
    model_seconds: float = Field(default=0.0, description="Wall time spent in model calls.")


class Draft(Wire):
    subject: str | None = Field(description="Subject line (email only).")
    body: str = Field(description="The full message, greeting and sign-off included.")
    references: list[Reference]
    offer: str | None = Field(description="The value the message offers first, if any.")
    ask: str | None = Field(description="The one thing the message asks for, if any.")
    checks: list[Check]
    passed: bool = Field(description="True when every check passed and the rubric found "
                         "nothing that fails.")
    score: ScoreCard = Field(description="The rubric's score card for this draft.")
    attempts: int = Field(description="Model calls spent on this draft (1 + repairs).")


class DraftResult(Wire):
    assessment: GoalAssessment = Field(description="How the goal was judged before drafting; "
                                       "an entitled goal is coached down to a first step.")
    drafts: list[Draft]
    model: str = Field(description="The model that wrote the drafts.")
    prompt_version: str = Field(description="Hash of the prompt templates used.")
    warnings: list[str] = Field(default_factory=list, description="What was changed in the "
                                "input (invisible characters or lines with links removed, a "
                                "long page cut, a title not used) and the goal's "
                                "`overlap_note`.")
    usage: Usage = Field(default_factory=Usage)
