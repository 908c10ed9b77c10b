from __future__ import annotations

from drafter.scorecard import ScoreCard

# The rules' own findings and verdicts: score_message adds the learned reader on top, which
# grades a pasted message's dimensions itself (tests/scoring/test_verdict.py).
from drafter.scoring import rule_card as score_message


def dim(card: ScoreCard, name: str):  # type: ignore[no-untyped-def]
    return next(d for d in card.dimensions if d.dimension == name)


def codes(card: ScoreCard, name: str) -> set[str]:
    return {f.code for f in dim(card, name).findings}


# ---- personalization ------------------------------------------------------------------------

def test_quote_not_in_work_fails(works: list[str]) -> None:
    body = 'I loved where you wrote "hash tables are always faster than sorting". I\'m Mia.'
    card = score_message(body, works=works)
    p = dim(card, "personalization")
    assert p.verdict == "fail"
    f = next(f for f in p.findings if f.code == "personalization.quote_not_found")
    assert f.spans[0].text == "hash tables are always faster than sorting"


def test_near_exact_quote_is_found(works: list[str]) -> None:
    body = 'Your post says "memory grows with the numbr of distinct keys" and that matched ours.'
    assert "personalization.quote_found" in codes(score_message(body, works=works),
                                                  "personalization")


def test_generic_praise_fails_without_specifics(works: list[str]) -> None:
    card = score_message("Huge fan of everything you do, love your work! I'm Jo.", works=works)
    p = dim(card, "personalization")
    assert p.verdict == "fail"
    assert "personalization.generic_praise" in codes(card, "personalization")
    assert "personalization.generic" in codes(card, "personalization")


def test_name_only_reference_is_generic(works: list[str]) -> None:
    card = score_message("I'm Jo. I use tidyframe every day. Any openings?", works=works)
    assert "personalization.generic" in codes(card, "personalization")


def test_invented_award_and_book_fail(works: list[str]) -> None:
    card = score_message("Congrats on your award! I also read your book on groupby hash "
                         "tables and the sort-merge fallback.", works=works)
    f = [f for f in dim(card, "personalization").findings
         if f.code == "personalization.unsupported_claim"]
    assert {s.text for x in f for s in x.spans} >= {"award", "book"}
    assert dim(card, "personalization").verdict == "fail"


def test_a_kind_of_work_the_sender_typed_is_their_own_statement(works: list[str]) -> None:
    body = ("I saw the abstract for your talk on groupby hash tables and the sort-merge "
            "fallback. I'm Jo.")
    def claimed(card: ScoreCard) -> set[str]:
        return {s.text for f in dim(card, "personalization").findings
                if f.code == "personalization.unsupported_claim" for s in f.spans}
    assert "talk" in claimed(score_message(body, works=works))
    # The sender's goal says "his talk": the message repeats their words, invents nothing.
    assert "talk" not in claimed(score_message(
        body, works=works, supplied="saw the abstract for his talk, ask him about the fallback"))


def test_claimed_name_not_in_work_is_weak(works: list[str]) -> None:
    card = score_message("Your PyCon talk on the groupby hash table and sort-merge fallback "
                         "was great. I'm Jo.", works=works)
    spans = {s.text for f in dim(card, "personalization").findings
             if f.code == "personalization.unsupported_claim" for s in f.spans}
    assert "PyCon" in spans


def test_without_works_specifics_are_read_from_the_text() -> None:
    # Coach mode: most people paste only their message; verifying against the work is an
    # extra when works are supplied, not a condition for passing.
    named = score_message('I\'m Jo. Your post "Faster groupby in tidyframe 2.0" said the '
                          "threshold is 10 million keys; we hit it on skewed logs.")
    assert dim(named, "personalization").verdict == "pass"
    assert "personalization.names_specifics" in codes(named, "personalization")
    general = score_message("I'm Jo. I really enjoyed your work.")
    assert dim(general, "personalization").verdict == "weak"
    greeting_too = score_message("Hello, I admire your work. Would love to connect.")
    assert dim(greeting_too, "personalization").verdict != "fail"
    anyone = score_message("I'm Jo, a data engineer. Can we chat about data engineering?")
    assert dim(anyone, "personalization").verdict == "fail"


# ---- reciprocity ----------------------------------------------------------------------------

def test_concrete_offer_passes(works: list[str]) -> None:
    card = score_message("I'm Jo. I ran the benchmark on skewed keys and attached the numbers.",
                         works=works)
    assert dim(card, "reciprocity").verdict == "pass"
    assert card.offers[0].conditional is False


def test_conditional_offer_fails() -> None:
    card = score_message("I'll share the benchmark numbers if you give me a 15-minute call.")
    assert card.offers and card.offers[0].conditional
    assert "reciprocity.conditional" in codes(card, "reciprocity")
    assert dim(card, "reciprocity").verdict == "fail"


def test_if_useful_is_not_conditional() -> None:
    card = score_message("Happy to send the notebook if that's useful.")
    assert card.offers and not card.offers[0].conditional


def test_vague_offer_is_weak() -> None:
    card = score_message("Happy to help anytime! Why did you pick a hash table?")
    assert "reciprocity.vague" in codes(card, "reciprocity")
    assert dim(card, "reciprocity").verdict == "weak"


def test_nothing_offered_with_large_ask_fails() -> None:
    card = score_message("Could you refer me?")
    assert "reciprocity.none" in codes(card, "reciprocity")
    assert dim(card, "reciprocity").verdict == "fail"


def test_thanks_with_impact_counts_as_a_gift() -> None:
    card = score_message("Thank you for writing the groupby post: it saved us a week of "
                         "debugging.")
    assert dim(card, "reciprocity").verdict == "pass"


# ---- credibility ----------------------------------------------------------------------------

def test_self_intro_passes() -> None:
    card = score_message("My name is Sam and I work on query engines. Why a hash table?")
    assert dim(card, "credibility").verdict == "pass"


def test_signature_only_is_weak() -> None:
    card = score_message("Why a hash table?\n\nBest,\nSam", sender_name="Sam Ortiz")
    c = dim(card, "credibility")
    assert c.verdict == "weak"
    assert c.findings[0].spans[0].text == "Sam"


def test_unstated_sender_is_weak_and_situation_counts() -> None:
    # GUIDE.md keeps "fail" for fakery; a sender who never says who they are is thin.
    assert dim(score_message("Why a hash table?"), "credibility").verdict == "weak"
    said = score_message("I need the dataset for my master thesis. Is it public?")
    assert dim(said, "credibility").verdict == "pass"


def test_fake_familiarity_fails() -> None:
    for body in ("As we discussed, here is my CV. I'm Tim.",
                 "Following up on our chat: I'm Tim.", "Great to reconnect! I'm Tim."):
        card = score_message(body)
        assert "credibility.fake_familiarity" in codes(card, "credibility"), body


def test_mutual_connection_is_weak() -> None:
    card = score_message("Our mutual friend Sam suggested I reach out. I'm Oscar.")
    assert dim(card, "credibility").verdict == "weak"


def test_flattery_stack_is_weak() -> None:
    card = score_message("I'm Jo. You're a genius, a true visionary, and your talk was "
                         "amazing and brilliant.")
    assert "credibility.flattery" in codes(card, "credibility")


# ---- respect --------------------------------------------------------------------------------

def test_pressure_and_guilt_fail() -> None:
    for phrase in ("ASAP", "before Friday", "by EOD", "I'll follow up daily",
                   "I'm sure you won't mind", "this is urgent"):
        card = score_message(f"I'm Jo. Please answer {phrase}.")
        assert dim(card, "respect").verdict == "fail", phrase
        spans = [s.text.lower() for f in dim(card, "respect").findings for s in f.spans]
        assert any(s in phrase.lower() for s in spans), phrase


def test_long_message_is_weak() -> None:
    body = "I'm Jo and I ran your groupby benchmark on our logs. " * 20
    card = score_message(body)
    assert "respect.length" in codes(card, "respect")
    assert card.metrics.words > 150


def test_too_many_questions_is_weak() -> None:
    card = score_message("I'm Jo. Why? How? When? Where?")
    assert card.metrics.questions == 4
    assert "respect.questions" in codes(card, "respect")


def test_hard_reading_is_weak() -> None:
    body = ("I'm Jo. Notwithstanding considerable organisational heterogeneity, institutional "
            "configurations necessitate comprehensive interdisciplinary evaluation methodologies.")
    card = score_message(body)
    assert card.metrics.reading_ease < 50
    assert "respect.reading_level" in codes(card, "respect")


# ---- mass mail ------------------------------------------------------------------------------

def test_placeholders_and_spintax_fail() -> None:
    for marker in ("[Name]", "[FIRST NAME]", "{{first_name}}", "{first_name}", "%FIRSTNAME%",
                   "{Quick|Short|Brief}"):
        card = score_message(f"Hi {marker}, I'm Jo.")
        m = dim(card, "mass_mail")
        assert m.verdict == "fail", marker
        assert m.findings[0].spans[0].text == marker


def test_impersonal_greetings_fail_and_filler_is_weak() -> None:
    assert dim(score_message("Dear Sir/Madam, I'm Jo."), "mass_mail").verdict == "fail"
    assert dim(score_message("To whom it may concern: I'm Jo."), "mass_mail").verdict == "fail"
    hope = score_message("Hi Dana, I hope this email finds you well. I'm Jo.")
    assert dim(hope, "mass_mail").verdict == "weak"


def test_subject_checks() -> None:
    card = score_message("I'm Jo.", subject="Dana Li: a question about your groupby rewrite post",
                         recipient_name="Dana Li")
    assert {"mass_mail.subject_length", "mass_mail.name_in_subject"} <= codes(card, "mass_mail")
    assert card.metrics.subject_words == 9


def test_the_senders_own_commitment_by_a_day_is_not_pressure() -> None:
    mine = score_message("I'm Jo. I can file 400 words by Wednesday if it fits.")
    assert "respect.pressure" not in codes(mine, "respect")
    for theirs in ("We will need your answer by Friday.", "I'd love to hear back by Friday.",
                   "I can wait, but reply by Friday."):
        card = score_message(f"I'm Jo. {theirs}")
        assert "respect.pressure" in codes(card, "respect"), theirs


def test_familiarity_claimed_in_bulk_is_generic_praise() -> None:
    card = score_message("I'm Jo. I've listened to a bunch of episodes of your show.")
    assert "personalization.generic_praise" in codes(card, "personalization")
    one = score_message("I'm Jo. I've listened to your episode on pricing twice.")
    assert "personalization.generic_praise" not in codes(one, "personalization")


def test_an_offer_that_says_who_it_is_for_or_what_is_done_is_an_offer() -> None:
    """"send a couple cases out for you" names no listed object and "scan them ... and send
    the files" puts its verb far from "can": both give."""
    for text in ("I'd be glad to send a couple cases out for you and the crew.",
                 "I have the 1939 yearbook. I can scan them cover to cover and send the files."):
        assert dim(score_message(text), "reciprocity").verdict == "pass", text


def test_an_offer_for_whoever_is_curious_is_no_trade() -> None:
    card = score_message("I ran the same test with two filters, happy to send you the raw "
                         "stacks if you're curious. Did you see a difference?")
    assert dim(card, "reciprocity").verdict == "pass"
