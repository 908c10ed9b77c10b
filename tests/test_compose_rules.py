"""Composition rules found by blind review (drafter.compose): who writes, the order of what
they say, and pronouns that point at nobody."""

from __future__ import annotations

from typing import Any

import pytest

from drafter.compose import (
    _closing,
    _compact_offers,
    _note_plans,
    _unintroduced,
    greeting_name,
    introduction,
)
from drafter.config import Settings
from drafter.scoring.goal import assess_goal


def test_a_role_and_a_name_read_as_a_role_in_it() -> None:
    assert introduction("Dmitri Volkov", "cofounder, LabLedger (lab inventory)") == (
        "I'm Dmitri, a cofounder of LabLedger (lab inventory).")
    assert introduction("Sam Ortiz", "data engineer at a freight company") == (
        "I'm Sam, a data engineer at a freight company.")
    # A role whose first word looks like a verb, and a degree in capitals, read as typed.
    assert introduction("Jess Thornton", "volunteer coordinator at a church food pantry") == (
        "I'm Jess, a volunteer coordinator at a church food pantry.")
    assert introduction("Kwame Mensah", "PhD student in public health, University of Ghana") \
        == "I'm Kwame, a PhD student in public health at University of Ghana."


def test_a_promise_about_the_reply_goes_after_the_question() -> None:
    pieces = {"why": "I read your post. I'll reply either way, even if it's a no.",
              "offer": "I can offer numbers upfront.", "ask": "Would you be open to it?"}
    assert _closing(pieces) == ["I'll reply either way, even if it's a no."]
    assert pieces["why"] == "I read your post."
    no_question = {"why": "I'll reply either way.", "offer": "", "ask": ""}
    assert _closing(no_question) == [] and no_question["why"] == "I'll reply either way."


def test_her_for_someone_the_message_never_names_is_caught() -> None:
    assert _unintroduced("I'm Alyssa. I'd be glad to send you her bio.", [], "he") == "her"
    assert _unintroduced("Our CEO leads it. I'd be glad to send you her bio.", [], "he") is None
    # Their own words may say anything: the quote is not the sender's line.
    quote = "She said it best."
    assert _unintroduced(f'You wrote: "{quote}" I\'m Al.', [quote], "he") is None


def test_an_introduction_goal_is_coached_to_advice_on_a_first_step() -> None:
    a = assess_goal("ask him to intro us to 2-3 people in his network",
                    recipient_name="Marcio Saito")
    assert a.classification == "entitled" and a.plan is not None
    assert a.plan.ask == "What would you suggest someone in my position do first?"


async def test_a_quote_cut_by_a_short_notes_limit_is_reported_not_counted(
        settings: Settings, example_data: dict[str, Any]) -> None:
    from drafter.model.testing import ScriptedModel, reply_json
    from drafter.pipeline import draft
    from drafter.types import DraftRequest

    data = example_data
    data["channel"] = "linkedin_note"
    data["sender"]["offer"] = ("the results of running the new groupby on 2 TB of our shipment "
                               "logs, where keys are very skewed, including the spill-to-disk "
                               "path on spinning disks, plus our notes on memory use per key")
    model = ScriptedModel([reply_json(quote=4)])
    d = (await draft(DraftRequest.model_validate(data), client=model,
                     settings=settings)).drafts[0]
    fits = next(c for c in d.checks if c.name == "quote_fits")
    assert not fits.passed and "limit" in fits.detail and not d.passed
    assert d.references == [] and "wrote" not in d.body
    assert len(model.requests) == 1, "the model cannot mend the sender's length: no repair"


def test_an_offer_that_points_at_what_only_the_question_names_follows_it() -> None:
    from drafter.compose import _points_ahead

    before = "I'm Ifeoma, a lecturer."
    ask = "May I use your fixer/finder framing in my lecture slides next semester?"
    assert _points_ahead("I can offer credit on every slide that uses it.", ask, before)
    assert _points_ahead("I'd be glad to send you the deck from the PD.",
                         "Are you ok with me quoting your post in a PD session?", before)
    # One shared word is chance; the message already said it; the question points back.
    assert not _points_ahead("I'd be glad to send you the anonymised code.",
                             "Did you turn the poetry of code idea into a talk?", before)
    assert not _points_ahead("I can offer credit on every slide that uses it.", ask,
                             "I'm Ifeoma. I use slides in every lecture.")
    assert not _points_ahead("I'd be glad to send you the cleaned transcript of the post.",
                             "Do you want to swap it in on the post?", before)


async def test_a_short_note_whose_sender_names_the_work_quotes_nothing_and_is_grounded(
        settings: Settings, example_data: dict[str, Any]) -> None:
    from drafter.model.testing import ScriptedModel, reply_json
    from drafter.pipeline import draft
    from drafter.types import DraftRequest

    data = example_data
    data["channel"] = "dm"
    data["sender"].pop("offer")
    data["goal"] = ("thank her, her spill-to-disk threshold section saved us a week on our "
                    "shipment logs. ask if she tested it on HDDs")
    model = ScriptedModel([reply_json(quote=1)])
    d = (await draft(DraftRequest.model_validate(data), client=model,
                     settings=settings)).drafts[0]
    assert "wrote" not in d.body and '"' not in d.body
    assert "Your spill-to-disk threshold section saved us a week" in d.body
    ref = d.references[0]
    assert ref.kind == "mention" and ref.mentioned == (
        "Your spill-to-disk threshold section saved us a week on our shipment logs")
    assert "spill-to-disk path" in ref.quote  # the line of the work those words point at
    checks = {c.name: c for c in d.checks}
    assert checks["grounded_quote"].passed and "own words" in checks["grounded_quote"].detail
    assert checks["quote_fits"].passed and checks["quote_connects"].passed


async def test_an_email_names_the_work_in_the_senders_words_when_no_line_connects(
        settings: Settings) -> None:
    from drafter.model.testing import ScriptedModel, reply_json
    from drafter.pipeline import draft
    from drafter.types import DraftRequest

    work = ("I hate how slow our spill-to-disk threshold path still is on old disks. "
            "The office moved to a new building in the spring this year. "
            "We planted tomatoes on the roof garden next to the stairs. "
            "Lunch is served at noon in the big hall by the river.")
    req = DraftRequest.model_validate({
        "recipient": {"name": "Dana Li", "works": [{"text": work}]},
        "sender": {"name": "Sam Ortiz", "about": "data engineer at a freight company"},
        "goal": "thank her, her spill-to-disk threshold notes saved us a week. ask if she "
                "tested it on HDDs",
        "channel": "email"})
    d = (await draft(req, client=ScriptedModel([reply_json(quote=1)]),
                     settings=settings)).drafts[0]
    assert "wrote" not in d.body and "I hate" not in d.body
    assert d.references[0].kind == "mention" and d.references[0].quote.startswith("I hate")
    checks = {c.name: c.passed for c in d.checks}
    assert checks["grounded_quote"] and checks["quote_connects"]


@pytest.mark.parametrize(("goal", "says_why"), [
    ("ask him to forward our deck to 2-3 other seed investors he trusts", True),
    ("ask him to introduce us to someone he knows", False),  # toward whom? never said
])
async def test_a_step_that_names_whom_the_sender_wants_to_reach_says_why(
        settings: Settings, goal: str, says_why: bool) -> None:
    from drafter.model.testing import ScriptedModel, reply_json
    from drafter.pipeline import draft
    from drafter.types import DraftRequest

    req = DraftRequest.model_validate({
        "recipient": {"name": "Josh Hannah", "works": [{"text": (
            "I read every email from an entrepreneur and enjoy hearing about a business. "
            "A warm introduction gets you past the first filter of an overloaded investor. "
            "Qualifying an unqualified lead by email takes ten minutes of attention.")}]},
        "sender": {"name": "Priya Nandakumar", "about": "cofounder of a bookstore software "
                   "startup, raising pre-seed", "offer": "our deck and a 90 second demo"},
        "goal": goal, "channel": "email"})
    d = (await draft(req, client=ScriptedModel([reply_json(quote=2)] * 2),
                     settings=settings)).drafts[0]
    check = next(c for c in d.checks if c.name == "says_why")
    assert check.passed is says_why, check.detail


@pytest.mark.parametrize(("offer", "subject"), [
    ("I'd be glad to send you a story for an episode: how I lost my biggest client in 2022.",
     "A story for an episode"),
    ("I'd be glad to send you our county's kindergarten vaccine exemption counts 2019-2024, "
     "cleaned, by school.", "Our county's kindergarten vaccine exemption counts"),
    ("I'd be glad to send you our anonymized data on ~3k failed payouts if it's useful.",
     "Our anonymized data"),
    ("I'd be glad to send you my do-file.", "My do-file"),
])
def test_a_plain_subject_names_what_the_sender_gives(offer: str, subject: str) -> None:
    from drafter.compose import _sent_thing, offer_subject

    assert offer_subject(_sent_thing(offer)) == subject


@pytest.mark.parametrize("offer", [
    "I can offer credit in our blog post.",  # offered, not sent: names no thing
    "I'd be glad to send you the anonymised code.",  # "the": points back at an untold story
    "I'd be glad to send you a list of.",  # cut mid-name
    "I'd be glad to send you a 4 line PR fixing the segfault when you open an empty file.",
    "I'd be glad to send you [your name]'s notes.",
])
def test_no_subject_is_made_from_an_offer_that_names_no_thing(offer: str) -> None:
    from drafter.compose import _sent_thing, offer_subject

    assert offer_subject(_sent_thing(offer)) is None


async def test_a_short_notes_offer_sheds_its_asides_before_the_question_is_lost(
        settings: Settings, example_data: dict[str, Any]) -> None:
    from drafter.model.testing import ScriptedModel, reply_json
    from drafter.pipeline import draft
    from drafter.types import DraftRequest

    data = example_data
    data["channel"] = "linkedin_note"
    data["sender"]["offer"] = ("the benchmark harness I built for our shipment logs (adapted "
                               "from your spill-to-disk notes, with the skewed-key cases) + "
                               "raw timings from 19 runs on spinning disks and on SSDs")
    data["goal"] = ("thank her, her spill-to-disk threshold section saved us a week. ask how "
                    "she picks the threshold for HDDs")
    d = (await draft(DraftRequest.model_validate(data),
                     client=ScriptedModel([reply_json(quote=1)]), settings=settings)).drafts[0]
    assert len(d.body) <= 300
    assert "How do you pick the threshold for HDDs?" in d.body
    assert "the benchmark harness I built for our shipment logs" in d.body
    assert "(adapted" not in d.body  # the aside went first, and that was enough
    checks = {c.name: c for c in d.checks}
    assert checks["kept_what_matters"].passed
    assert "skewed-key" in checks["model_sentence_dropped"].detail  # what was left out is said


async def test_a_sentence_cut_off_mid_way_is_never_passed_as_a_quote(settings: Settings) -> None:
    from drafter.model.testing import ScriptedModel, reply_json
    from drafter.pipeline import draft
    from drafter.types import DraftRequest

    # One sentence longer than a passage: its first passage stops mid-sentence. Blind
    # reviewers failed every draft that quoted such an opening with an ellipsis.
    long = ("Since the shop also lets us sell vinyl and CDs in addition to downloads, and "
            "treats the retail price we set for any physical release as the floor for every "
            "bundle that includes it, we end up pricing the digital album higher than we "
            "would like, which fans notice and ask about in almost every message we get, "
            "and which no amount of explaining on the store page has ever quite fixed for us.")
    req = DraftRequest.model_validate({
        "recipient": {"name": "Tim Quill", "works": [{"text": long}]},
        "sender": {"name": "Kenji Mora", "about": "bedroom musician",
                   "offer": "my notes on how three labels price bundles"},
        "goal": "ask how they price the digital album against vinyl", "channel": "email"})
    model = ScriptedModel([reply_json(quote=1)] * 2)
    d = (await draft(req, client=model, settings=settings)).drafts[0]
    complete = next(c for c in d.checks if c.name == "quote_complete")
    assert len(long) > 320 and '…"' in d.body  # the only line there is, quoted cut off
    assert not complete.passed and "stops before its sentence ends" in complete.detail
    assert not d.passed


@pytest.mark.parametrize(("give", "said"), [
    ("proofread a few of your pitches for free in return", "for free."),
    ("our benchmark data in exchange for an intro to your investors", "our benchmark data."),
])
def test_an_offer_is_never_the_price_of_an_ask(give: str, said: str) -> None:
    from drafter.compose import give_sentence
    from drafter.scorecard import GoalPlan

    sentence = give_sentence(GoalPlan(give=give, give_from="offer", give_kind="thing", ask=None))
    assert sentence.endswith(said) and "return" not in sentence and "exchange" not in sentence


async def test_a_question_about_my_position_keeps_who_asks_it_in_a_short_note(
        settings: Settings, example_data: dict[str, Any]) -> None:
    """"someone in my position" beside no introduction means nothing to the reader: the note
    keeps the introduction with the question, and fails a check if the quote then cannot fit,
    instead of passing a question the reader cannot answer."""
    from drafter.model.testing import ScriptedModel, reply_json
    from drafter.pipeline import draft
    from drafter.types import DraftRequest

    data = example_data
    data["channel"] = "linkedin_note"
    data["goal"] = "ask her to introduce me to 2-3 investors who back data tooling"
    data["sender"]["offer"] = "our skewed-key groupby results"
    d = (await draft(DraftRequest.model_validate(data), client=ScriptedModel(
        [reply_json(quote=4)]), settings=settings)).drafts[0]
    assert "my position" in d.body
    assert "I'm Sam" in d.body
    if "wrote" not in d.body and "stuck with me" not in d.body:
        assert not d.passed


async def test_a_link_placeholder_the_sender_typed_is_left_out_and_reported(
        settings: Settings, example_data: dict[str, Any]) -> None:
    from drafter.model.testing import ScriptedModel, reply_json
    from drafter.pipeline import draft
    from drafter.types import DraftRequest

    data = example_data
    data["sender"]["offer"] = "my benchmark notebook (link)"
    d = (await draft(DraftRequest.model_validate(data), client=ScriptedModel(
        [reply_json(quote=4)]), settings=settings)).drafts[0]
    assert "(link)" not in d.body and "my benchmark notebook" in d.body
    assert next(c for c in d.checks if c.name == "no_placeholders").passed
    left = next(c for c in d.checks if c.name == "model_sentence_dropped").detail
    assert "(link)" in left and "paste the link" in left
    # One the sentence leans on stays, and the check fails it (test_pipeline).
    from drafter.compose import _unmarked
    assert _unmarked("the benchmark at [link]", []) == "the benchmark at [link]"


async def test_a_short_note_says_who_writes_before_it_quotes(
        settings: Settings, example_data: dict[str, Any]) -> None:
    """Blind reviewers failed every LinkedIn note that quoted a line and never said who the
    sender was: the introduction's first sentence outranks the quote in full."""
    from drafter.model.testing import ScriptedModel, reply_json
    from drafter.pipeline import draft
    from drafter.types import DraftRequest

    data = example_data
    data["channel"] = "linkedin_note"
    data["sender"]["about"] = ("I'm a data engineer at a freight logistics company in Ohio. "
                               "We run tidyframe on 2 TB of shipment logs a day.")
    data["sender"]["offer"] = "our skewed-key groupby results on spinning disks"
    data["goal"] = "ask whether the spill-to-disk path was ever tried on spinning disks"
    d = (await draft(DraftRequest.model_validate(data), client=ScriptedModel(
        [reply_json(quote=5)]), settings=settings)).drafts[0]
    assert len(d.body) <= 300
    assert "data engineer at a freight logistics company" in d.body
    assert "spinning disks?" in d.body


@pytest.mark.parametrize(("intro", "shortest"), [
    ("I'm Ben, a volunteer mapper for a flood-relief group.", "I'm Ben, a volunteer mapper."),
    ("I'm a data engineer at a freight logistics company in Ohio.", "I'm a data engineer."),
    ("I'm Marcus, a 9th grade english teacher in the chicago suburbs.",
     "I'm Marcus, a 9th grade english teacher."),
])
def test_a_note_can_say_the_role_without_where_it_is_held(intro: str, shortest: str) -> None:
    """A 200-character note that cannot carry "for a flood-relief group" beside a quote and
    an offer still says who writes: the role alone is the last, shortest introduction."""
    from drafter.compose import _shorter_intros

    forms = _shorter_intros(intro)
    assert forms[0] == intro and forms[-1] == shortest


def test_a_name_alone_or_a_clause_is_never_cut_to_a_role() -> None:
    from drafter.compose import _shorter_intros

    assert _shorter_intros("I'm Tamsin. I self-published my first picture book.") == [
        "I'm Tamsin. I self-published my first picture book."]
    assert _shorter_intros("I'm Jo, in my second year.") == ["I'm Jo, in my second year."]


@pytest.mark.parametrize(("about", "said"), [
    ("undergraduate who did the exercises on her own",
     "I'm Mia, an undergraduate who did the exercises on my own."),
    ("runs the robotics club at a middle school", "I'm Mia. I run the robotics club at a "
                                                  "middle school."),
    ("retired teacher. writes a blog on local birds",
     "I'm Mia, a retired teacher. I write a blog on local birds."),
    ("is a nurse in ohio", "I'm Mia, a nurse in ohio."),
])
def test_a_bio_typed_about_oneself_is_said_in_the_first_person(about: str, said: str) -> None:
    """People type their bio as others describe them ("runs ...", "on her own"): the
    introduction says "I run", "my own", never "I runs" or "your own"."""
    assert introduction("Mia Schulz", about) == said


def test_an_offer_does_not_say_again_what_the_introduction_said_the_sender_has() -> None:
    from drafter.compose import _not_again

    intro = "I'm Dorothy. I collect yearbooks, and I have Chelmsford High 1939 and 1941."
    offer = "I have the 1939 and 1941 ones and can scan them cover to cover and send the files."
    assert _not_again(offer, intro) == "I can scan them cover to cover and send the files."
    # What the introduction did not say stays in the offer.
    assert _not_again(offer, "I'm Dorothy. I collect yearbooks.") == offer


def test_a_question_about_my_position_keeps_the_whole_introduction() -> None:
    from drafter.compose import _shorter_intros

    intro = "I'm Becca. I'm in marketing right now, and I want to go freelance, no bylines yet."
    assert _shorter_intros(intro, whole=True) == [intro]
    assert "I'm Becca. I'm in marketing right now." in _shorter_intros(intro)


async def test_a_note_that_asks_without_saying_who_asks_fails_kept_what_matters(
        settings: Settings, example_data: dict[str, Any]) -> None:
    """Blind reviewers failed a note that asked a question and never said who the sender
    was; the check says so instead of passing it."""
    from drafter.model.testing import ScriptedModel, reply_json
    from drafter.pipeline import draft
    from drafter.types import DraftRequest

    data = example_data
    data["channel"] = "linkedin_note"
    data["sender"]["about"] = ("I'm a data engineer at a freight logistics company in Ohio "
                               "and we run tidyframe on two terabytes of shipment logs a day.")
    data["sender"]["offer"] = ("our skewed-key groupby results on spinning disks, with every "
                               "flame graph, the raw timings per partition and the scripts "
                               "to rerun them all on any cluster of three nodes or more")
    data["goal"] = ("ask whether the spill-to-disk path was ever tried on spinning disks with "
                    "keys this skewed, and whether the 2.0 planner sees it")
    d = (await draft(DraftRequest.model_validate(data), client=ScriptedModel(
        [reply_json(quote=5)]), settings=settings)).drafts[0]
    kept = next(c for c in d.checks if c.name == "kept_what_matters")
    assert "I'm Sam" not in d.body and "spill-to-disk" in d.body  # asked, without who asks
    assert not kept.passed and "who you are" in kept.detail and not d.passed


def test_a_thing_given_in_the_message_names_the_subject() -> None:
    """A news pitch under "A question about your work" failed blind review: the thing
    given ("Here's a news story: ...") names the subject as a thing sent does."""
    from drafter.compose import _sent_thing, offer_subject

    assert offer_subject(_sent_thing("Here's a news story: paper out next Tuesday shows bees "
                                     "forage earlier.")) == "A news story"
    assert _sent_thing("I'd be glad to send you my notes on the talk.") == "my notes on the talk"


async def test_a_mention_cut_by_a_notes_limit_grounds_nothing(settings: Settings) -> None:
    """The sender's words naming the work went with the reason a note had no room for; the
    question then pointed at "the racing habits" of nothing (blind review), so the draft may
    not count that mention as grounding."""
    from drafter.model.testing import ScriptedModel, reply_json
    from drafter.pipeline import draft
    from drafter.types import DraftRequest

    work = ("I spent the first morning of the DI course relearning to tack the RYA way. "
            "Years of racing habits had to go before I could teach anyone a roll tack. "
            "While these habits make me a more efficient sailor, they make me a bad demo.")
    req = DraftRequest.model_validate({
        "recipient": {"name": "Charlie Baker", "works": [{"text": work}]},
        "sender": {"name": "Ruth Ames", "about": "raced lasers for 10 yrs, now mostly "
                   "pottering about in dinghies with my kids on the medway"},
        "goal": "saw his blog about the DI course and spending the morning relearning to tack "
                "the rya way after years of racing habits. thinking of doing the DI this "
                "winter myself. one question: was unlearning the racing habits the hard bit or "
                "was it the actual teaching side? happy to come help rig boats at the club's "
                "next open day if they need hands",
        "channel": "linkedin_note"})
    d = (await draft(req, client=ScriptedModel([reply_json(quote=1)] * 2),
                     settings=settings)).drafts[0]
    assert "DI course" not in d.body and "wrote" not in d.body  # no room for the reason
    assert not any(r.kind == "mention" for r in d.references)
    assert not next(c for c in d.checks if c.name == "grounded_quote").passed
    assert not d.passed
    # A past tense typed without "I" is the sender's ("raced lasers" -> "I raced lasers").
    assert "I raced lasers for 10 years" in d.body


def test_a_coached_question_without_its_reason_said_fails_says_why() -> None:
    from drafter.compose import Composed, _why_check

    a = assess_goal("can she refer me, i really want to work there",
                    recipient_name="Dana Li")
    assert a.classification == "entitled" and a.plan is not None
    assert a.plan.ask_from == "first_step" and not a.plan.aim and a.plan.ask
    base = dict(subject=None, references=[], offer=None, removed_links=0, dropped=[],
                quoted_line=False, unsupported=[], ask=a.plan.ask,
                why="We're opening a bouldering gym next month.")
    silent = Composed(body=f"Hi Dana, I'm Derek. {a.plan.ask} - Derek",
                      **base)  # type: ignore[arg-type]
    told = Composed(body=f"Hi Dana, I'm Derek. We're opening a bouldering gym next month. "
                    f"{a.plan.ask} - Derek", **base)  # type: ignore[arg-type]
    assert not _why_check(silent, a).passed
    assert _why_check(told, a).passed


def test_a_first_step_toward_nobody_named_fails_says_why_even_with_a_reason() -> None:
    """"What would you suggest someone in my position do first?" with nothing to reach: every
    blind reviewer failed it ("do first, toward what?"), whatever else the message said."""
    from drafter.compose import Composed, _why_check

    a = assess_goal("ask him to intro us to 2-3 people in his network",
                    recipient_name="Marcio Saito")
    assert a.plan is not None and a.plan.ask == (
        "What would you suggest someone in my position do first?")
    told = Composed(subject=None, references=[], offer=None, removed_links=0, dropped=[],
                    quoted_line=False, unsupported=[], ask=a.plan.ask,
                    why="We're opening a bouldering gym next month.",
                    body=f"Hi Marcio, I'm Derek. We're opening a bouldering gym next month. "
                    f"{a.plan.ask} - Derek")
    check = _why_check(told, a)
    assert not check.passed and "says nothing of what it is about" in check.detail


def test_a_coached_gift_alone_with_no_reason_said_fails_says_why() -> None:
    from drafter.compose import Composed, _why_check

    a = assess_goal("want her to run a blurb for our kombucha in her newsletter, we can send a "
                    "couple cases out for her and the crew", recipient_name="Jillian Varney")
    assert a.classification == "entitled" and a.plan is not None
    base = dict(subject=None, references=[], removed_links=0, dropped=[], quoted_line=False,
                unsupported=[], ask=None, offer="I'd be glad to send a couple cases out.")
    bare = Composed(body="Hi Jillian, I'm Tyler. I'd be glad to send a couple cases out. - Tyler",
                    why=None, **base)  # type: ignore[arg-type]
    assert not _why_check(bare, a).passed
    told = Composed(body="Hi Jillian, I'm Tyler. We brew with local fruit from your valley. "
                    "I'd be glad to send a couple cases out. - Tyler",
                    why="We brew with local fruit from your valley.",
                    **base)  # type: ignore[arg-type]
    assert _why_check(told, a).passed


def test_a_thing_given_before_anything_says_what_it_is_is_caught() -> None:
    from drafter.compose import _unintroduced_thing

    offer = "I will send you the finished handout as a PDF."
    assert _unintroduced_thing(f"I'm Owen, an instructor. {offer}", offer) == (
        "the finished handout")
    assert _unintroduced_thing(f"I'm making a handout for my students. {offer}", offer) is None
    sent = "I can send you the results of our run on 2 TB."
    assert _unintroduced_thing(f"I'm Sam. {sent}", sent) is None  # says what they are
    theirs = "I can run the spill-to-disk path on spinning disks."
    assert _unintroduced_thing(f"I'm Sam. {theirs}", theirs,
                               "we added a spill-to-disk path that kicks in") is None


def test_only_a_thing_sent_needs_saying_what_it_is() -> None:
    from drafter.compose import _unintroduced_thing

    credit = "I can offer full credit to you and the nature center."
    assert _unintroduced_thing(f"I'm Paula. {credit}", credit) is None
    sent = "I can send you the handout plus my 45 min practice plan."
    assert _unintroduced_thing(f"I'm Tom. {sent}", sent) == "the handout"


_HANDOUT = "I can send you the handout plus my 45 min practice plan."
_TRANSLATIONS = "I'd be glad to send you the translations so you can post them."


@pytest.mark.parametrize(("before", "sent", "after", "unsaid"), [
    # Said after the offer, in the question.
    ("I'm Tom.", _HANDOUT, "Would you be OK with me quoting it in the one page handout I give "
     "parents?", None),
    # Same word, another ending.
    ("We want to translate a few modules.", _TRANSLATIONS, "", None),
    # A container word pointing back at the clause before it in the same offer ...
    ("I'm Dot.", "I can scan them cover to cover and send the files.", "", None),
    # ... but not when nothing comes before it.
    ("I'm Dot.", "I can send you the files.", "", "the files"),
    # The head of a longer name is its last word before "from": "the session" names it.
    ("I'm Ife.", "I'll send you the anonymised student feedback from the session.", "", None),
    ("I'm Ife.", "I'll send you the anonymised student feedback.", "",
     "the anonymised student feedback"),
    # What data shows is not a thing given, and "the same" points at their work.
    ("I'm Arne.", "I can offer ten years of discharge data that show the same spikes after "
     "rain.", "", None),
])
def test_a_thing_the_rest_of_the_message_says_is_introduced(
        before: str, sent: str, after: str, unsaid: str | None) -> None:
    """Blind reviewers passed all the drafts whose thing is introduced; the reader reads the
    whole message."""
    from drafter.compose import _unintroduced_thing

    assert _unintroduced_thing(" ".join(filter(None, [before, sent, after])), sent) == unsaid


@pytest.mark.parametrize(("about", "said"), [
    # A person is "a ...": a studio tech, a mum, an RN-style role after an -ing word.
    ("studio tech at a community clay studio", "I'm Mia, a studio tech at a community clay "
                                               "studio."),
    ("mum of a 13yo", "I'm Mia, a mum of a 13yo."),
    ("wedding photographer", "I'm Mia, a wedding photographer."),
    # Notes that name no person take no article (blind reviewers: "a hobby hydroponics",
    # "a retired (utilities)" read as garble).
    ("hobby hydroponics in the garage, lettuce + basil", "I'm Mia. Hobby hydroponics in the "
                                                         "garage, lettuce and basil."),
    ("retired (utilities)", "I'm Mia, retired (utilities)."),
    ("3rd year journalism, u of regina", "I'm Mia. 3rd year journalism at U of regina."),
    ("running a 2 person bakery", "I'm Mia, running a 2 person bakery."),
    # A verb typed about oneself, and "self published" as something done.
    ("edits the neighborhood newsletter", "I'm Mia. I edit the neighborhood newsletter."),
    ("self published my first picture book", "I'm Mia. I self-published my first picture "
                                             "book."),
    # A one-letter abbreviation ("b." for born) ends no sentence.
    ("retired. stuck at a william morgan b. abt 1790s", "I'm Mia, retired. Stuck at a william "
                                                        "morgan b. about 1790s."),
])
def test_an_article_goes_only_before_a_person(about: str, said: str) -> None:
    assert introduction("Mia Schulz", about) == said


def test_a_models_introduction_keeps_its_full_stop_after_a_chat_word() -> None:
    """"mostly YouTube lol." lost its full stop with the "lol" and ran into the next
    sentence ("mostly YouTube I saw your day 46 post")."""
    from drafter.bio import accept_intro

    said = accept_intro("I'm Mia. I'm a studio tech at a clay studio. I have 2 kilns. I self "
                        "taught on kiln repair, mostly YouTube lol.", name="Mia Schulz",
                        about="studio tech at a clay studio. 2 kilns. self taught on kiln "
                              "repair, mostly youtube lol")
    assert said == ("I'm Mia. I'm a studio tech at a clay studio. I have 2 kilns. I'm "
                    "self-taught on kiln repair, mostly YouTube.")


def test_who_the_sender_is_ties_a_quote_only_when_it_also_ties_the_offer() -> None:
    """Blind reviewers passed a line about fire beside "I kept cross sections with fire
    scars" and an offer of "photos of the cross sections"; an introduction that only names
    their project ties nothing."""
    from drafter.compose import Composed, _bridged

    quote = "Native Americans used fire to clear land for habitation and agriculture."

    def bridged(intro: str, offer: str) -> tuple[str, ...]:
        body = f'Hi Larry,\n\nYou wrote: "{quote}"\n\n{intro} {offer}\n\nBest,\nGordon'
        return _bridged(quote, Composed(subject=None, body=body, references=[], offer=offer,
                                        ask=None, removed_links=0, dropped=[],
                                        quoted_line=True, unsupported=[], said=offer))

    assert bridged("I'm Gordon. I kept cross sections with fire scars from an old pine stand.",
                   "I'd be glad to send you photos of the cross sections and my ring "
                   "counts.") == ("fire",)
    assert bridged("I'm Sam. I study fire history.",
                   "I'd be glad to send you my notes on docker images.") == ()


@pytest.mark.parametrize(("name", "greeted"), [
    ("The Redheaded Pharmacist", "Redheaded Pharmacist"), ("Dana Li", "Dana"),
    ("Dr. Ana Ruiz", "Dr. Ruiz"), ("nsaunders", "nsaunders"),
])
def test_a_pen_name_with_an_article_is_greeted_without_it(name: str, greeted: str) -> None:
    assert greeting_name(name) == greeted


def test_me_and_my_partner_is_said_my_partner_and_i() -> None:
    assert introduction("Priya Raman", "me + my partner bought 4 acres in nh") == \
        "I'm Priya. My partner and I bought 4 acres in nh."


@pytest.mark.parametrize(("goal", "subject"), [
    ("loved her shearing season post, one q - did the shoulder hold up",
     "Your shearing season post"),
    ("saw his post on the rusty strings and the old piano. ask how flat he tuned it",
     "Your post on the rusty strings"),
    ("read her lookout journals. ask who she went through for her first hitch",
     "Your lookout journals"),
    # Words the work does not have name a work they did not write: no subject from them.
    ("loved her post about sourdough starters, ask which flour", None),
    ("ask about her post", None),  # names nothing but its kind
])
def test_the_senders_name_for_the_work_is_the_subject(
        example_data: dict[str, Any], goal: str, subject: str | None) -> None:
    from drafter.compose import _work_named
    from drafter.context import build_context
    from drafter.types import DraftRequest

    example_data["recipient"]["works"] = [{"text": (
        "Such is the nature of shearing season. I tuned the PH piano a little flat because the "
        "strings were rusty. The lookout journals are where I write each evening up there.")}]
    example_data["goal"] = goal
    ctx = build_context(DraftRequest.model_validate(example_data), budget_chars=2000)
    assert _work_named(ctx) == subject


def test_the_words_of_a_replaced_ask_do_not_choose_the_quote(
        example_data: dict[str, Any]) -> None:
    """Her line against working for free, chosen for the words "for free" of an ask the
    message no longer makes, read as a jab above the first step that replaced it."""
    from drafter.compose import _focus
    from drafter.context import build_context
    from drafter.types import DraftRequest

    example_data["goal"] = ("loved her launch party photos. want her to shoot our launch party "
                            "for free. we are a tiny bakery opening in june")
    ctx = build_context(DraftRequest.model_validate(example_data), budget_chars=2000)
    kept = _focus(ctx, None, left_out=("shoot our launch party for free",))
    assert "free" not in kept and "tiny bakery" in kept and "launch party photos" in kept
    assert "for free" in _focus(ctx, None)


def test_a_note_with_no_quote_keeps_the_senders_reason_before_a_long_introduction() -> None:
    from drafter.compose import _fit_short, _note_plans

    ask = ("Do you have a simple way you explain the piles thing to a group of total beginners "
           "before they start, like a quick rule?")
    why = "I read your post about saving the good stones."
    plans = _note_plans("", "", "I'm Theo. I'm a weekend trail crew volunteer, we're rebuilding "
                        "a collapsed field wall along the path this summer.", why=why,
                        closed=[ask], give_ask=("", ask), compact=[], ask_first=False)
    body = _fit_short("Hi thinking-stoneman,", "Theo", 300, plans)
    assert why in body and ask in body and "I'm Theo" in body and len(body) <= 300


@pytest.mark.parametrize(("offer", "about", "ware"), [
    ("I can offer a kit free obviously, whichever one you want.",
     "i make laser cut HO coal tipple kits in my garage, sell on etsy", "kit"),
    ("I can offer free antennas for your next review.", "we build portable antennas", "antenna"),
    ("I'd be glad to send you my crossing counts.", "i make spreadsheets of counts", None),
    ("I can offer a kit.", "i make tipple kits", None),  # not free: a thing to buy
])
def test_a_free_sample_of_what_the_sender_sells_is_found(
        offer: str, about: str, ware: str | None) -> None:
    from drafter.compose import _own_ware

    assert _own_ware(offer, about) == ware


def test_a_shorter_offer_keeps_the_words_that_give() -> None:
    # The extra things go up to their clause's end, then to the sentence's...
    assert _compact_offers("the problem set I built (adapted from your syllabus) + 19 "
                           "reflections") == ["the problem set I built + 19 reflections",
                                              "the problem set I built"]
    # ... but never the words that give: "I have photos." only says what the sender has.
    said = ("I have photos + dates of our flooding and a neighbour's depth readings, and I'd be "
            "glad to send them if it helps.")
    assert _compact_offers(said) == ["I have photos and a neighbour's depth readings, and I'd be "
                                     "glad to send them if it helps."]


def test_a_note_keeps_the_first_sentence_of_a_reason_too_long_to_keep_whole() -> None:
    why = ("I read your series for apprentices. My host company is shutting down and I need a "
           "new one.")
    forms = _note_plans("", "", "I'm Lwazi, an apprentice.", why=why, closed=[],
                        give_ask=("", "What would you suggest I work on next?"), compact=[],
                        ask_first=False)
    whole = forms.index(["I'm Lwazi, an apprentice.", why, "",
                         "What would you suggest I work on next?"])
    first = forms.index(["I'm Lwazi, an apprentice.", "I read your series for apprentices.", "",
                         "What would you suggest I work on next?"])
    bare = forms.index(["I'm Lwazi, an apprentice.", "", "What would you suggest I work on next?"])
    assert whole < first < bare  # the reason shortens before it goes
