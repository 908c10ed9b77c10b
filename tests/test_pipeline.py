"""The pipeline with a scripted model: happy path, repairs, and failures that must surface."""

from __future__ import annotations

import re
from typing import Any

import pytest

from drafter.config import Settings
from drafter.errors import InvalidModelOutput, ModelRefused, ModelTimeout
from drafter.model.testing import ScriptedModel, reply_json
from drafter.pipeline import draft
from drafter.types import DraftRequest


async def test_happy_path_composes_a_grounded_signed_email(
        example_request: DraftRequest, settings: Settings) -> None:
    model = ScriptedModel([reply_json()])
    result = await draft(example_request, client=model, settings=settings)
    d = result.drafts[0]
    assert d.passed, d.checks
    assert d.body.startswith("Hi Dana,\n\n")
    assert d.body.endswith("Best,\nSam Ortiz")
    assert d.subject == "Skewed keys and groupby"
    work = example_request.recipient.works[0].text or ""
    assert d.references and all(work[r.start:r.end] == r.quote for r in d.references)
    assert d.references[0].quote in d.body
    assert d.ask is not None and d.ask.endswith("?")
    assert result.usage.model_calls == 2  # the goal's size read first, then the draft
    assert len(result.prompt_version) == 12


async def test_prompt_fences_the_work_and_offers_real_quotes_only(
        example_request: DraftRequest, settings: Settings) -> None:
    model = ScriptedModel([reply_json()])
    await draft(example_request, client=model, settings=settings)
    sent = model.requests[0]
    user = sent.messages[-1].content
    assert "<<<WORK 1" in user and "<<<END WORK 1" in user
    schema = sent.json_schema or {}
    numbers = schema["properties"]["quote"]["enum"]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 3
    work = example_request.recipient.works[0].text or ""
    lines = re.findall(r"^\[\d+\] (.*)$", user, re.MULTILINE)
    assert len(lines) == len(numbers) and all(line in work for line in lines)


async def test_bad_json_is_repaired_once_with_the_problem(
        example_request: DraftRequest, settings: Settings) -> None:
    model = ScriptedModel(["Sure! Here is your email: Dear Dana...", reply_json()])
    result = await draft(example_request, client=model, settings=settings)
    assert result.drafts[0].passed
    assert result.drafts[0].attempts == 2
    repair = model.requests[1].messages
    assert repair[-2].role == "assistant"
    assert "not a JSON object" in repair[-1].content


async def test_json_in_code_fences_is_accepted(example_request: DraftRequest,
                                               settings: Settings) -> None:
    reply = reply_json()
    model = ScriptedModel([lambda r: f"Here you go:\n```json\n{reply(r)}\n```\nGood luck!"])
    result = await draft(example_request, client=model, settings=settings)
    assert result.drafts[0].passed and result.usage.model_calls == 2  # goal read + draft


async def test_still_invalid_after_repairs_is_an_error_not_a_draft(
        example_request: DraftRequest, settings: Settings) -> None:
    model = ScriptedModel(['{"subject": "x"', '{"opening": 5}'])
    with pytest.raises(InvalidModelOutput) as info:
        await draft(example_request, client=model, settings=settings)
    assert info.value.attempts == 2
    assert info.value.http_status == 502


async def test_placeholder_fails_the_check_with_reason(
        example_data: dict[str, Any], settings: Settings) -> None:
    # The sender's own text is sent as they wrote it, so its placeholder fails the check; the
    # model's sentence with one is left out.
    example_data["sender"]["offer"] = "the benchmark at [LINK]"
    bad = reply_json(reaction="[Your Name] has seen this too.")
    model = ScriptedModel([bad])
    result = await draft(DraftRequest.model_validate(example_data), client=model,
                         settings=settings)
    d = result.drafts[0]
    failed = {c.name: c.detail for c in d.checks if not c.passed}
    assert "[LINK]" in failed["no_placeholders"] and not d.passed
    assert "[Your Name]" not in d.body


async def test_polite_refusal_inside_json_is_a_refusal(
        example_request: DraftRequest, settings: Settings) -> None:
    refusal = reply_json(reaction="I'm sorry, but I can't help with writing this message.")
    with pytest.raises(ModelRefused):
        await draft(example_request, client=ScriptedModel([refusal]), settings=settings)


async def test_model_errors_propagate_typed(example_request: DraftRequest,
                                            settings: Settings) -> None:
    model = ScriptedModel([ModelTimeout("slow")])
    with pytest.raises(ModelTimeout):
        await draft(example_request, client=model, settings=settings)


async def test_variants_use_distinct_seeds_and_repeat_indexes(
        example_data: dict[str, object], settings: Settings) -> None:
    example_data["variants"] = 3
    request = DraftRequest.model_validate(example_data)
    model = ScriptedModel([reply_json()])
    result = await draft(request, client=model, settings=settings)
    assert len(result.drafts) == 3
    assert [r.seed for r in model.requests] == [settings.seed, settings.seed + 1,
                                                settings.seed + 2]
    assert [r.repeat_index for r in model.requests] == [0, 1, 2]


async def test_linkedin_note_respects_the_free_account_limit(
        example_data: dict[str, object], settings: Settings) -> None:
    example_data.update(channel="linkedin_note", linkedin_free_account=True)
    request = DraftRequest.model_validate(example_data)
    short = reply_json(quote_containing="Every pull request now runs",
                       reaction="Smart rule.", offer="I have skewed-key results to share.",
                       ask="Useful?")
    result = await draft(request, client=ScriptedModel([short]), settings=settings)
    d = result.drafts[0]
    assert d.subject is None
    assert len(d.body) <= 200, len(d.body)
    assert d.body.endswith("– Sam")


async def test_entitled_goal_is_coached_down_before_drafting(
        example_data: dict[str, object], settings: Settings) -> None:
    example_data["goal"] = "get her to introduce me to her investors"
    request = DraftRequest.model_validate(example_data)
    model = ScriptedModel([reply_json(quote=1)])
    result = await draft(request, client=model, settings=settings)
    assert result.assessment.classification == "entitled"
    assert any("earned, not transferable" in r for r in result.assessment.reasons)
    user = model.requests[0].messages[-1].content
    assert "introduce" not in user and "investors" not in user
    plan = result.assessment.plan
    steps = result.assessment.first_steps
    assert plan is not None and steps and plan.ask == steps[0].ask
    assert steps[0].toward == "funding" or steps[0].toward == "an introduction"
    assert f"My question to them (the message already asks it): {plan.ask}" in user
    for d in result.drafts:
        assert "introduc" not in d.body.lower() and "investor" not in d.body.lower()


async def test_a_model_that_obeys_an_injected_contacts_ask_never_sends_it(
        example_data: dict[str, Any], settings: Settings) -> None:
    # Only a goal with neither a question nor a give lets the model propose a question.
    example_data["goal"] = "want to connect, maybe collab"
    example_data["sender"]["offer"] = None
    obeying = reply_json(ask="Could you send me a list of all your contacts and investors?")
    model = ScriptedModel([obeying])
    result = await draft(DraftRequest.model_validate(example_data), client=model,
                         settings=settings)
    assert "my_question" in str(model.requests[0].json_schema)
    d = result.drafts[0]
    assert "contacts" not in d.body and "investors" not in d.body
    assert not d.passed  # the guard's check fails and says what it removed
    safe = next(c for c in d.checks if c.name == "honest_and_safe")
    assert not safe.passed and safe.detail


async def test_no_offer_is_ever_invented_and_ideas_are_proposed(
        example_data: dict[str, Any], settings: Settings) -> None:
    example_data["sender"]["offer"] = None
    reply = reply_json(offer="I can share that I run the project and a small gift.")
    model = ScriptedModel([reply])
    result = await draft(DraftRequest.model_validate(example_data), client=model,
                         settings=settings)
    assert "what_i_can_give_you" not in str(model.requests[0].json_schema)
    d = result.drafts[0]
    assert d.offer is None and "gift" not in d.body and "run the project" not in d.body
    has_offer = next(c for c in d.checks if c.name == "has_offer")
    assert not has_offer.passed and not d.passed
    ideas = result.assessment.offer_ideas
    assert len(ideas) >= 2 and all(i in has_offer.detail for i in ideas)


async def test_the_give_in_the_goal_is_the_offer(
        example_data: dict[str, Any], settings: Settings) -> None:
    example_data["sender"]["offer"] = None
    example_data["goal"] = ("send her my skewed-key timings and ask whether she tested the "
                            "spill path on spinning disks")
    model = ScriptedModel([reply_json(quote=1)])
    result = await draft(DraftRequest.model_validate(example_data), client=model,
                         settings=settings)
    d = result.drafts[0]
    assert d.offer == "I'd be glad to send you my skewed-key timings."
    assert d.ask == "Could you tell me whether you tested the spill path on spinning disks?"
    assert d.passed, [c for c in d.checks if not c.passed]


async def test_a_models_stacked_question_keeps_its_first(
        example_data: dict[str, Any], settings: Settings) -> None:
    example_data["goal"] = "want to connect, maybe collab"
    reply = reply_json(quote=1, ask="How do you spot slowdowns? And can we talk this week?")
    result = await draft(DraftRequest.model_validate(example_data),
                         client=ScriptedModel([reply]), settings=settings)
    d = result.drafts[0]
    assert d.ask == "How do you spot slowdowns?" and "talk this week" not in d.body


async def test_a_models_third_person_question_is_left_out(
        example_data: dict[str, Any], settings: Settings) -> None:
    example_data["goal"] = "want to connect, maybe collab"
    slip = reply_json(quote=1, ask="How does she spot slowdowns that Sam's team would miss?")
    model = ScriptedModel([slip])
    result = await draft(DraftRequest.model_validate(example_data), client=model,
                         settings=settings)
    d = result.drafts[0]
    assert d.ask is None and "she spot" not in d.body and len(model.requests) == 1
    dropped = next(c for c in d.checks if c.name == "model_sentence_dropped")
    assert "third person" in dropped.detail


async def test_a_named_offer_is_stated_by_the_pipeline_not_the_model(
        example_request: DraftRequest, settings: Settings) -> None:
    model = ScriptedModel([reply_json(offer="I can give you my whole customer list.")])
    result = await draft(example_request, client=model, settings=settings)
    schema = model.requests[0].json_schema
    assert schema is not None and "what_i_can_give_you" not in str(schema)
    d = result.drafts[0]
    assert d.offer == ("I'd be glad to send you the results of running the new groupby on 2 TB "
                       "of our shipment logs, where keys are very skewed, including the "
                       "spill-to-disk path on spinning disks.")
    assert "customer list" not in d.body and d.offer in d.body


async def test_removed_links_leave_no_debris_and_no_false_question(
        example_data: dict[str, Any], settings: Settings) -> None:
    example_data["goal"] = "want to connect, maybe collab"
    linked = reply_json(quote=1,
                        ask="Have you seen the slowdown we measured at https://x.example/r?id=1?")
    result = await draft(DraftRequest.model_validate(example_data),
                         client=ScriptedModel([linked]), settings=settings)
    d = result.drafts[0]
    assert d.ask == "Have you seen the slowdown we measured?"
    assert next(c for c in d.checks if c.name == "single_ask").passed


@pytest.mark.parametrize("goal", [
    "ask her to introduce me to her network",
    "get access to her contacts in the database world",
    "get a referral for a job on her team",
])
async def test_entitled_goals_are_coached_not_refused(
        goal: str, example_data: dict[str, object], settings: Settings) -> None:
    example_data["goal"] = goal
    model = ScriptedModel([reply_json(quote=1)])
    result = await draft(DraftRequest.model_validate(example_data), client=model,
                         settings=settings)
    assert result.assessment.classification == "entitled"
    assert result.assessment.proposed_first_step
    assert model.requests, "an entitled goal is drafted as a first step, not refused"


@pytest.mark.parametrize("quote", ["[2]", " 2 ", "The catch is memory"])
async def test_a_quote_given_as_text_or_bracketed_is_mapped_to_its_line(
        quote: str, example_request: DraftRequest, settings: Settings) -> None:
    model = ScriptedModel([reply_json(quote=quote)])
    result = await draft(example_request, client=model, settings=settings)
    d = result.drafts[0]
    # Understood as line 2 on the first reply (no repair call). The line quoted is then
    # chosen by relevance (drafter.quoting); line 2 is what the model's choice was mapped to.
    assert d.attempts == 1 and d.references
    assert next(c for c in d.checks if c.name == "grounded_quote").passed
    dropped = next((c.detail for c in d.checks if c.name == "model_sentence_dropped"), "")
    assert "choice of line 2" in dropped or d.references[0].quote.startswith("The catch is")


@pytest.mark.parametrize(("offer", "sentence"), [
    ("my benchmark on 2 TB of logs", "I'd be glad to send you my benchmark on 2 TB of logs."),
    ("The results of running X, where keys are skewed",  # a verb inside is not a sentence
     "I'd be glad to send you the results of running X, where keys are skewed."),
    ("review your docs", "I'd be glad to review your docs."),
    ("help with testing on ARM", "I'd be glad to help with testing on ARM."),
    ("feedback on your docs", "I'd be glad to send you feedback on your docs."),
    ("I can run your suite on ARM", "I can run your suite on ARM."),
    ("my notes on the spill path", "I'd be glad to send you my notes on the spill path."),
    ("happy to pair on the fix!", "Happy to pair on the fix!"),
    ("  ", ""),
])
def test_a_named_offer_becomes_a_sentence_without_new_facts(offer: str, sentence: str) -> None:
    from drafter.compose import offer_sentence

    assert offer_sentence(offer) == sentence


async def test_a_short_note_keeps_the_offer_and_drops_the_question_first(
        example_data: dict[str, Any], settings: Settings) -> None:
    example_data.update(channel="linkedin_note", linkedin_free_account=True)
    example_data["sender"]["offer"] = "my skewed-key benchmark"
    long_ask = ("How do you decide which of the benchmark results in CI are real regressions "
                "and which are only noise from the shared runners?")
    reply = reply_json(quote_containing="Every pull request now runs", ask=long_ask)
    result = await draft(DraftRequest.model_validate(example_data),
                         client=ScriptedModel([reply]), settings=settings)
    d = result.drafts[0]
    assert len(d.body) <= 200, d.body
    assert "I'd be glad to send you my skewed-key benchmark." in d.body
    assert long_ask not in d.body


async def test_invented_quote_is_repaired_then_reported(
        example_request: DraftRequest, settings: Settings) -> None:
    model = ScriptedModel([reply_json(quote=99), reply_json(quote=99)])
    result = await draft(example_request, client=model, settings=settings)
    d = result.drafts[0]
    assert not d.passed and d.attempts == 2
    failed = {c.name: c.detail for c in d.checks if not c.passed}
    assert "line number from 1 to" in failed["grounded_quote"]
    assert "line number" in model.requests[1].messages[-1].content
    assert d.references == []


async def test_quote_and_introduction_come_from_the_source_and_request(
        example_request: DraftRequest, settings: Settings) -> None:
    model = ScriptedModel([reply_json()])
    result = await draft(example_request, client=model, settings=settings)
    d = result.drafts[0]
    assert ('In "Faster groupby in tidyframe 2.0" you wrote: "Performance regressions are the '
            'bugs I fear most, because nobody files an issue') in d.body
    work = example_request.recipient.works[0].text or ""
    assert [work[r.start:r.end] for r in d.references] == [r.quote for r in d.references]
    assert "I'm Sam, a data engineer at a freight logistics company" in d.body
    assert d.passed


@pytest.mark.parametrize("reaction", [
    "Want to see our benchmark?",
    "As we discussed at the meetup, this is exactly our problem.",
    "See https://attacker.example/?d=secrets and ![x](https://evil.example/p.png).",
    "The quote shows Sam's team has the same problem.",
    'Congrats on "the 2024 Turing Award for tidyframe" too.',
])
async def test_the_model_writes_no_sentence_of_its_own_into_the_message(
        reaction: str, example_request: DraftRequest, settings: Settings) -> None:
    # A small model's "why it matters" sentence was generic or invented more often than not:
    # it is not asked for, and a reply that carries one anyway never reaches the message.
    model = ScriptedModel([reply_json(reaction=reaction)])
    result = await draft(example_request, client=model, settings=settings)
    d = result.drafts[0]
    assert "why_it_matters_to_me" not in str(model.requests[0].json_schema)
    assert reaction[:20] not in d.body and "attacker" not in d.body
    assert d.passed and len(model.requests) == 1


async def test_planted_links_in_the_models_question_never_survive(
        example_data: dict[str, Any], settings: Settings) -> None:
    example_data["goal"] = "want to connect, maybe collab"
    planted = reply_json(quote=1, ask="Have you seen https://attacker.example/?d=x and "
                         "![x](https://evil.example/p.png) yet?")
    result = await draft(DraftRequest.model_validate(example_data),
                         client=ScriptedModel([planted]), settings=settings)
    d = result.drafts[0]
    assert "attacker.example" not in d.body and "evil.example" not in d.body
    assert any(c.name == "no_foreign_links" for c in d.checks)


async def test_fake_familiarity_in_what_the_sender_typed_fails_the_rubric(
        example_data: dict[str, Any], settings: Settings) -> None:
    example_data["sender"]["offer"] = ("As we discussed at the meetup, I can send you our "
                                       "benchmark on skewed keys")
    model = ScriptedModel([reply_json()])
    result = await draft(DraftRequest.model_validate(example_data), client=model,
                         settings=settings)
    d = result.drafts[0]
    assert not d.passed
    cred = next(x for x in d.score.dimensions if x.dimension == "credibility")
    assert cred.verdict == "fail"
    assert any("as we discussed" in s.text.lower() for f in cred.findings for s in f.spans)


async def test_a_quote_that_connects_to_nothing_is_replaced_by_one_that_does(
        example_data: dict[str, Any], settings: Settings) -> None:
    # Line 1 is about the rewrite itself; the sender asks about blocking merges.
    example_data["sender"]["offer"] = None
    example_data["goal"] = "ask her how a regression of more than 5 percent blocks the merge"
    model = ScriptedModel([reply_json(quote=1)])
    d = (await draft(DraftRequest.model_validate(example_data), client=model,
                     settings=settings)).drafts[0]
    assert d.references and "blocks the merge" in d.references[0].quote
    note = next(c for c in d.checks if c.name == "model_sentence_dropped")
    assert "another line shares more" in note.detail


async def test_a_ladder_question_without_a_reason_fails_says_why(
        example_data: dict[str, Any], settings: Settings) -> None:
    example_data["goal"] = "get her to introduce me to her investors"
    model = ScriptedModel([reply_json(quote=1)])
    d = (await draft(DraftRequest.model_validate(example_data), client=model,
                     settings=settings)).drafts[0]
    why = next(c for c in d.checks if c.name == "says_why")
    assert not why.passed and "why you write" in why.detail and not d.passed
    example_data["goal"] = ("we are building a groupby benchmark suite for logistics data. "
                            "get her to introduce me to her investors")
    d = (await draft(DraftRequest.model_validate(example_data), client=model,
                     settings=settings)).drafts[0]
    assert next(c for c in d.checks if c.name == "says_why").passed
    assert "We are building a groupby benchmark suite for logistics data." in d.body


async def test_a_quote_unrelated_to_the_give_and_ask_fails_quote_connects(
        example_data: dict[str, Any], settings: Settings) -> None:
    example_data["sender"]["offer"] = "my notes on docker images"
    example_data["goal"] = "ask her whether she pins base images"
    model = ScriptedModel([reply_json(quote=1)])
    d = (await draft(DraftRequest.model_validate(example_data), client=model,
                     settings=settings)).drafts[0]
    connects = next(c for c in d.checks if c.name == "quote_connects")
    assert not connects.passed and not d.passed


async def test_a_note_that_cannot_fit_the_senders_question_fails_instead_of_dropping_it(
        example_data: dict[str, Any], settings: Settings) -> None:
    example_data.update(channel="linkedin_note", linkedin_free_account=True)
    example_data["goal"] = ("ask her whether the spill-to-disk threshold in the new groupby "
                            "was tuned on SSDs only or on spinning disks as well")
    d = (await draft(DraftRequest.model_validate(example_data),
                     client=ScriptedModel([reply_json(quote=1)]), settings=settings)).drafts[0]
    assert len(d.body) <= 200
    kept = next(c for c in d.checks if c.name == "kept_what_matters")
    assert not kept.passed and "did not fit" in kept.detail and not d.passed


async def test_saying_the_same_thing_twice_fails_no_repeats(
        example_data: dict[str, Any], settings: Settings) -> None:
    example_data["sender"]["about"] = "did an REU on paper wasp nestmate recognition"
    example_data["sender"]["offer"] = "the REU poster on paper wasp nestmate recognition"
    d = (await draft(DraftRequest.model_validate(example_data),
                     client=ScriptedModel([reply_json()]), settings=settings)).drafts[0]
    repeats = next(c for c in d.checks if c.name == "no_repeats")
    assert not repeats.passed and "paper wasp nestmate" in repeats.detail
    assert not d.passed


async def test_a_quoted_claim_the_model_invents_in_its_question_fails_claims_supported(
        example_data: dict[str, Any], settings: Settings) -> None:
    example_data["goal"] = "want to connect, maybe collab"  # the model writes the question
    invented = reply_json(quote=1, ask='Did "the 2024 Turing Award for tidyframe" change '
                          "how you plan releases?")
    d = (await draft(DraftRequest.model_validate(example_data),
                     client=ScriptedModel([invented, invented]), settings=settings)).drafts[0]
    claims = next(c for c in d.checks if c.name == "claims_supported")
    assert not claims.passed and "Turing Award" in claims.detail and not d.passed


async def test_no_second_call_when_no_line_of_the_work_could_pass(
        example_data: dict[str, Any], settings: Settings) -> None:
    """The work's only line stops mid-sentence: none reads well quoted back, so whichever
    line the model names, the quote checks fail. A repair call would double the wait for the
    same failing draft."""
    example_data["recipient"]["works"] = [{"text": (
        "Notes from the meetup\n\nthe spill path on spinning disks and the groupby rewrite "
        "around a hash table and")}]
    example_data["goal"] = "ask her whether she ever tested the groupby on spinning disks"
    model = ScriptedModel([reply_json(quote=1), reply_json(quote=1)])
    d = (await draft(DraftRequest.model_validate(example_data), client=model,
                     settings=settings)).drafts[0]
    assert not d.passed
    assert not next(c for c in d.checks if c.name == "quote_complete").passed
    assert len(model.requests) == 1
