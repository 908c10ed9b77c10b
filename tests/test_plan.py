"""Understanding the goal (drafter.plan, drafter.voice) and the reader's checks on the ask and
the offer (drafter.asking): one test per failure kind a reader catches."""

from __future__ import annotations

import pytest

from drafter.asking import ask_problems, offer_problems, said_problems
from drafter.plan import first_steps, make_plan, offer_ideas, situation, work_kind
from drafter.scoring.goal import assess_goal
from drafter.voice import as_question, first_person_fixes, offer_sentence, to_second_person

NAME = "Dana Li"


def plan(goal: str, offer: str | None = None):  # type: ignore[no-untyped-def]
    return make_plan(goal, recipient_name=NAME, sender_offer=offer)


@pytest.mark.parametrize(("typed", "said"), [
    ("whether she still uses the checklist", "whether you still use the checklist"),
    ("how he handles regressions in his parser", "how you handle regressions in your parser"),
    ("whether Dana still uses it", "whether you still use it"),
    ("what made her switch to Rust", "what made you switch to Rust"),
    ("send her my notes", "send you my notes"),
    ("Dana's post on groupby", "your post on groupby"),
    ("if they are OK with it", "if you are OK with it"),
])
def test_third_person_becomes_second_person(typed: str, said: str) -> None:
    assert to_second_person(typed, NAME) == said


def test_they_stays_when_the_goal_names_the_recipient_as_she() -> None:
    assert to_second_person("ask her if they accept PRs", NAME) == "ask you if they accept PRs"


@pytest.mark.parametrize(("lead", "clause", "question"), [
    ("whether", "you still use the checklist", "Do you still use the checklist?"),
    ("if", "you're OK with me hosting it", "Are you OK with me hosting it?"),
    ("whether", "the dataset in your paper is public", "Is the dataset in your paper public?"),
    ("how", "you handle regressions", "How do you handle regressions?"),
    ("how", "you got into compilers", "Could you tell me how you got into compilers?"),
    ("whether", "the fix would break X", "Could you tell me whether the fix would break X?"),
    ("permission", "reuse your diagram", "May I reuse your diagram?"),
])
def test_indirect_questions_become_direct_questions(lead: str, clause: str,
                                                     question: str) -> None:
    assert as_question(lead, clause) == question


def test_a_goal_about_the_recipient_becomes_a_question_to_them() -> None:
    p = plan("ask her whether the checklist in her post is still what she uses, since I want "
             "to adapt it for my team")
    # The reason's "it" is what the question asks about: said with the question, never
    # before it ("I want to adapt it" pointed at nothing yet: blind review).
    assert p.ask == "Is the checklist in your post still what you use, so I could adapt it for " \
        "my team?"
    assert p.why is None
    assert p.give is None


def test_give_and_ask_mixed_in_one_goal_are_split() -> None:
    p = plan("offer a Portuguese version of his tutorial and ask if he's OK with me hosting it")
    assert p.give == "a Portuguese version of your tutorial" and p.give_from == "goal"
    assert p.ask == "Are you OK with me hosting it?"


def test_a_statement_given_in_the_goal_is_said_by_the_sender() -> None:
    p = plan("tell her I found a bug in the parser and see if she'd take a PR")
    assert p.give == "I found a bug in the parser."
    assert p.ask == "Would you take a PR?"


def test_the_senders_offer_wins_over_the_goal() -> None:
    p = plan("send her my notes and ask how she tests it", offer="my benchmark on 2 TB")
    assert (p.give, p.give_from) == ("my benchmark on 2 TB", "offer")


def test_a_second_ask_is_left_out_and_said_so() -> None:
    p = plan("ask whether she uses X and ask how she tests Y")
    assert p.ask == "Do you use X?"
    assert p.notes and "second ask" in p.notes[0]


def test_nothing_is_invented_when_nothing_is_given() -> None:
    p = plan("ask her how she tests the parser")
    assert p.give is None and p.give_from is None


def test_money_or_a_gift_is_not_an_offer() -> None:
    assert plan("send him a small gift and ask how he tests it").give is None


@pytest.mark.parametrize("goal", [
    "would mean a lot if he could put in a good word for me at his company",
    "ask him to forward our deck to 2-3 other seed investors he trusts",
    "our app is basically what her newsletter is about so her readers would love it if she "
    "mentioned us",
    "just need 2-3 days of his time to review our streaming architecture",
    "ask if she'd shoot our launch party, we can't really pay yet but she'd get great exposure",
    "ask her for the emails of the editors she pitched so i can send them my ideas",
    "ask him to be my external co-supervisor and read my full protocol",
    "get a 30 min call with him this week before our IC on friday",
    # The people they serve, asked for as a list.
    "ask her for the contacts of her best clients so I can pitch them",
    "ask for her client list",
    "get her subscribers' emails for our launch",
])
def test_polite_or_sweetened_entitled_goals_are_flagged(goal: str) -> None:
    a = assess_goal(goal, recipient_name=NAME, works=["Some work of theirs about things."])
    assert a.classification == "entitled", goal


@pytest.mark.parametrize("goal", [
    "ask her whether the checklist in her post is still what she uses",
    "send her my replication notebook and ask if the 2019 numbers are a typo",
    "thank him for the tutorial, it helped me ship my first game",
    "ask permission to reuse her diagram in my course",
])
def test_proportionate_goals_are_not_unclear(goal: str) -> None:
    a = assess_goal(goal, recipient_name=NAME, works=["Some work of theirs about things."])
    assert a.classification == "proportionate", goal


def test_coaching_keeps_the_intent_and_offers_other_rungs() -> None:
    a = assess_goal("get a referral for a job at her company", recipient_name=NAME,
                    works=["We are hiring engineers for our data team."],
                    sender_offer="my write-up of the migration I led")
    assert a.classification == "entitled"
    assert a.first_steps and a.first_steps[0].toward == "a referral"
    assert a.chosen_step == 0
    assert a.plan is not None and a.plan.ask == a.first_steps[0].ask
    assert a.plan.give == "my write-up of the migration I led"  # the offer is kept
    other = assess_goal("get a referral for a job at her company", recipient_name=NAME,
                        works=["We are hiring."], step=1)
    assert other.plan is not None and other.plan.ask == other.first_steps[1].ask


@pytest.mark.parametrize("has_give", [False, True])
def test_a_no_question_rung_goes_last_given_something_or_not(has_give: bool) -> None:
    # Blind review: every entitled goal's draft with no question failed ("offers X with no
    # question or purpose"), a gift beside it or not.
    for kind in ("promotion", "contacts", "intro", "free_work", "investors"):
        steps = first_steps(kind, "post", has_give=has_give)
        assert steps[0].ask is not None and steps[-1].ask is None, kind


@pytest.mark.parametrize(("goal", "offer", "give"), [
    # A reward in kind for the replaced ask goes with it, like money; what else is given
    # stays.
    ("could he send me his list of farms w/ their contacts and intro me to 2 or 3 of them",
     "free tacos for him + his kitchen crew whenever the truck is out, for the whole season",
     None),
    ("would she come out and process our 14 boxes for us, maybe 3 or 4 saturdays. we cant pay "
     "but we would feed her well and thank her in the centennial booklet",
     "a potluck lunch every saturday + her name on a plaque by the archive shelf", None),
    ("can she just make our flyer and fact sheet for us and intro me to her organiser friend",
     "i'll credit her on the flyer + send her the final fact sheet", "send you the final fact "
     "sheet"),
])
def test_a_reward_promised_for_an_entitled_ask_goes_with_it(goal: str, offer: str,
                                                           give: str | None) -> None:
    a = assess_goal(goal, recipient_name=NAME, sender_offer=offer)
    assert a.classification == "entitled" and a.plan is not None
    assert a.plan.give == give
    assert a.plan.ask is not None and "?" in a.plan.ask


def test_a_reason_that_promises_a_reward_is_not_said() -> None:
    a = assess_goal("could he intro me to whoever books instructors at the steel yard? i know "
                    "we havent met, id owe him big time, maybe a beer at the next open forge",
                    recipient_name="John Harvey")
    assert a.plan is not None and a.plan.why is None


def test_there_is_the_place_the_goal_named() -> None:
    a = assess_goal("he went from student to teacher at the steel yard. could he intro me to "
                    "whoever books instructors there so i can teach too",
                    recipient_name="John Harvey")
    assert a.plan is not None and a.plan.ask is not None
    assert a.plan.ask.endswith("to reach whoever books instructors at the steel yard?")


def test_a_role_with_no_words_keeps_the_noun_typed() -> None:
    a = assess_goal("hoping she could refer me for an opening on her team or pass my resume to "
                    "the hiring manager", recipient_name="Ellen Yard")
    assert a.plan is not None and a.plan.ask is not None
    assert "for an opening?" in a.plan.ask and "an role" not in a.plan.ask


def test_offer_ideas_fit_the_work_and_are_only_ideas() -> None:
    a = assess_goal("ask how she tests the parser", recipient_name=NAME,
                    works=["The parser library has a bug in the release; install with pip "
                           "install and run the tests in CI."])
    assert a.plan is not None and a.plan.give is None
    assert len(a.offer_ideas) == 3 and any("bug report" in i for i in a.offer_ideas)
    assert assess_goal("ask how she tests it", recipient_name=NAME, works=["x y z"],
                       sender_offer="my benchmark").offer_ideas == []
    assert offer_ideas(["Our students loved the worksheet in class."], "post")[0]


@pytest.mark.parametrize(("hint", "text", "kind"), [
    ("README.md", "", "README"),
    ("post.txt", "", "post"),
    ("tmpk3x9q", "Some text.", "work"),
    (None, "## Installation\npip install foo", "README"),
    (None, "Abstract\nWe propose a method.", "paper"),
])
def test_works_are_named_by_kind_never_by_file_name(hint: str | None, text: str,
                                                    kind: str) -> None:
    assert work_kind(None, text, hint) == kind


@pytest.mark.parametrize(("ask", "problem"), [
    ("How does Dana Li handle regressions?", "names"),
    ("How does she handle regressions?", "third person"),
    ("What is the audience size of our webinar?", "your own facts"),
    ("Is there anything else you'd like to know?", "empty politeness"),
    ("What kind of photos would you like me to take?", "turns the roles"),
    ("Could you send me your article?", "turns the roles"),
    ("What do you look for in the", "cut off"),
    ("How do you test the parser", "not one question"),
])
def test_a_reader_rejects_these_asks(ask: str, problem: str) -> None:
    found = ask_problems(ask, recipient=NAME, sender="Sam Ortiz")
    assert any(problem in p for p in found), found


def test_a_real_question_to_the_recipient_passes() -> None:
    assert ask_problems("Is the checklist in your post still what you use?",
                        recipient=NAME, sender="Sam Ortiz") == []
    # Offering to send something is giving, not the roles turned around.
    assert ask_problems("Would you want me to send how I pinned it out?",
                        recipient=NAME, sender="Sam Ortiz") == []
    assert ask_problems("Would you like me to shoot your launch?", recipient=NAME,
                        sender="Sam Ortiz") != []


def test_an_offer_that_hands_them_their_own_work_is_rejected() -> None:
    work = "The partition count is fixed at 64, which is wasteful for small spills."
    found = offer_problems("I'd be glad to send you the partition count fixed at 64 for "
                           "small spills.", works=work, ask=None, supplied="data engineer")
    assert found and "their own work" in found[0]


def test_an_offer_of_what_is_asked_is_rejected() -> None:
    found = offer_problems("I'd be glad to send you feedback on my thesis chapter.",
                           works="Some work.", ask="Would you give feedback on my thesis "
                           "chapter?", supplied="student")
    assert found and "asks for" in found[0]


def test_a_capitalised_role_in_the_bio_is_not_shouted_mid_sentence() -> None:
    from drafter.compose import introduction

    assert introduction("Sam Ortiz", "Maintainer of tidyframe") == \
        "I'm Sam, a maintainer of tidyframe."
    # A name stays capitalised, and a role word after it still takes its article.
    assert introduction("Sam Ortiz", "Google engineer") == "I'm Sam, a Google engineer."
    assert introduction("Sam Ortiz", "i teach 7th grade science") == \
        "I'm Sam. I teach 7th grade science."


async def test_fragments_are_never_offered_as_quotes_when_sentences_exist() -> None:
    from drafter.context import build_context
    from drafter.types import DraftRequest

    # The issue's scrap came from a line that runs on into a list: not a sentence of theirs.
    work = ("Every so often someone sends me this:\n\n- a link to a repo\n- no words\n\n"
            "We rewrote the parser "
            "in Rust last spring and it is four times faster now. The old one leaked memory on "
            "every large file we fed it. I would love to see real workloads on the new one.")
    req = DraftRequest.model_validate({
        "recipient": {"name": "Dana Li", "works": [{"text": work}]},
        "sender": {"name": "Sam Ortiz", "about": "engineer"}, "goal": "ask how she tests it"})
    ctx = build_context(req, budget_chars=2000)
    quoted = [e.text for e in ctx.evidence]
    assert not any(q.startswith("Every so often") for q in quoted)
    assert all(len(q.split()) >= 6 and q[0].isupper() for q in quoted)


async def test_an_eight_word_subject_is_replaced_by_a_plain_one() -> None:
    from drafter.config import Settings
    from drafter.model.testing import ScriptedModel, reply_json
    from drafter.pipeline import draft
    from drafter.types import DraftRequest

    req = DraftRequest.model_validate({
        "recipient": {"name": "Dana Li", "works": [{"text": (
            "Performance regressions are the bugs I fear most, because nobody files an issue. "
            "Every pull request now runs a small benchmark suite in CI. A regression of more "
            "than 5 percent blocks the merge.")}]},
        "sender": {"name": "Sam Ortiz", "about": "engineer", "offer": "my benchmark"},
        "goal": "ask her how she spots regressions"})
    long = "Thank Dana Li for her work on the benchmark suite"
    d = (await draft(req, client=ScriptedModel([reply_json(quote=1, subject=long)]),
                     settings=Settings(model="fake/scripted"))).drafts[0]
    # The replacement names what the sender gives, in their words.
    assert d.subject == "My benchmark"
    assert next(c for c in d.checks if c.name == "short_subject").passed


@pytest.mark.parametrize("offer", [
    "We'd tag you in every post (2.3k on insta) + free tote and drinks at the party.",
    "I can offer a free year of LabLedger pro for your lab.",
    "I can offer your name on our site as founding advisor.",
    "I'd be glad to send you 100 codes for your paid subscribers.",
])
def test_exposure_a_free_product_or_a_title_is_not_giving_first(offer: str) -> None:
    found = offer_problems(offer, works="Their work.", ask=None, supplied="x")
    assert found and "your gain" in found[0]


def test_a_real_deliverable_is_still_an_offer() -> None:
    assert offer_problems("I'd be glad to send you my replication notebook.",
                          works="Their work.", ask=None, supplied="my replication notebook") == []


def test_the_rungs_keep_their_indices_when_the_user_picks_one() -> None:
    goal = ("want her to take me as a phd student and push my file onto the interview list. "
            "also ask her which other profs are taking students this year")
    shown = assess_goal(goal, recipient_name=NAME, works=["Some work."])
    assert shown.first_steps[0].ask and "which other profs" in shown.first_steps[0].ask
    for i, step in enumerate(shown.first_steps):
        picked = assess_goal(goal, recipient_name=NAME, works=["Some work."], step=i)
        assert picked.first_steps == shown.first_steps and picked.chosen_step == i
        assert picked.plan is not None and picked.plan.ask == step.ask


def test_a_cut_off_sentence_and_an_ambiguous_you_are_caught() -> None:
    from drafter.asking import said_problems

    cut = said_problems("I recorded an oral history with my mom about your work, can.",
                        "thank her", "she")
    assert cut and "stops mid-thought" in cut[0]
    mixed = said_problems("When I read you the part, you cried.",
                          "thank her. my mom read her post and cried", "she")
    assert any('"my mom"' in p for p in mixed)
    assert said_problems("I'd be glad to send you my notes.", "ask him how he tests it",
                         "he") == []


def test_a_goal_whose_only_excess_is_pressure_keeps_a_question() -> None:
    a = assess_goal("get a 30 min call with him this week, it needs to be on the calendar asap",
                    recipient_name="Paddy Stobbs")
    assert a.classification == "entitled" and a.plan is not None
    assert a.plan.ask and "call" in a.plan.ask and "week" not in a.plan.ask


def test_free_review_is_coached_to_a_look_at_one_part_easy_to_decline() -> None:
    a = assess_goal("ask if he could go through our figma component library and tell us "
                    "what's wrong with it", recipient_name="Mike Mathis")
    assert a.classification == "entitled" and a.plan is not None and a.plan.ask
    assert a.plan.ask == ("Would you be open to a quick look at one part of our figma "
                          "component library, if I sent it over?")
    assert "paid" not in a.plan.ask, "never implies a payment the sender did not offer"


def test_a_purpose_with_an_alternative_after_it_stays_in_the_question() -> None:
    p = plan("i think my bug overlaps with one she mentioned. ask if she wants to coordinate "
             "so we dont publish on different dates, or if she'd rather we keep them separate")
    assert p.ask and "different dates" in p.ask and "separate" in p.ask and p.ask.endswith("?")
    assert p.why and "overlaps with one you mentioned" in p.why


def test_a_pitch_asks_whether_they_want_it() -> None:
    assert plan("pitch her a news story: our paper on bees comes out tuesday").ask == (
        "Would this be of interest to you?")
    assert plan("pitch myself as a guest on her podcast", "a story about my first client"
                ).ask == "Would you consider having me on as a guest?"
    assert plan("send her my notes on the paper").ask is None


def test_she_after_another_woman_named_in_the_sentence_is_that_woman() -> None:
    said = to_second_person("thank her. when i read my mom the part about CHWs she cried. "
                            "ask her for her slides", "Denise Smith", family="she")
    # The sentence after is about the recipient again.
    assert said == ("thank you. when I read my mom the part about CHWs she cried. "
                    "ask you for your slides")


def test_an_offer_to_send_what_the_sentence_before_told_of_joins_that_sentence() -> None:
    p = plan("thank her for the post. i also recorded a 20 min oral history with my mom, "
             "can send it if she wants")
    assert p.give is not None and "can." not in p.give
    assert "oral history with my mom. I'd be glad to send it to you." in p.give


def test_days_and_months_typed_in_lowercase_are_capitalised() -> None:
    from drafter.voice import first_person_fixes

    assert first_person_fixes("out next tuesday, filed by june; may be in march") == (
        "out next Tuesday, filed by June; may be in march")


def test_free_in_the_goal_is_said_with_the_offer_to_send_it() -> None:
    p = plan("i cleaned up the transcript of her last episode. send it to her, free, and ask "
             "if she wants to use it")
    assert p.give is not None and p.give.endswith("I'd be glad to send it to you, free.")
    assert plan("i cleaned up the transcript of her last episode. send it to her").give == (
        "I cleaned up the transcript of your last episode. I'd be glad to send it to you.")


def test_a_give_after_a_question_and_i_can_is_its_own_clause() -> None:
    p = plan("ask her if they ever found a funding model that worked, i can send her our "
             "sponsors numbers from last year")
    assert p.ask == "Could you tell me whether they ever found a funding model that worked?"
    assert p.give == "our sponsors numbers from last year"


def test_a_bare_thank_you_thanks_for_what_the_sender_said_just_before() -> None:
    p = plan("we used her succession section to plan our handover, want to thank her and ask "
             "whether she has seen projects keep it informal")
    assert p.give == "Thank you. We used your succession section to plan our handover."
    assert p.ask == "Have you seen projects keep it informal?"
    assert plan("thank her and ask how she picks datasets").give is None


def test_the_relatives_check_and_the_pronoun_rule_share_one_list() -> None:
    from drafter.asking import said_problems
    from drafter.wordlists import words

    for relative in sorted(words("kin_she")):
        assert said_problems("I'd be glad to send it.", f"thank her, my {relative} loved it",
                             "she"), relative
    assert not said_problems("I'd be glad to send it.", "thank her, my team loved it", "she")


def test_the_senders_facts_typed_without_i_are_said_in_the_first_person() -> None:
    p = plan("pitch her a news story: paper out next tuesday shows bees forage earlier. "
             "already talked to the lead author, can file 400 words by wednesday")
    assert p.give is not None and p.give.endswith(
        "I already talked to the lead author, and I can file 400 words by Wednesday.")
    assert p.give.startswith("Here's a news story: paper out")
    # A sentence about someone else, or one part that is not the sender's fact, is left out.
    q = plan("send her my benchmark notes. already asked him, he said no")
    assert q.give is not None and "asked" not in q.give


def test_familiarity_claimed_in_bulk_is_not_said_as_the_reason() -> None:
    said = plan("i have listened to a bunch of episodes. ask her how she plans the breaks")
    assert said.why is None and said.ask == "How do you plan the breaks?"
    kept = plan("we run the same workshop for 40 nurses every spring. ask her how she plans "
                "the breaks")
    assert kept.why == "We run the same workshop for 40 nurses every spring."


@pytest.mark.parametrize(("goal", "aim"), [
    ("ask him to forward our deck to 2-3 other seed investors he trusts, we close soon",
     "seed investors"),
    ("ask him to introduce us to whoever funds housing work, or someone at treasury",
     "whoever funds housing work"),
    # Of two kinds of people, the first who is not the recipient's own, with the clause that
    # says which ("who know network infra") and without mere willingness ("who'd listen").
    ("ask him to intro us to 2-3 investors or people in his network who know network infra",
     "investors who know network infra"),
    # A contacts ask names the kind of people, never the recipient's tie to them.
    ("ask her for the emails of the editors she pitched at the telegraph",
     "editors at the telegraph"),
])
def test_an_introduction_step_names_whom_the_sender_wants_to_reach(goal: str, aim: str) -> None:
    a = assess_goal(goal, recipient_name="Josh Hannah")
    assert a.classification == "entitled" and a.plan is not None
    assert a.plan.aim == aim
    assert a.plan.ask == f"What would you suggest someone in my position do first to reach {aim}?"


@pytest.mark.parametrize("goal", [
    "get her to introduce me to her top contributors so I can hire them",  # her own people
    "ask her for the emails of her students",  # her contacts
    "ask for her client list",
])
def test_the_recipients_own_people_are_never_named_in_the_step(goal: str) -> None:
    a = assess_goal(goal, recipient_name="Dana Li")
    assert a.classification == "entitled" and a.plan is not None
    assert a.plan.aim is None and a.plan.ask is not None and "reach" not in a.plan.ask


@pytest.mark.parametrize(("goal", "works"), [
    # Someone their work names is someone they know: "how do I reach them?" is their contact.
    ("ask her to intro me to anthony bencivengo from portland tenants united so he can walk "
     "us thru the first meeting", ["I had a good conversation with Anthony Bencivengo, who "
                                   "volunteers for Portland Tenants United."]),
    # People they interviewed are theirs, said with "you've" as much as with "your".
    ("ask him to send me the names and numbers of the korea vets he's interviewed", []),
])
def test_whom_the_recipient_knows_is_never_named_in_the_step(goal: str,
                                                             works: list[str]) -> None:
    a = assess_goal(goal, recipient_name="Dana Li", works=works)
    assert a.classification == "entitled" and a.plan is not None
    assert a.plan.aim is None and "reach" not in (a.plan.ask or "")


def test_people_of_a_kind_the_work_names_are_still_named_in_the_step() -> None:
    a = assess_goal("ask her for the emails of the editors she pitched at the telegraph",
                    recipient_name="Dana Li",
                    works=["I pitched the Telegraph twice before an editor said yes."])
    assert a.plan is not None and a.plan.aim == "editors at the telegraph"


def test_money_offered_for_a_replaced_ask_goes_with_it() -> None:
    """A payment is the price of the ask: when a first step replaces the ask, the price goes,
    the rest of the offer stays, and the step asks whether they take the work, at a price."""
    a = assess_goal("want him to build our whole booking site for our bakery by the end of "
                    "the month, all pages and the payment setup",
                    recipient_name="Dana Li",
                    sender_offer="$200 toward his time and a box of our sourdough")
    assert a.classification == "entitled" and a.plan is not None
    assert a.plan.give == "a box of our sourdough"
    assert a.plan.ask == ("Do you take on work like building our whole booking site for our "
                          "bakery, and what would it cost?")


def test_an_offer_without_money_is_kept_whole_when_coached() -> None:
    a = assess_goal("want him to build our whole booking site for our bakery by the end of "
                    "the month, all pages and the payment setup",
                    recipient_name="Dana Li", sender_offer="a box of our sourdough")
    assert a.plan is not None and a.plan.give == "a box of our sourdough"


def test_an_introduction_to_the_recipients_own_organisation_names_nobody() -> None:
    a = assess_goal("ask him to introduce us to whoever funds ASI's housing work",
                    recipient_name="Madsen Pirie", recipient_headline="Adam Smith Institute")
    assert a.plan is not None and a.plan.aim is None and "reach" not in (a.plan.ask or "")


def test_of_two_kinds_of_people_the_one_outside_the_recipients_organisation_is_named() -> None:
    a = assess_goal("ask him to introduce us to whoever funds ASI's housing work, or someone "
                    "at treasury who'd listen. we need money", recipient_name="Madsen Pirie",
                    recipient_headline="Adam Smith Institute")
    assert a.plan is not None and a.plan.aim == "someone at treasury"


@pytest.mark.parametrize("goal", [
    "would be amazing if she could pass my name along to the hiring manager",
    "ask him to vouch for me with the admissions people",
    "get her to do a free 90 min workshop for our volunteers",
    "ask him to spend a couple of weekends testing our app",
    "ask her to translate our entire app into french",
    "read all 9 chapters of my memoir and tell me what's wrong",
    "a shoutout for our bakery in her newsletter",
    "ask him to plug us on his podcast",
    "ask to be connected with the people he knows at the ford foundation",
    "intro to his literary agent",
    "see if she can loop me in with the head of design at figma",
    "get me on her team at anthropic, i graduate in june",
    "tell him we need his comments on the proposal by friday",
    # From the second writer's goals (dev half).
    "ask if she can point me to someone at the FDA, ideally a warm intro",
    "one RT of our launch thread from him would help so much",
    "ask him to do weekly mock interviews w me until my onsite",
    "want a rec letter from her for my MS apps, we've never talked",
    "ask if he'd meet monthly and kind of guide my career",
    "want him to publicly endorse my campaign before the vote",
    "send her my dad's MRI and lab results and get her read on the treatment plan",
])
def test_entitled_asks_in_other_words_are_flagged(goal: str) -> None:
    assert assess_goal(goal, recipient_name="Dana Li").classification == "entitled"


@pytest.mark.parametrize("goal", [
    "ask the prof whether her lecture notes are online anywhere",
    "one question: does he still use the setup from his 2021 post",
    "quick q for her: which font is on the poster",
    "which book would she recommend for learning typography",
    "bug report: the download link on her site returns a 404",
    "let him know his talk helped our team ship the migration",
    "congratulate her on the launch and ask how she priced it",
    "one q re her 2019 cohort paper: was income adjusted for in table 3",
    "asking if the agency has an official realtime feed",
    "let the clinic know their booking form rejects +44 numbers",
    "would she sign my copy if i mail it with return postage? totally fine if not",
    "made spanish subtitles for her explainer video, sending them",
    # The ask's word names a thing asked about, not the ask.
    "ask whether the mentorship program her company runs takes outside applicants",
])
def test_one_question_or_a_heads_up_is_proportionate(goal: str) -> None:
    assert assess_goal(goal, recipient_name="Dana Li").classification == "proportionate"


@pytest.mark.parametrize(("goal", "ask"), [
    # One question typed after a colon, or as the goal itself without its question mark.
    ("congratulate her on the launch and ask one thing: how she priced the first plan",
     "Could you tell me how you priced the first plan?"),
    ("quick q for her: is the font in her poster custom",
     "Is the font in your poster custom?"),
    ("one question: does she still use the setup from her 2021 post or has she moved on",
     "Do you still use the setup from your 2021 post or have you moved on?"),
    ("which book would she recommend for someone starting typography",
     "Which book would you recommend for someone starting typography?"),
    ("ask the prof whether her lecture notes are online anywhere, self-studying",
     "Are your lecture notes online anywhere?"),
    # The second half of one question is said as such; the sender's notes after a comma are
    # left out.
    ("ask whether the fellowship her lab runs takes outside applicants and where to apply",
     "Could you tell me whether the fellowship your lab runs takes outside applicants, and "
     "where I could apply?"),
    ("is the fellowship her lab runs open to outsiders and where to apply",
     "Is the fellowship your lab runs open to outsiders, and where would I apply?"),
    ("ask if she'd do a 15 min call about her printing setup, i'm a small press, will send "
     "questions ahead", "Would you do a 15 min call about your printing setup?"),
])
def test_the_question_a_goal_carries_is_found_as_typed(goal: str, ask: str) -> None:
    assert plan(goal).ask == ask


@pytest.mark.parametrize(("goal", "give"), [
    ("bug report: the export button crashes on safari 17, every time",
     "I found a bug: the export button crashes on safari 17, every time."),
    ("congratulate her on the series a", "Congratulations on the series a."),
    ("thank the doctor for her thread on sleep, it helped my mom",
     "Thank you for your thread on sleep, it helped my mom."),
])
def test_a_finding_congratulations_or_thanks_is_said_to_them(goal: str, give: str) -> None:
    assert plan(goal).give == give


def test_a_demand_with_a_deadline_is_not_an_offer_and_a_note_frame_is_not_a_reason() -> None:
    assert plan("tell him we need his comments on the draft by friday").give is None
    p = plan("short note saying i loved her keynote on four day weeks")
    assert p.why is None or not p.why.lower().startswith("short note")


@pytest.mark.parametrize(("goal", "ask"), [
    # Work wanted done that does not exist yet: where to learn to do it, said with what it is.
    # Work wanted done is asked about on their terms, named; said free ("for free", "no
    # budget", "as exposure"), its price is not asked (see the test below).
    ("want him to tear down our plug and do a full firmware audit, 3 days of work probably",
     "Do you take on work like tearing down our plug and doing a full firmware audit, and what "
     "would it cost?"),
    ("want him to spend two weekends doing a full lichen survey of the churchyard like the "
     "one in his thread", "Do you take on work like doing a full lichen survey of the "
     "churchyard, and what would it cost?"),
    ("ask him to mix and master our whole ep for free, we'll credit him",
     "With no budget for mixing and mastering our whole ep yet, is there a group or someone "
     "you would suggest asking?"),
    # Teaching for free is a speaking invitation, asked on their terms.
    ("get her to run a free 2 hr workshop for my class", "Do you take speaking invitations, "
     "and is there a page with your terms?"),
    # A promotion ask without anything given asks where suggestions go, for the outlet named.
    ("get a shoutout for our app on her podcast next episode",
     "Do you take suggestions for your podcast, and is there a place to send them?"),
    # A deadline dropped, the call says what it is about.
    ("tell him we need his comments on the draft budget by friday",
     "Would you be open to a short call about the draft budget when it suits you, or is email "
     "easier?"),
    ("ask her to mentor me weekly through my career change into ux",
     "What is one thing you wish you had known when you started in ux?"),
    ("get her to co-author our white paper, basically lend her name",
     "What would you want to see in our white paper before putting your name to it?"),
    ("take a look at all 12 chapters of my novel and tell me if it's ready",
     "Would you be open to a quick look at one part of my novel, if I sent it over?"),
])
def test_a_first_step_says_what_the_goal_was_about(goal: str, ask: str) -> None:
    a = assess_goal(goal, recipient_name="Dana Li")
    assert a.classification == "entitled" and a.plan is not None
    assert a.plan.ask == ask


def test_a_rung_that_points_at_the_offer_needs_one() -> None:
    asks = [s.ask for s in first_steps("promotion", "post", has_give=False)]
    assert "Would this be useful to you?" not in asks
    assert "Would this be useful to you?" in [s.ask for s in first_steps(
        "promotion", "post", has_give=True)]


@pytest.mark.parametrize(("goal", "aim"), [
    ("pass my name along to the hiring manager, i applied for the sr pm role",
     "for the sr pm role"),
    ("get me on his team at deepmind, graduating in may", "at deepmind"),
    ("hoping she can hire me as her research assistant this summer",
     "for a research assistant role"),
    ("get him to vouch for me with the admissions committee", "for admission"),
    ("would mean a lot if he could put in a good word for me at codspeed or refer me",
     "at codspeed"),
])
def test_a_job_or_referral_step_says_toward_what(goal: str, aim: str) -> None:
    a = assess_goal(goal, recipient_name="Dana Li")
    assert a.plan is not None and a.plan.ask is not None
    assert a.plan.ask.endswith(f"to be a strong candidate {aim}?")


@pytest.mark.parametrize(("goal", "aim"), [
    # One role of theirs, or people of a kind, said without the recipient's tie.
    ("intro to her agent", "an agent"),
    ("ask for intros to 3-4 of his portfolio founders who might buy our devtools",
     "portfolio founders who might buy our devtools"),
    ("ask to be connected with the people she knows at the gates foundation",
     "people at the gates foundation"),
    ("could he forward my resume to anyone he knows at google", "someone at google"),
])
def test_whom_to_reach_is_said_without_the_recipients_tie(goal: str, aim: str) -> None:
    a = assess_goal(goal, recipient_name="Dana Li")
    assert a.plan is not None and a.plan.aim == aim


def test_a_bare_verb_about_their_work_is_the_senders_reason() -> None:
    assert plan("saw his eurorust talk. ask how he profiles async code").why == (
        "I saw your eurorust talk.")


@pytest.mark.parametrize(("goal", "ask_ends"), [
    ("ask if he can point me to someone at FDA who reviews 510(k)s — ideally a warm intro",
     "to reach someone at FDA who reviews 510(k)s?"),
    ("offer a free logo and ask him to intro me to the founders in his portfolio who need "
     "branding", "to reach founders who need branding?"),
    ("want a rec letter from him for my MS apps", "to be a strong candidate for admission?"),
    ("looking for a mentor in commercial real estate law, ask if hed meet monthly",
     "when you started in commercial real estate law?"),
])
def test_more_first_steps_say_toward_what(goal: str, ask_ends: str) -> None:
    a = assess_goal(goal, recipient_name="Dana Li")
    assert a.plan is not None and a.plan.ask is not None and a.plan.ask.endswith(ask_ends)


def test_a_question_put_to_the_recipient_by_their_role_is_the_ask() -> None:
    plan = make_plan("ask the choir director if the community choir is open to altos who "
                     "can't read music well, I'm 72 and just moved here",
                     recipient_name="Ann Lee", sender_offer=None)
    assert plan.ask == "Is the community choir open to altos who can't read music well?"


def test_a_lower_case_question_after_a_colon_is_the_ask_and_a_version_dot_stays() -> None:
    plan = make_plan("msg to the pastor across town: how do they handle childcare sign up for "
                     "wed night services? we're starting one", recipient_name="Ann Lee",
                     sender_offer=None)
    assert plan.ask is not None and plan.ask.startswith("How do")
    plan = make_plan("does v3 still support python 3.8 or do i need to pin 2.x? our servers "
                     "are stuck on 3.8", recipient_name="Ann Lee", sender_offer=None)
    assert plan.ask is not None and "python 3.8 or" in plan.ask and plan.ask.endswith("?")


def test_an_instruction_to_the_tool_is_never_the_reason() -> None:
    for goal in ("tell her about our startup",
                 "get a 30 min call with her this week, my partner wants to see the company",
                 "I'd love for her to connect me w a few of her clients, I'm certified"):
        assert make_plan(goal, recipient_name="Ann Lee", sender_offer=None).why is None, goal


def test_the_senders_want_cut_before_the_offer_is_not_said_but_if_you_want_is() -> None:
    plan = make_plan("i collected 12 years of rainfall readings in Tucson, want to offer the "
                     "spreadsheet to her", recipient_name="Ann Lee", sender_offer=None)
    assert plan.give is not None and "want." not in plan.give and ", want" not in plan.give
    plan = make_plan("we'd send her the translations so she can post them too if she wants",
                     recipient_name="Ann Lee", sender_offer=None)
    assert plan.give is not None and plan.give.endswith("if you want")


def test_a_goal_typed_to_the_tool_is_read_as_the_senders() -> None:
    plan = make_plan("hey can you ask him what gauge wire he used for the fence charger in his "
                     "video? setting up a fence for goats", recipient_name="Ann Lee",
                     sender_offer=None)
    assert plan.ask is not None and plan.ask.startswith("Could you tell me what gauge wire you")
    plan = make_plan("Can you ask her if I can use her photo of the mill bridge in our booklet?",
                     recipient_name="Ann Lee", sender_offer=None)
    assert plan.ask is not None and "ask you" not in plan.ask.lower()
    plan = make_plan("can you write to the guy who maintains the trail map: the north gate is "
                     "locked on weekends so the parking info is wrong", recipient_name="Ann Lee",
                     sender_offer=None)
    assert plan.ask is None or "write to" not in plan.ask.lower()


@pytest.mark.parametrize(("goal", "kept"), [
    # The specific question typed after "specifically:", beside a request for hours of review.
    ("ask if she can review our whole grading rubric (30 pages) for free and tell us what's "
     "wrong. specifically: is our late-work policy too harsh",
     "Is our late-work policy too harsh, in your view?"),
    # The help wanted with the sender's own problem, asked as one question.
    ("ask if he can jump on a call this week to help us figure out why our kiln firings "
     "crack the glaze, we open friday",
     "Do you have an idea why our kiln firings crack the glaze?"),
])
def test_a_coached_goal_keeps_the_senders_own_specific_question(goal: str, kept: str) -> None:
    got = assess_goal(goal, recipient_name=NAME, works=["Some work."], size="big")
    assert got.classification == "entitled"
    assert got.plan is not None and got.plan.ask == kept
    assert got.first_steps[0].ask == kept


def test_a_problem_that_is_theirs_is_not_turned_into_a_question_to_them() -> None:
    # "how they got to the rate" is theirs to tell: no "Do you have an idea how they ...".
    got = make_plan("ask her to spend an afternoon helping me understand how they got to the "
                    "12% rate increase", recipient_name=NAME, sender_offer=None)
    assert not any("have an idea" in q for q in [got.ask or "", *got.other_asks])


def test_a_yes_no_question_about_the_senders_own_thing_asks_for_their_view() -> None:
    got = make_plan("quick q for you: is our late-work policy too harsh", recipient_name=NAME,
                    sender_offer=None)
    assert got.ask == "Is our late-work policy too harsh, in your view?"
    assert ask_problems(got.ask, recipient=NAME, sender="Sam Roe") == []


def test_the_other_pronoun_is_someone_else_not_the_recipient() -> None:
    # Goal "ask him whether she'd be better off ...": "she" is the sender's daughter.
    ask = "Could you tell me whether she'd be better off with a fiddle teacher?"
    assert ask_problems(ask, recipient="Pete Roe", sender="Ann Lee", family="he") == []
    assert ask_problems("Does he teach kids?", recipient="Pete Roe", sender="Ann Lee",
                        family="he")
    # Without the goal's pronoun, any third person is flagged.
    assert ask_problems(ask, recipient="Pete Roe", sender="Ann Lee")


@pytest.mark.parametrize(("thing", "said"), [
    ("what the teachers write back about it after",
     "I'd be glad to send you what the teachers write back about it after."),
    ("review your docs", "I'd be glad to review your docs."),
    ("all the photos from the show", "I'd be glad to send you all the photos from the show."),
])
def test_a_thing_named_by_a_clause_is_sent_not_read_as_a_verb(thing: str, said: str) -> None:
    from drafter.voice import offer_sentence

    assert offer_sentence(thing) == said


def test_files_the_goal_says_to_attach_are_offered() -> None:
    got = make_plan("tell him our export has the same bug as the one in his doc, attach 2 "
                    "sample files, and ask if he'd take a PR", recipient_name=NAME,
                    sender_offer=None)
    assert got.give is not None and "I'd be glad to send you 2 sample files." in got.give
    assert "attach" not in got.give


def test_a_gain_dressed_as_a_gift_does_not_stand_alone_as_the_step() -> None:
    # Promotion, paid in exposure: the no-ask rung would leave an ad with nothing to answer.
    goal = "get her to mention our app in her newsletter, her readers would love it"
    got = assess_goal(goal, recipient_name=NAME, works=["Some work."],
                      sender_offer="free lifetime premium + promo codes for her readers")
    assert got.classification == "entitled"
    assert got.plan is not None and got.plan.ask


def test_a_second_question_with_its_own_lead_is_its_own_question() -> None:
    got = make_plan("ask if she's taking new students for spring and whether hempcrete is "
                    "anywhere near what her lab does", recipient_name=NAME, sender_offer=None)
    assert got.ask == "Are you taking new students for spring?"
    assert got.other_asks == ["Is hempcrete anywhere near what your lab does?"]
    kept = make_plan("ask whether her team takes outside contributions and if so where to "
                     "start", recipient_name=NAME, sender_offer=None)
    assert kept.other_asks == []  # "and if so" continues the question


@pytest.mark.parametrize("goal", [
    "want her to come out for a week or two in may and map all our reefs, we'd use it in our "
    "marketing",
    "ideally she posts about it on her instagram, we can give her free lessons",
    "need a yes by end of feb because that's when we print the programme",
])
def test_days_on_site_promotion_and_a_deadline_in_new_words_are_flagged(goal: str) -> None:
    got = assess_goal(goal, recipient_name=NAME, works=["Some work."])
    assert got.classification == "entitled", got.entitled_phrases


def test_asking_whether_they_take_students_is_a_fact_even_when_read_as_big() -> None:
    got = assess_goal("ask if she's taking new phd students for fall", recipient_name=NAME,
                      works=["Some work."], size="big")
    assert got.classification == "proportionate"


def test_a_question_typed_as_what_it_is_is_asked() -> None:
    got = make_plan("liked her point about small wins. question is how she makes sure the "
                    "member knows it got fixed because of the union", recipient_name=NAME,
                    sender_offer=None)
    assert got.ask == ("How do you make sure the member knows it got fixed because of the "
                       "union?")


def test_tell_them_that_tells_the_sentence_before() -> None:
    got = make_plan("just want to say thanks for his coaching post. we had our slowest runner "
                    "take 4 min off her 2 mile this fall. tell him that, no ask",
                    recipient_name=NAME,
                    sender_offer=None)
    assert got.give is not None
    assert "We had our slowest runner take 4 min off her 2 mile this fall." in got.give


@pytest.mark.parametrize(("goal", "ask"), [
    # A question put to them after a comma or a full stop, with or without "?".
    ("his print image trick from the 90s, does he think the same move works now when the "
     "vendor owns the data? we keep hitting that wall",
     "About your print image trick from the 90s: do you think the same move works now when "
     "the vendor owns the data?"),
    ("made a one page seasonality chart for issue 4. would he look at just the spring column "
     "and say if the weeks look right",
     "Would you look at just the spring column and say if the weeks look right?"),
    # "one question -" leads a bare question as "one question:" does.
    ("he held the budget vote back. one question - did holding it back change the final "
     "budget", "Did holding it back change the final budget?"),
    ("20 min call about ONE thing - how she priced her wholesale to coffee shops",
     "Could you tell me how you priced your wholesale to coffee shops?"),
    # A wish typed to the tool is the request; a check that they are fine with something asks.
    ("hoping she can intro us to the home routes people",
     "Would you be willing to intro us to the home routes people?"),
    ("translated his piece into spanish, want to send it to him and check hes ok with us "
     "passing it around the hospital", "Are you ok with us passing it around the hospital?"),
    # ", just ask if" starts the question; "ask the lender who wrote ... if" asks the lender.
    ("saw his post. i can scan them and send the files, just ask if the library wants them",
     "Could you tell me whether the library wants them?"),
    ("ask the ag lender who wrote that article if the 2.9% rate she quoted is still current",
     "Is the 2.9% rate you quoted still current?"),
])
def test_a_question_typed_anywhere_in_the_goal_is_the_ask(goal: str, ask: str) -> None:
    assert plan(goal).ask == ask


def test_a_question_put_to_the_tool_is_not_the_ask() -> None:
    assert plan("thank her for the talk, can you keep it short").ask is None


def test_what_the_sender_has_and_does_before_a_give_is_said_with_it() -> None:
    p = plan("saw his post on the yearbooks - i have the 1939 and 1941 ones and can scan them "
             "cover to cover and send the files, just ask if the library wants them")
    assert p.give == ("I have the 1939 and 1941 ones and can scan them cover to cover and send "
                      "the files.")


@pytest.mark.parametrize(("typed", "said"), [
    ("we'd open for her anywhere in the south", "we'd open for you anywhere in the south"),
    ("we tag her everywhere", "we tag you everywhere"),
    ("how she found her first customers", "how you found your first customers"),
])
def test_her_before_an_adverb_is_the_object(typed: str, said: str) -> None:
    assert to_second_person(typed, NAME, family="she") == said


def test_a_question_ending_on_then_keeps_it() -> None:
    goal = ("could she run isotope analyses on the nodules and say what they tell about the "
            "climate back then? kids would love it")
    assert plan(goal).ask is not None and plan(goal).ask.endswith("back then?")


def test_the_senders_own_question_survives_a_model_reading_of_big() -> None:
    """The model alone read the goal as big: a question they answer in a reply is still the
    small step; a request, or asking leave, is not kept."""
    asked = "she splits her hives. i want to know how she decides which split keeps the old queen"
    a = assess_goal(asked, recipient_name=NAME, size="big")
    assert a.classification == "entitled"
    assert a.plan is not None and a.plan.ask == "How do you decide which split keeps the old queen?"
    leave = "ask if i can call him whenever something comes up with my herd for the next year"
    b = assess_goal(leave, recipient_name=NAME, size="big")
    assert b.plan is not None and b.plan.ask is not None and "whenever" not in b.plan.ask


def test_you_can_have_them_gives_what_the_sentence_before_has() -> None:
    p = plan("i have the precinct numbers for the 2016 and 2020 primaries, tell him he can have "
             "them for his coverage and ask which precincts he thinks will decide it")
    assert p.give == ("I have the precinct numbers for the 2016 and 2020 primaries, and you can "
                      "have them for your coverage.")
    assert p.ask == "Could you tell me which precincts you think will decide it?"


def test_a_thing_that_says_who_it_is_for_is_sent_without_a_second_you() -> None:
    """"send you a couple cases out for you and the crew" says "you" twice; the thing's own
    "for you" is enough. A "to you" after an "if" is not the thing's and keeps "send you"."""
    assert offer_sentence("a couple cases out for you and the crew") == (
        "I'd be glad to send a couple cases out for you and the crew.")
    assert offer_sentence("my mite count sheet if it's any use to you") == (
        "I'd be glad to send you my mite count sheet if it's any use to you.")


def test_chatter_at_the_end_of_a_give_and_its_for_its_are_cleaned() -> None:
    plan = make_plan("can send her a couple cases for the crew obviously. ask if she stocks "
                     "local drinks", recipient_name="Jill Varney", sender_offer=None)
    assert plan.give is not None and not plan.give.endswith("obviously")
    assert first_person_fixes("if its any use, its every 3 weeks") == (
        "if it's any use, it's every 3 weeks")


def test_a_finding_sent_with_that_is_told_as_a_heads_up() -> None:
    """"the link in his post is dead now, ..., send him that so he can fix it": the finding is
    the gift; "send them my application" names no finding and gives nothing."""
    plan = make_plan("the linkedin link in his dying profession post is dead now, the piece is "
                     "on places journal now, send him that so he can fix it",
                     recipient_name="Robert Borchard", sender_offer=None)
    assert plan.give is not None and plan.give.startswith(
        "A heads-up: the linkedin link in your dying profession post is dead now")
    plan = make_plan("i want the contacts of recruiters she uses so i send them my application",
                     recipient_name="Ana Lim", sender_offer=None)
    assert not (plan.give or "").startswith("A heads-up")


def test_why_typed_after_a_question_stays_inside_the_one_question() -> None:
    plan = make_plan("ask if the retreat discussion ever got written up anywhere, would love to "
                     "cite it", recipient_name="Robert Borchard", sender_offer=None)
    assert plan.ask == ("Could you tell me whether the retreat discussion ever got written up "
                        "anywhere, so I could cite it?")


def test_what_in_their_work_did_something_to_the_sender_is_told_beside_the_offer() -> None:
    plan = make_plan("tell her the part about running out of chocolate chips made me laugh bc "
                     "that was literally me last yr, and ask how she plans the croissant count",
                     recipient_name="Gretchen Wing", sender_offer="my july 4 prep sheet")
    assert plan.give is not None and plan.give.startswith(
        "The part about running out of chocolate chips made me laugh")
    assert "prep sheet" in plan.give


def test_whose_convenience_rules_is_theirs_and_last_years_numbers_are_last_years() -> None:
    plan = make_plan("ask if we can bring 10 people for a shift in july, whatever works for them",
                     recipient_name="Marie Jachino", sender_offer=None)
    assert plan.ask is not None and plan.ask.endswith("whatever works for you?")
    assert first_person_fixes("do they go off last years numbers, in the last years of the "
                              "war") == ("do they go off last year's numbers, in the last years "
                                         "of the war")


def test_a_topic_typed_before_a_question_stays_with_it() -> None:
    """"his print image trick from the 90s, does he think the same move works now": without
    the topic, "the same move" means nothing to the reader."""
    plan = make_plan("his print image trick from the 90s, does he think the same move works "
                     "now when counties say the vendor owns the data?",
                     recipient_name="Dan Woods", sender_offer=None)
    assert plan.ask == ("About your print image trick from the 90s: do you think the same move "
                        "works now when counties say the vendor owns the data?")


def test_work_done_typed_without_i_is_said_with_it_beside_the_offer() -> None:
    plan = make_plan("made a one page seasonality chart for issue 4. would he look at just the "
                     "spring column", recipient_name="Nate Zore", sender_offer="a stack of zines")
    assert plan.give is not None and plan.give.startswith(
        "I made a one page seasonality chart for issue 4.")


def test_an_offer_typed_as_the_thing_itself_is_given_in_the_message() -> None:
    """"numbers upfront: €95-110k, fully remote": the numbers are in the message, so it
    does not promise to send them ("I'd be glad to send you numbers upfront: ...")."""
    assert offer_sentence("numbers upfront: €95-110k, fully remote") == (
        "Here are numbers upfront: €95-110k, fully remote.")
    assert offer_sentence("a news story: paper out next week") == (
        "Here's a news story: paper out next week.")
    assert offer_sentence("send you my notes: all 40 pages") == (
        "I'd be glad to send you my notes: all 40 pages.")


def test_a_tag_question_after_one_put_to_them_asks_them_too() -> None:
    plan = make_plan("question is how she makes sure the member knows it got fixed bc of the "
                     "union, do they do a follow up text or something",
                     recipient_name="Kristah Barnette", sender_offer=None)
    assert plan.ask is not None and "do you do a follow up text" in plan.ask
    # Asking them to tell about someone else, "they" stays that someone.
    plan = make_plan("tell her i loved the post and ask how holly plans the croissant count, do "
                     "they go off last years numbers",
                     recipient_name="Gretchen Wing", sender_offer=None)
    assert plan.ask is not None and "do they go off" in plan.ask


def test_their_audience_as_the_senders_market_is_never_the_reason_said() -> None:
    plan = make_plan("her CSA members are exactly our customers. ask her to run a blurb for us",
                     recipient_name="Jillian Varney", sender_offer=None)
    assert plan.why is None or "customers" not in plan.why
    # The sender's own users or customers are a reason like any other.
    from drafter.plan import _SALES_WHY

    assert _SALES_WHY.search("Our customers hit this crash every day.") is None
    assert _SALES_WHY.search("Your readers are basically our target audience.") is not None


def test_an_offer_with_more_than_the_message_holds_is_sent_not_given() -> None:
    assert offer_sentence("our numbers: 41 breaking changes, plus what we changed after") == (
        "I'd be glad to send you our numbers: 41 breaking changes, plus what we changed after.")


def test_he_has_is_said_you_have() -> None:
    """"the vets he's interviewed" said "you're interviewed" (blind review: a typo that
    changes the meaning); "she's tired" stays a state."""
    assert to_second_person("the vets he's interviewed, he's got a list, he's based in leeds",
                            "Mike Brubaker", family="he") == (
        "the vets you've interviewed, you've got a list, you're based in leeds")


def test_a_wh_question_typed_direct_stays_direct() -> None:
    """"how does he know where the line is" was said "Could you tell me how do you know ..."
    (blind review: ungrammatical)."""
    p = plan("just want to ask him one thing: how does he know where the line is between "
             "filling in and overstepping. thats it")
    assert p.ask == "How do you know where the line is between filling in and overstepping?"
    assert as_question("how", "you keep on call sustainable") == (
        "How do you keep on call sustainable?")
    assert as_question("if", "I can reprint that answer, with credit") == (
        "Could I reprint that answer, with credit?")


def test_ok_with_that_asks_about_the_wish_before_it() -> None:
    """"... just asking if he's ok with that": alone, "Are you OK with that?" points at
    nothing the message says (the plan lost the ask altogether before)."""
    p = make_plan("i'd like to quote that paragraph in the one page handout i give parents at "
                  "the start of the season, with his name. just asking if he's ok with that",
                  recipient_name="Andy Beers", sender_offer=None)
    assert p.ask == ("Would you be OK with me quoting that paragraph in the one page handout I "
                     "give parents at the start of the season, with your name?")
    # "the handout I give parents" is a habit of the sender's, not something given.
    assert p.give is None


def test_what_in_their_work_helped_is_told_with_the_part_named_first() -> None:
    p = make_plan("no ask really. just want to tell her the think of your business like a "
                  "newborn bit got me through a rubbish month", recipient_name="Jemma Blundell",
                  sender_offer=None)
    assert p.give == ("The think of your business like a newborn bit got me through a rubbish "
                      "month. Thank you.")
    assert p.ask is None


def test_help_offered_in_the_goal_is_given() -> None:
    p = plan("saw his post. one question: was unlearning the racing habits the hard bit? happy "
             "to come help rig boats at the club's next open day if they need hands")
    assert p.give == ("Happy to come help rig boats at the club's next open day if they need "
                      "hands.")
    assert p.ask == "Was unlearning the racing habits the hard bit?"


def test_telling_the_author_what_they_wrote_is_said_as_reading_it() -> None:
    p = make_plan("he wrote the i hate open data portals post, the bit about dog food. can he "
                  "review our platform", recipient_name="Mark Headd", sender_offer=None)
    assert p.why is not None and p.why.startswith("I read your I hate open data portals post")


def test_a_reason_trailing_a_list_of_notes_keeps_its_sentence() -> None:
    p = make_plan("one of my tenors keeps demanding sheet music and i found his post answering "
                  "exactly this, the woman who'd write it down herself anyway, reading music "
                  "being a learnt skill, people needing to relearn how to listen. want to ask "
                  "if i can reprint that answer in our newsletter", recipient_name="Chris Rowbury",
                  sender_offer=None)
    assert p.why == ("One of my tenors keeps demanding sheet music and I found your post "
                     "answering exactly this.")
    assert p.ask == "Could I reprint that answer in our newsletter?"


@pytest.mark.parametrize(("typed", "said"), [
    ("saw her saint george revival", "saw your saint george revival"),
    ("got her email", "got your email"),
    ("saw her speak at pycon", "saw you speak at pycon"),
    ("what made her switch", "what made you switch"),
    ("help her find it", "help you find it"),
    # A hyphenated word is a word: "how-to" is no "how".
    ("read her how-to post", "read your how-to post"),
])
def test_her_after_saw_or_got_is_whose_before_a_noun(typed: str, said: str) -> None:
    assert to_second_person(typed, "Bonnie Zhou", family="she") == said


def test_a_question_about_the_senders_own_notes_is_caught() -> None:
    about = "nhs physio, started selling celebration cakes from my kitchen 6 months ago"
    problems = ask_problems("How did you feel when you started selling celebration cakes from "
                            "your kitchen 6 months ago?", recipient="Jemma Blundell",
                            sender="Hannah Price", about=about)
    assert problems and "your own facts" in problems[0]
    assert ask_problems("How did you keep going in your first year?", recipient="Jemma Blundell",
                        sender="Hannah Price", about=about) == []


def test_ill_before_a_verb_is_ill_said_as_i_will() -> None:
    assert first_person_fixes("ill send you the finished handout") == (
        "I'll send you the finished handout")
    assert first_person_fixes("she was ill send-off aside") == "she was ill send-off aside"


def test_ok_with_that_after_a_wish_typed_without_i() -> None:
    p = make_plan("im putting together a handout for our clerks, want to quote that story "
                  "with her name. just asking if thats ok with her",
                  recipient_name="Hilda Shymanik", sender_offer=None)
    assert p.ask == "Would you be OK with me quoting that story with your name?"


def test_a_first_step_toward_an_introduction_never_reaches_what_they_would_read() -> None:
    a = assess_goal("would love if she could intro me to that editor, maybe read my first 3 "
                    "chapters and give me her honest take", recipient_name="Denise Micka")
    assert a.plan is not None and a.plan.ask is not None
    assert "chapters" not in a.plan.ask


@pytest.mark.parametrize(("goal", "entitled"), [
    ("ask if she would record all four parts for our 10-song christmas set, we can pay 50 quid",
     True),
    ("want him to illustrate twelve chapters of my kids book", True),
    ("ask if i can use 2 photos of her pieces in my lecture slides", False),
])
def test_a_batch_of_made_things_asked_of_them_is_free_work(goal: str, entitled: bool) -> None:
    a = assess_goal(goal, recipient_name="Jules Addison")
    assert (a.classification == "entitled") is entitled


def test_what_happened_to_the_sender_and_what_it_did_are_told_together() -> None:
    p = make_plan("no ask. found her old post. almost the exact same thing happened to me last "
                  "week (grandma + a large print western she forgot she ordered) and i just "
                  "want to tell her it made me feel like i picked the right job",
                  recipient_name="Dawn Kinster", sender_offer=None)
    assert p.give == ("Almost the exact same thing happened to me last week (grandma + a large "
                      "print western she forgot she ordered), and it made me feel like I picked "
                      "the right job. Thank you.")
    assert p.ask is None and p.no_question
    from drafter.plan import model_writes_question

    assert not model_writes_question(p.model_copy(update={"give": None}), "proportionate")


def test_someone_elses_asking_told_as_context_is_not_the_question() -> None:
    p = make_plan("found her post about the lady coming by to ask about the business of machine "
                  "quilting. would she do a 20 min phone call sometime about whether customer "
                  "quilting is realistic", recipient_name="Anita Estes", sender_offer=None)
    assert p.ask is not None and p.ask.startswith("Would you do a 20 min phone call")


def test_what_the_sender_was_counting_is_a_finding_told() -> None:
    p = make_plan("read his vizmig post. i was counting at the wetlands the same morning and got "
                  "about 610 redwing. want to ask if its ok to put his count next to mine",
                  recipient_name="Jonathan Lethbridge", sender_offer=None)
    assert p.give is not None and p.give.startswith("I was counting at the wetlands")


def test_what_their_work_did_with_nothing_asked_is_thanked() -> None:
    p = make_plan("no ask really. just want to tell her the newborn bit got me through a "
                  "rubbish month", recipient_name="Jemma Blundell", sender_offer=None)
    assert p.give == "The newborn bit got me through a rubbish month. Thank you."


def test_a_thanks_tells_what_the_sender_did_with_its_i_and_its_full_stops() -> None:
    """"Thank you. Read my class your bit" read as an instruction to the recipient, and
    "in the river lol. one kid's ..." ran two sentences together (blind review)."""
    p = plan("just want to thank her. read my class her bit about sea monsters on maps and they "
             "went nuts, made maps of our town w sea monsters in the river lol. one kid's "
             "compass rose slaps. no ask just wanted her to know")
    assert p.give is not None
    assert p.give.startswith("Thank you. I read my class your bit about sea monsters")
    assert "river one kid" not in p.give


def test_a_reason_whose_it_pointed_at_the_replaced_ask_is_not_said() -> None:
    goal = ("read about her coaching her daughter to rome. could she write me a plan like that "
            "for dublin and check my strava every week? i'd actually follow it unlike her "
            "daughter haha")
    assert make_plan(goal, recipient_name=NAME, sender_offer=None, reasons=False).why is None
    # A reason that names its thing stays.
    kept = make_plan("could she write me a full plan for dublin? i'd actually follow a plan "
                     "that has hill work in it", recipient_name=NAME, sender_offer=None,
                     reasons=False).why
    assert kept == "I'd actually follow a plan that has hill work in it."


def test_with_nothing_given_what_happened_to_the_sender_is_why_they_ask() -> None:
    """"... slipped into it" pointed at nothing when the sentence about sim-comming at
    practicum was left out (blind review)."""
    p = plan("read her post on audism. caught myself sim-comming at practicum last week with a "
             "deaf student right there and felt awful. want to ask her one thing: what does she "
             "do in the moment when she notices she slipped into it")
    assert p.ask is not None and "slipped into it" in p.ask
    assert p.why is not None and "I caught myself sim-comming at practicum" in p.why


def test_a_finding_told_after_its_lead_keeps_what_happened() -> None:
    """"..., EC crept up like 40% bc the top-up water kept adding calcium, tip burn by week 9"
    is the finding, not a list of notes to cut (blind reviewers: "the finding is missing, so
    'tip burn' comes from nowhere"); "wanted to tell him" takes its "I"."""
    p = plan("wanted to tell her something i found running her setup 4 months: with our hard "
             "water the range part didnt hold, EC crept up like 40% bc the top-up water kept "
             "adding calcium, tip burn by week 9. not a complaint",
             offer="4 months of logs as a csv")
    assert p.why is not None and p.why.startswith("I wanted to tell you something I found")
    assert "kept adding calcium, tip burn by week 9" in p.why
    # A list of notes after a reason is still cut to its sentence.
    notes = plan("one of my tenors keeps demanding sheet music and i found her post answering "
                 "exactly this, the woman who'd write it down herself anyway, reading music "
                 "being a learnt skill, people needing to relearn how to listen. can i reprint it")
    assert notes.why == ("One of my tenors keeps demanding sheet music and I found your post "
                         "answering exactly this.")


@pytest.mark.parametrize(("goal", "why"), [
    # A sentence that points back keeps the one it points at, said as the sender's reading.
    ("he said he cant decide between varnishing one violin at a time or 2-3 at once. i have 2 "
     "in the white right now and same dilemma. one q: when he did them together did he keep "
     "the coats in sync or stagger them?",
     "I read that you can't decide between varnishing one violin at a time or 2-3 at once. I "
     "have 2 in the white right now and the same dilemma."),
    ("she wrote about buying 300+ graphic novels and going for library bound so they last. we "
     "are doing the same with our book drive money. just wondering which vendor she used",
     "I read what you wrote about buying 300+ graphic novels and going for library bound so "
     "they last. We are doing the same with our book drive money."),
    # What it cannot be said as the sender's reading leaves the sentence out.
    ("his take on pricing is great. we are doing the same at our shop. ask him how he set the "
     "first price", None),
    # "the same workshop" names what is the same: it stands alone.
    ("we run the same workshop for 40 nurses every spring. ask her how she plans the breaks",
     "We run the same workshop for 40 nurses every spring."),
])
def test_a_reason_that_points_back_keeps_what_it_points_at(goal: str, why: str | None) -> None:
    assert plan(goal).why == why


@pytest.mark.parametrize(("goal", "why"), [
    # With no sentence of the sender's own, what they read in the work says what the message
    # is about: the question's "the waitlist" then points at something.
    ("her post says the beginner wheel class had a waitlist of 40 by the second week. one q: "
     "did she add a second class or cap the waitlist",
     "Your post says the beginner wheel class had a waitlist of 40 by the second week."),
    ("he mentions the zine wild edges as the thing that got him foraging. ask him who its by",
     "I read that you mention the zine wild edges as the thing that got you foraging."),
    ("she said shes open to guest questions for the mailbag. would she take a question on hive "
     "beetles",
     "I read that you're open to guest questions for the mailbag."),
    # What the sender makes of it ("well thats me", "so ...") is their ask, said elsewhere; a
    # second verb agrees with the new "you".
    ("she says she turns down the rush jobs and sends people to a specialist, well thats me. "
     "ask her which rush jobs she sees most",
     "I read that you turn down the rush jobs and send people to a specialist."),
    # An instruction in their work is no reading of it.
    ("he said in his post to email him with bug reports. ask if the csv export bug is known",
     None),
])
def test_what_their_work_says_is_the_reason_when_nothing_else_is(goal: str,
                                                                 why: str | None) -> None:
    assert plan(goal).why == why


def test_a_but_after_the_reason_is_its_point() -> None:
    said = plan("used his pyweaving to render my drafts, mostly works. but wif files exported "
                "from my older weaving program come out with the treadling shifted by one. "
                "would he want a few of those sample files to test with?")
    assert said.why == ("I used your pyweaving to render my drafts, and it mostly works. But wif "
                        "files exported from my older weaving program come out with the "
                        "treadling shifted by one.")


@pytest.mark.parametrize(("lead", "clause", "asked"), [
    # "did" as the main verb takes "do" when inverted, never "Did you them".
    ("how", "you did them together", "How did you do them together?"),
    ("whether", "you did that by hand", "Did you do that by hand?"),
    # "when" opening a clause before a question already put to them.
    ("when", "you did them together did you keep the coats in sync or stagger them",
     "When you did them together, did you keep the coats in sync or stagger them?"),
])
def test_a_question_with_did_as_its_verb_reads_right(lead: str, clause: str, asked: str) -> None:
    assert as_question(lead, clause) == asked


@pytest.mark.parametrize(("goal", "ask"), [
    # The one question after "one thing," (a comma, not only a colon).
    ("just want to ask him one thing, how did they actually capture the views people gave, "
     "comment cards or officers taking notes? so ours isnt a shouting match",
     "How did they actually capture the views people gave, comment cards or officers taking "
     "notes?"),
    ("asking permission to reprint it in our club newsletter. totally fine if he says no",
     "May I reprint it in our club newsletter?"),
])
def test_a_question_typed_after_a_comma_or_as_asking_permission_is_the_ask(goal: str,
                                                                          ask: str) -> None:
    assert plan(goal).ask == ask


def test_what_the_sender_shares_is_told_and_said_in_their_voice() -> None:
    said = plan("read the adventures in directing post before our auditions. just sharing: i "
                "posted the cast list and nobody quit the company. wanted him to know the post "
                "helped, thats all")
    assert said.give == ("I posted the cast list and nobody quit the company. I wanted you to "
                         "know the post helped.")
    assert said.ask is None
    assert said.why == "I read the adventures in directing post before our auditions."


def test_an_offer_that_starts_with_its_verb_is_said_as_done() -> None:
    assert offer_sentence("share all our recordings with the survey") == \
        "I'd be glad to share all our recordings with the survey."


@pytest.mark.parametrize(("offer", "said"), [
    # A past deed typed without its "I" is told, not "I'd be glad to did ...".
    ("did a same-night test w two filters, happy to send you the raw stacks if you're curious",
     "I did a same-night test w two filters, and I'm happy to send you the raw stacks if "
     "you're curious."),
    # The sender and others as the subject.
    ("me and 3 deaf colleagues could record the first couple hundred signs",
     "3 deaf colleagues and I could record the first couple hundred signs."),
    # One thing typed without its article.
    ("link to the mod, free of course", "I'd be glad to send you a link to the mod, free of "
     "course."),
])
def test_an_offer_typed_as_notes_is_said_as_a_sentence(offer: str, said: str) -> None:
    assert offer_sentence(offer) == said


@pytest.mark.parametrize("goal", [
    "ask her to run a story on our opening. i know she said they ran out of room but this is "
    "local news right?",
    "ask him to feature us. we are the obvious fit, no?",
])
def test_a_question_that_presses_for_agreement_is_never_the_ask(goal: str) -> None:
    assert plan(goal).ask is None or "right?" not in (plan(goal).ask or "")
    assert not (plan(goal).ask or "").endswith(("right?", "no?"))


def test_a_question_about_whether_something_looks_right_is_still_asked() -> None:
    assert plan("made a chart for issue 4. would he look at just the spring column and say if "
                "the weeks look right?").ask is not None


def test_the_sentence_that_says_what_the_reason_means_stays_with_it() -> None:
    said = plan("i know his post is old but he said he couldnt find a disease mod that works "
                "with dragonborn. thats basically exactly what i made. ask if hed be ok with "
                "me mentioning his post in the mod description")
    assert said.why is not None and said.why.endswith("That's basically exactly what I made.")
    assert said.ask is not None and said.ask.startswith("Would you be ok with me")


def test_thanks_anyway_is_said_as_thanks() -> None:
    said = plan("ask if she takes paid grading work. if she doesnt, no worries, thanks for the "
                "post anyway")
    assert said.give == "Thank you for the post."


def test_what_finishes_a_dropped_reward_goes_with_it() -> None:
    a = assess_goal("ask her to do a front page story on our opening and let me write a weekly "
                    "column", recipient_name="Niki Turner",
                    sender_offer="free coffee for her and caitlin anytime they come in lol")
    assert a.classification == "entitled" and a.plan is not None and a.plan.give is None


@pytest.mark.parametrize(("ask", "problem"), [
    ("I know you said they ran out of room but this is local news right?", "presses them"),
    ("This would suit your readers, wouldn't you say?", "presses them"),
    ("Could you tell me whether hed be ok with me mentioning it?", "third person"),
])
def test_a_question_a_reader_rejects_is_caught(ask: str, problem: str) -> None:
    found = ask_problems(ask, recipient="Niki Turner", sender="Brooke Haller")
    assert any(problem in p for p in found), found


def test_a_question_about_whether_it_looks_right_is_fine() -> None:
    assert ask_problems("Would you look at the spring column and say if the weeks look right?",
                        recipient="Niki Turner", sender="Brooke Haller") == []


@pytest.mark.parametrize("said", [
    "I'd be glad to did a same-night same-target test with two filters.",
    "I can offer me and 3 deaf colleagues from the verein could record the signs.",
])
def test_a_garbled_sentence_of_the_senders_is_caught(said: str) -> None:
    assert any("garbled" in p for p in said_problems(said, "", None))


def test_a_deadline_said_with_the_gift_goes_with_the_replaced_ask() -> None:
    a = assess_goal("ask him to come out for a week and survey our house reef for free",
                    recipient_name="Maarten De Brauwer",
                    sender_offer="our fish census data for the reef since 2019. i need a yes by "
                                 "end of jan bc thats when we print the brochure")
    assert a.classification == "entitled" and a.plan is not None and a.plan.give is not None
    assert "census" in a.plan.give and "end of jan" not in a.plan.give
    # Work the sender gives away stays a gift.
    b = assess_goal("ask her to refer me to her publisher", recipient_name="Ann Kean",
                    sender_offer="could proofread a chapter of her translation for free")
    assert b.plan is not None and b.plan.give is not None and "proofread" in b.plan.give


def test_exposure_promised_for_an_entitled_ask_goes_with_it() -> None:
    a = assess_goal("ask her to do 3 free spec sketches for my picture book so i can pitch "
                    "agents, cant pay yet",
                    recipient_name="Elle Powell",
                    sender_offer="we tag her everywhere, my niece has 40k followers on tiktok")
    assert a.classification == "entitled" and a.plan is not None and a.plan.give is None


def test_a_question_about_what_exists_after_a_dash_is_the_ask_and_keeps_its_reason() -> None:
    said = plan("ask him one thing about his qcon talk - for the async pitfalls part, is there a "
                "writeup or repo with the examples? want to read it before i rewrite our proxy")
    assert said.ask == ("For the async pitfalls part, is there a writeup or repo with the "
                        "examples, so I could read it before I rewrite our proxy?")
    assert said.why is None  # "I want to read it" said alone pointed at nothing


def test_thanks_after_also_just_is_a_give_beside_the_question() -> None:
    said = plan("want to ask her one thing: what does she do when she slips, does she stop or "
                "just switch. also just thanks for writing it")
    assert said.give == "Thank you for writing it."
    assert said.ask is not None and said.ask.startswith("What do you do")


@pytest.mark.parametrize(("text", "said"), [
    # The verb after "and" shares the new "you".
    ("sounds like he knows these old danish ones and was careful with the strings",
     "sounds like you know these old danish ones and were careful with the strings"),
    # ... unless another subject came between.
    ("he knows that the piano is old and was restored",
     "you know that the piano is old and was restored"),
])
def test_a_verb_after_and_agrees_with_the_new_you(text: str, said: str) -> None:
    assert to_second_person(text, "Isaac", family="he") == said


def test_yes_no_and_a_wh_question_typed_together_stay_indirect() -> None:
    said = plan("ask if he takes private clients in brooklyn and roughly what a tuning would run "
                "for something like ours")
    assert said.ask == ("Could you tell me whether you take private clients in brooklyn and "
                        "roughly what a tuning would run for something like ours?")


def test_a_surname_that_is_also_a_role_word_still_names_their_person() -> None:
    a = assess_goal("ask him to introduce me to karen head and whoever books java monkey speaks",
                    recipient_name="Collin Kelley",
                    works=["My reading with Karen Head at Wordsmiths Books was cancelled."])
    assert a.plan is not None and a.plan.ask is not None and "karen" not in a.plan.ask.lower()


def test_what_the_replaced_ask_would_work_on_is_no_gift() -> None:
    a = assess_goal("ask him to get me a reading slot on that stage and introduce me to the "
                    "people who book it. also would he blurb my chapbook, i can send the whole "
                    "manuscript", recipient_name="Collin Kelley",
                    sender_offer="i can send the whole manuscript")
    assert a.classification == "entitled" and a.plan is not None and a.plan.give is None


def test_a_garbled_and_after_you_is_caught() -> None:
    assert any("garbled" in p for p in said_problems(
        "Sounds like you know these old Danish ones and was careful with the strings.", "", None))


def test_a_question_typed_after_want_to_ask_is_the_ask() -> None:
    p = plan("saw his diary post about the sprint. want to ask is there another sprint planned "
             "or is it fine to just grab the squares myself. thanks")
    assert p.ask == ("Is there another sprint planned or is it fine to just grab the squares "
                     "myself?")


def test_an_offer_to_send_keeps_its_modal_its_number_and_its_condition() -> None:
    # "could." left alone at the end of the sentence before read as a broken sentence, and
    # "send it" said the notes were one thing.
    p = plan("saw his diary post. i walked the town centre last summer and have notes on "
             "building names and shop types, could send them on if its any use for the "
             "buildings task")
    assert p.give == ("I walked the town centre last summer and have notes on building names "
                      "and shop types. I'd be glad to send them to you, if they are any use "
                      "for the buildings task.")


def test_a_question_that_points_back_keeps_the_sentence_it_points_at() -> None:
    p = plan("read his post on clients. we have a client who wants to leave out an arrest "
             "thats already in the record. just want to ask him how he explains to a client "
             "why leaving something like that out is worse")
    assert p.ask == ("How do you explain to a client why leaving something like that out is "
                     "worse?")
    assert p.why is not None and p.why.endswith(
        "We have a client who wants to leave out an arrest that's already in the record.")


def test_a_question_after_wanna_ask_is_the_ask_and_a_second_question_is_left_out() -> None:
    p = plan("he said people reach out to him so hoping its ok. just wanna ask how hard the "
             "practical test was bc i only really do case work, should i practice on old "
             "movements before or is that a waste of time")
    assert p.ask == "Could you tell me how hard the practical test was?"
    assert p.why == "I only really do case work."
    assert any("should I practice on old movements" in n for n in p.notes)


@pytest.mark.parametrize("ask", [
    "Could you tell me whether I did the wi sales tax right?",
    "Did I wire the relay correctly?",
])
def test_a_verdict_on_the_senders_unseen_work_fails_the_ask_check(ask: str) -> None:
    problems = ask_problems(ask, recipient="Lauren Ames", sender="Hailey Sorensen")
    assert any("judge your own work" in p for p in problems)
    # "right" ending an indirect question is no tag pressing for a yes.
    assert not any("presses them" in p for p in problems)


def test_their_own_guest_post_is_no_promotion_ask_and_a_series_of_calls_is_free_work() -> None:
    a = assess_goal("she did a guest post on bookkeeping for dyers. want her to set up my "
                    "quickbooks for me and go thru my first quarter with me, prob 2-3 zoom "
                    "calls, and check if i did the wi sales tax right", recipient_name="Lauren")
    assert a.classification == "entitled" and a.plan is not None
    assert a.first_steps[0].toward == "expert help with your problem"
    assert a.plan.ask == ("Do you take on work like setting up my quickbooks, and what would it "
                          "cost?")


def test_work_the_sender_says_they_cannot_pay_for_is_not_asked_its_price() -> None:
    # "What would it cost?" beside "we can't pay" implies a budget the sender lacks.
    a = assess_goal("ask if she'd shoot our store launch party. we can't really pay yet",
                    recipient_name="Bettina")
    assert a.plan is not None
    assert a.plan.ask == ("With no budget for shooting our store launch party yet, is there a "
                          "group or someone you would suggest asking?")


@pytest.mark.parametrize("offer", [
    "free room + unlimited dives for him and 1 assistant, and a feature on our website",
    "cake on the day", "a couple skeins from my fall colorways as a thank u",
])
def test_hospitality_food_and_thank_you_gifts_go_with_the_replaced_ask(offer: str) -> None:
    a = assess_goal("want him to come out for a week and do a proper critter survey of all our "
                    "sites. need a yes by end of jan", recipient_name="Sam", sender_offer=offer)
    assert a.classification == "entitled" and a.plan is not None
    assert a.plan.give is None


def test_unpaid_work_typed_first_is_the_ask_before_a_later_promotion_ask() -> None:
    a = assess_goal("ask if he would mix and master my ep. cant really pay. also would he "
                    "share it with his mailing list", recipient_name="Sam")
    assert a.first_steps[0].toward == "expert help with your problem"


def test_a_question_that_offers_is_never_made_big_by_the_models_reading() -> None:
    a = assess_goal("read her post where the back gapes. ask her if she'd want me to send how i "
                    "pinned it out, i have before/after pics", recipient_name="Sam",
                    size="big")
    assert a.classification == "proportionate" and a.plan is not None
    assert a.plan.ask == "Would you want me to send how I pinned it out?"
    assert a.plan.why is not None and a.plan.why.endswith("I have before/after pics.")


def test_their_doesnt_agrees_with_you_and_has_a_becomes_do_you_have() -> None:
    p = plan("read her post where she says she doesnt know how to fix it. want to ask if she "
             "has a go-to fix for the hem")
    assert p.why is not None and "you don't know" in p.why
    assert p.ask == "Do you have a go-to fix for the hem?"


def test_a_call_is_no_work_with_a_price_and_a_list_of_funders_is_a_contacts_ask() -> None:
    a = assess_goal("want him to mentor us thru launch and do a weekly call w us the first "
                    "couple months. we cant pay", recipient_name="Wade")
    assert a.plan is not None and "budget for a weekly call" not in (a.plan.ask or "")
    b = assess_goal("ask her if she'd share her list of the texas foundations and program "
                    "officers she's worked with so i know who to call", recipient_name="Carolyn")
    assert b.classification == "entitled" and b.plan is not None
    assert "who to call" not in (b.plan.ask or "")


def test_chat_words_leave_the_offer() -> None:
    p = plan("read her post on scheduling. how does she cover lunches. i built a sheet version "
             "of her layout, could send it if its useful idk")
    assert p.give is not None and "idk" not in p.give


def test_what_the_give_hands_over_for_the_replaced_work_goes_with_it() -> None:
    a = assess_goal("ask if he'd tear down our plug and do a full firmware audit before launch. "
                    "we dont have budget. can send him a few plugs", recipient_name="Yashin")
    assert a.classification == "entitled" and a.plan is not None and a.plan.give is None
    # A finding of the sender's own is still given.
    b = assess_goal("ask if he'd tear down our plug and do a full firmware audit for free. i "
                    "found the uart pins on the board already, happy to send the photos",
                    recipient_name="Yashin")
    assert b.plan is not None and b.plan.give is not None and "uart" in b.plan.give


def test_a_topic_suggested_is_given_and_an_ask_after_a_plus_is_the_ask() -> None:
    p = plan("she said shes open to topic suggestions. want to suggest a post on a toddlers "
             "first dental visit, my sister is dreading it. just the idea + ask if she'd "
             "rather get suggestions on the fb page or is messaging fine")
    assert p.give is not None and p.give.startswith("I'd like to suggest a post on a toddlers")
    assert p.ask == "Would you rather get suggestions on the fb page or is messaging fine?"


def test_work_planned_for_us_is_free_work_named_in_the_step() -> None:
    a = assess_goal("read his post on planning courses. would he be up for planning the "
                    "courses for us and maybe coming out the week before to put the tapes out",
                    recipient_name="Ian Sayer")
    assert a.classification == "entitled" and a.plan is not None
    assert a.plan.ask == "Do you take on work like planning the courses, and what would it cost?"


def test_asking_whether_they_want_to_see_the_senders_data_is_an_offer() -> None:
    a = assess_goal("our data shows the drop starts later for nubians, would she want to see "
                    "that? i have a spreadsheet from 11 farms i could send", recipient_name="Kay",
                    size="big")
    assert a.classification == "proportionate" and a.plan is not None
    assert a.plan.ask == "Would you want to see that?"
    # "that" is the finding said before the question, in the same sentence.
    assert a.plan.why is not None and "Our data shows the drop starts later" in a.plan.why


@pytest.mark.parametrize("goal", [
    "want to ask did it survive losing that many roots at once, bc im about to do the same to "
    "mine this month. thats it",
    "want to ask whether it survived losing so many roots at once, because we are about to do "
    "the same to ours this month",
])
def test_a_reason_typed_on_the_end_of_the_question_is_said_once_before_it(goal: str) -> None:
    said = plan(goal)
    assert said.ask is not None and said.ask.endswith("roots at once?")
    assert said.why is not None and said.why.count("about to do the same") == 1


def test_a_question_that_gives_its_own_reason_still_asks_them() -> None:
    assert ask_problems("Did it survive losing that many roots at once, because I'm about to "
                        "do the same to mine this month?", recipient="Anna Berg",
                        sender="Jonas Tveit") == []
    assert ask_problems("What is the audience size of our webinar?", recipient="Anna Berg",
                        sender="Jonas Tveit")


def test_a_look_at_our_document_with_no_document_named_is_vague() -> None:
    from drafter.plan import vague_asks

    steps = first_steps("document_review", "post", has_give=False)
    assert steps[0].ask in vague_asks()  # "our document", named nowhere
    named = first_steps("document_review", "post", has_give=False, subject="our grant draft")
    assert named[0].ask is not None and "our grant draft" in named[0].ask
    assert named[0].ask not in vague_asks()


@pytest.mark.parametrize(("goal", "give"), [
    ("send tim my cover of flux capacitor (link) and ask if its ok to put it up on my bandcamp. "
     "i'd make it name your price and send whatever it makes to the band",
     "I'd make it name your price and send whatever it makes to the band."),
    ("ask if the workbook she made is something she'd sell or share. i'd happily pay for a copy",
     "I'd happily pay for a copy."),
])
def test_the_terms_a_sender_promises_are_what_they_give(goal: str, give: str) -> None:
    said = plan(goal)
    assert said.give is not None and said.give.endswith(give)
    assert said.ask is not None and said.ask.endswith("?")


@pytest.mark.parametrize("goal", [
    "want her to send me her waitlist names + emails so i can fill my new studio",
    "could he send me names + numbers of a few of his players who'd sit in on contest day",
    "ask her to email all her studio families about my studio before the fall schedule is set",
])
def test_their_waitlist_their_peoples_numbers_and_a_mailing_about_me_are_entitled(
        goal: str) -> None:
    assert assess_goal(goal, recipient_name="Ann Lee", sender_offer=None).classification \
        == "entitled"


def test_an_applicants_availability_is_no_offer() -> None:
    found = offer_problems("I can start straight away, got my own hand tools.", works="",
                           ask=None, supplied="can start straight away, got my own hand tools")
    assert found and "sells you for a job" in found[0]
    assert offer_problems("I'd be glad to send you my test log.", works="", ask=None,
                          supplied="my test log") == []


@pytest.mark.parametrize(("goal", "give"), [
    # A send with no thing of its own sends what the sender said they have.
    ("i have photos + dates of our street flooding from the last 3 springs, happy to send if "
     "it helps the list",
     "I have photos + dates of our street flooding from the last 3 springs, and I'd be glad to "
     "send them if it helps the list."),
    ("we kept a tally of every bird at the feeder since march - can send it if he wants",
     "We kept a tally of every bird at the feeder since march, and I'd be glad to send it if "
     "you want."),
])
def test_a_send_with_no_object_sends_what_the_sender_has(goal: str, give: str) -> None:
    p = plan(goal)
    assert p.give == give
    assert p.why is None  # said once, in the give


def test_an_em_dash_starts_a_new_clause() -> None:
    p = plan("quick one — ask him if he'd show the pin example before the kids know basic "
             "endings, or wait until after")
    assert p.ask == ("Would you show the pin example before the kids know basic endings, or "
                     "wait until after?")


def test_a_reason_that_points_into_the_question_stays_with_it() -> None:
    # "one" is the vise the question names: said before it, it pointed at nothing.
    p = plan("one question before i order, can the bench in his post be built without a "
             "proper tail vise, because i really cant fit one")
    assert p.ask == ("Can the bench in your post be built without a proper tail vise, because I "
                     "really can't fit one?")
    assert p.why is None
    # A reason that stands alone is still said once, before the question.
    q = plan("did the hedge survive losing that many roots, bc im about to do the same to mine")
    assert q.ask == "Did the hedge survive losing that many roots?"
    assert q.why == "I'm about to do the same to mine."


@pytest.mark.parametrize(("goal", "give", "ask"), [
    # A thank-you that goes on to whom it thanks is one sentence.
    ("just want to say thank you to him and the crew and ask whats the best way to give to "
     "the station itself", "Thank you to you and the crew.",
     "What's the best way to give to the station itself?"),
    # "ask does he ...": the question as typed, after "ask" alone; an idea of theirs, told.
    ("just want to tell him the letter idea (the memory one) is genius and ask does he "
     "handwrite the letters or type them",
     "The letter idea (the memory one) is genius.",
     "Do you handwrite the letters or type them?"),
])
def test_thanks_and_questions_typed_in_a_hurry(goal: str, give: str, ask: str) -> None:
    p = plan(goal)
    assert (p.give, p.ask) == (give, ask)


@pytest.mark.parametrize(("goal", "said"), [
    ("read his series for apprentices. my host company is shutting down and i need a new one "
     "asap. want him to take me on or pass my cv to the host companies he knows",
     "My host company is shutting down and I need a new one asap."),
    # The reward, a feeling about the ask, or a sentence that points back is no situation.
    ("want her to review our whole site. would be good exposure for her, we have 12k "
     "followers", None),
    ("loved his post. we literally built our product around that. want him to intro us to "
     "his investors", None),
])
def test_where_the_sender_stands(goal: str, said: str | None) -> None:
    assert situation(goal, recipient_name="Dana Li") == said


def test_a_coached_goal_says_where_the_sender_stands_beside_their_reading() -> None:
    a = assess_goal("saw his welcome new apprentices post. i want in the union but not "
                    "starting over as a 1st yr. want him to put in a word with his foreman to "
                    "hire me", recipient_name="Jimmy Doyle", sender_offer=None)
    assert a.classification == "entitled"
    assert a.plan is not None and a.plan.why == (
        "I saw your welcome new apprentices post. I want in the union but not starting over "
        "as a 1st year.")


def test_a_reading_keeps_the_sentence_that_says_why_it_mattered() -> None:
    # "his mast" is the dad's (a relative named before it), and the sentence after the reading
    # says where the sender stands: a thank-you with neither thanked for nothing said.
    p = plan("read his post on why the crew joined, the bit about ollies dad getting rescued "
             "when his mast snapped got me. our engine died off the point last august and the "
             "lifeboat towed us in. just want to say thank you to him and the crew")
    assert p.why == ("I read your post on why the crew joined, the bit about ollies dad getting "
                     "rescued when his mast snapped got me. Our engine died off the point last "
                     "August and the lifeboat towed us in.")
    # A he/she the message cannot place is still left out.
    q = plan("read his post on grafting, he said it takes a year. ask him which rootstock")
    assert q.why is None or " he " not in f" {q.why} "


def test_where_in_the_work_something_is_mentioned_is_no_reading() -> None:
    # "I read that you mention tours at the end" read as a leftover note (blind review).
    p = plan("she mentions tours at the end. ask her if we could come do a tour with 10 "
             "people in july")
    assert p.ask is not None and p.why is None


@pytest.mark.parametrize("said", ["Could you tell me what 's the best way to give?",
                                  "I can send a PR. I took me ages to find the limit."])
def test_a_split_contraction_or_i_took_me_is_garbled(said: str) -> None:
    assert any("garbled" in p for p in said_problems(said, "", None))
    fixed = said.replace("what 's", "what's").replace("I took me", "It took me")
    assert said_problems(fixed, "", None) == []


def test_what_the_sender_has_before_the_ask_in_its_sentence_is_their_situation() -> None:
    said = situation("read his interview. i have scans of 14 medieval deeds from the priory w my "
                     "ancestors names in, want him to transcribe and translate them for free",
                     recipient_name="Charlie Rozier")
    assert said == "I have scans of 14 medieval deeds from the priory with my ancestors names in."


def test_nothing_more_is_said_to_the_tool_not_to_them() -> None:
    p = plan("ask if hed take a one line readme clarification, nothing more")
    assert p.ask == "Would you take a one line readme clarification?"


def test_what_the_sender_is_doing_is_said_with_im() -> None:
    p = plan("using his ini parser on my weather station config, works great. ask if hed take "
             "a one line readme fix")
    assert p.why is not None and p.why.startswith("I'm using your ini parser on my weather")


def test_who_buys_from_them_is_their_customer_list() -> None:
    a = assess_goal("i want to start selling next season so ask him for the list of restaurants "
                    "+ stores he sells to", recipient_name="Josh Bouchard", sender_offer=None)
    assert a.classification == "entitled"
    assert a.plan is not None and "restaurants" not in (a.plan.ask or "")


def test_ok_to_and_the_senders_own_people_read_as_english() -> None:
    assert as_question("if", "ok to quote your line in our binder") == \
        "Would it be OK to quote your line in our binder?"
    assert as_question("if", "ok if I pin it by the register") == \
        "Would it be OK if I pin it by the register?"
    assert offer_sentence("my kids would write you thank you cards") == \
        "My kids would write you thank you cards."
    assert offer_sentence("my benchmark on 2 TB of logs") == \
        "I'd be glad to send you my benchmark on 2 TB of logs."


def test_a_pronoun_is_no_work_to_name_in_the_step() -> None:
    from drafter.scoring.goal import _asked_activity

    goal = "i have 35 bows that are bald. could he do all of them for us for free"
    assert _asked_activity(goal, goal.index("could")) is None
    survey = "could she do a full lichen survey of the churchyard for free"
    assert _asked_activity(survey, 0) == "a full lichen survey of the churchyard"


@pytest.mark.parametrize(("typed", "said"), [
    ("you wrote abt the dinkie 550", "you wrote about the dinkie 550"),
    ("same problem w mine from a car boot sale", "same problem with mine from a car boot sale"),
    ("switched to steno bc of stuff like this", "switched to steno because of stuff like this"),
    ("2 yrs in, 3 days a wk", "2 years in, 3 days a week"),
    ("an hr of prep, that prep hr, day job in hr",
     "an hour of prep, that prep hour, day job in hr"),
    # Capitalised, or not between words, they are what they are.
    ("moved to bc last year, W of the river", "moved to bc last year, W of the river"),
])
def test_typed_shorthand_is_read_and_said_as_its_words(typed: str, said: str) -> None:
    assert first_person_fixes(typed) == said


def test_what_they_wrote_abt_before_the_same_problem_is_the_reason() -> None:
    p = make_plan("he wrote abt the dinkie 550 he bought where the lever only went up 30 "
                  "degrees. i have the exact same problem w mine from a car boot sale. just want "
                  "to ask what size sac he ended up fitting", recipient_name="Rupert Arzeian",
                  sender_offer=None)
    assert p.why == ("I read what you wrote about the dinkie 550 you bought where the lever only "
                     "went up 30 degrees. I have the exact same problem with mine from a car "
                     "boot sale.")


def test_the_lower_case_words_of_a_name_are_not_the_name_said_alone() -> None:
    said = to_second_person("read ferrari the thatchers blog. they go on about reed in the rain",
                            "Ferrari the Thatcher")
    assert said == "read ferrari the thatchers blog. you go on about reed in the rain"


def test_a_she_said_of_a_person_named_before_it_is_not_the_recipient() -> None:
    from drafter.voice import recipient_family

    goal = ("read the 'what i wish they knew' post, the lady whose kids said she wasnt hearing "
            "them. maybe ask if they have a handout they give pts")
    assert recipient_family(goal) is None
    assert to_second_person(goal, "Coastal Audiology", family=None) == (
        "read the 'what I wish they knew' post, the lady whose kids said she wasn't hearing "
        "them. maybe ask if you have a handout you give pts")
    # The recipient's own "she" still decides, after someone else's.
    assert recipient_family("the lady said she liked it. ask if she sells them") == "she"


def test_a_recipient_called_they_gets_every_form_of_it_in_the_second_person() -> None:
    said = to_second_person("where they started roasting after doubting themself. could they "
                            "pass me the leads, theyd know and theyve got loads", "Cloud City")
    assert said == ("where you started roasting after doubting yourself. could you pass me the "
                    "leads, you'd know and you've got loads")


def test_showing_it_to_the_senders_own_people_is_their_plan_not_a_gift() -> None:
    p = plan("read the wax guard post. want to say thanks, im going to show it to my "
             "preceptor. maybe ask if she has a handout")
    assert p.give == "Thank you. I'm going to show it to my preceptor."
    assert p.give_kind == "thanks"


@pytest.mark.parametrize(("goal", "ask"), [
    ("read her moth trap post!! im taking my trap to my sisters next month. how does she pack "
     "the bulb in the car so it doesnt break? thats my only q",
     "How do you pack the bulb in the car so it doesn't break?"),
    ("her post abt the literacy center - 3 hrs/wk w the student + an hr of prep. what does she "
     "do in that prep hr for a new learner? i start next wk",
     "What do you do in that prep hour for a new learner?"),
])
def test_a_question_typed_in_lower_case_after_a_full_stop_is_the_ask(goal: str, ask: str) -> None:
    assert plan(goal).ask == ask


def test_what_the_sender_would_send_after_the_ask_is_no_gift_and_a_curious_why_is_asked() -> None:
    p = plan("put a word in with her club so i can send birds in with her. also genuinely "
             "curious why she thinks none of the 3 came back from reims")
    assert p.give is None
    assert p.ask == "Why do you think none of the 3 came back from reims?"


def test_thanks_before_what_is_said_keeps_what_is_said() -> None:
    p = plan("did it hold up in the water?? maybe say thx the blog is still useful even tho its "
             "old")
    assert p.give == "Thank you. The blog is still useful even though it's old."
    assert p.ask == "Did it hold up in the water?"


def test_a_question_about_that_keeps_the_advice_it_points_at() -> None:
    p = plan("saw her spoon post. she says seal the ends w paint or beeswax so they dont crack - "
             "does that need to be right after u cut the branch or is a day ok??")
    assert p.ask == "Does that need to be right after you cut the branch or is a day ok?"
    assert p.why is not None and p.why.endswith(
        "I read your advice to seal the ends with paint or beeswax so they don't crack.")


def test_an_also_question_beside_a_big_ask_is_the_senders_own_small_question() -> None:
    a = assess_goal("saw her wall post. ask if she'd paint one on my cafe too, cant pay but its "
                    "good exposure, and can she post it on her blog. also how'd she deal w the "
                    "cement block holes, ours is cinderblock too", recipient_name=NAME)
    assert a.classification == "entitled"
    assert a.plan is not None
    assert a.plan.ask == "How did you deal with the cement block holes?"
    assert plan("saw her wall post. how'd she deal w the cement block holes, ours is "
                "cinderblock too").why == "I saw your wall post. Ours is cinderblock too."


@pytest.mark.parametrize(("about", "starting"), [
    ("ex roofer, did a 2 wk thatching course in spring. no customers yet", True),
    ("just built a 6ft loft in the back garden, 0 birds yet", True),
    ("music ed grad, opening my own studio this fall", True),
    ("roasting on a 1kg bullet in my garage, sell at 2 farmers mkts", False),
    ("senior engineer, 12 years in payments, haven't met her yet", False),
])
def test_a_sender_starting_out_is_asked_toward_getting_started(about: str, starting: bool
                                                               ) -> None:
    a = assess_goal("ask for the names of her reed growers, and to pass me any roofs she's too "
                    "busy for / her overflow customers, and if i can work a roof with her for "
                    "free to learn", recipient_name=NAME, sender_about=about)
    assert a.classification == "entitled" and a.plan is not None
    said = "What would you suggest someone in my position do first to get started?"
    assert (a.plan.ask == said) is starting


@pytest.mark.parametrize("goal", [
    "read about him coaching his daughter to rome. could he write me a plan like that for dublin",
    "loved her post. maybe she could check my strava every week or two until race day",
])
def test_a_plan_made_to_order_or_a_review_that_recurs_is_free_work(goal: str) -> None:
    assert assess_goal(goal, recipient_name="Hugh Brennan").classification == "entitled"


def test_an_offer_beside_a_goal_that_calls_them_they_says_they_to_them() -> None:
    p = make_plan("read their moth post. how do they pack the bulb so it doesnt break?",
                  recipient_name="in-the-countryside",
                  sender_offer="can send my species list after if theyre interested")
    assert p.give == "can send my species list after if you're interested"
    # Beside a goal that calls them "she", the offer's "them" is other people.
    assert make_plan("read her moth post. how does she pack the bulb?", recipient_name="Ann Lee",
                     sender_offer="we'd tag them in our post").give == "we'd tag them in our post"
