"""Which line the message quotes (drafter.quoting): connected to what the sender gives and
asks, and never a line that reads as a jab when quoted back to its author."""

from __future__ import annotations

import pytest

from drafter.quoting import choose_line, connection, quote_problem
from drafter.types import Evidence


def _lines(*texts: str) -> tuple[Evidence, ...]:
    out, at = [], 0
    for t in texts:
        out.append(Evidence(work_index=0, start=at, end=at + len(t), text=t))
        at += len(t) + 1
    return tuple(out)


@pytest.mark.parametrize("line", [
    "And I'm not even a very well-known investor!",
    "Even though I get these emails every once in a while - I felt kinda betrayed.",
    "You: I have a great opportunity that I think is perfect for you.",
    "Do you get it?",
    "Make sure you know the questions you want me to answer.",
    "If you or your company needs a feature, express your willingness to fund the work.",
    # The requests they receive: quoted back by one more such request, it reads as unheard.
    "Every week I get dozens of emails from founders who want a coffee.",
    "People constantly message me about how to break into radio.",
    "While many pitches I've received have been great, the majority are bad.",
    "(Here's the bus map in Wellington, New Zealand, for example).",  # an aside in brackets
    # Someone's words or thoughts inside the line.
    "My first reaction was, \u201cwhy would a star want to be on my tiny show?\u201d.",
    # A transcript's answer, and two sentences the page ran together.
    "A \u2013 Because of the two passed pawns.",
    "Bupkis It still seems very rare but Chicago reports some impressive use of their portal.",
])
def test_lines_that_read_as_a_jab_or_a_retort_are_named(line: str) -> None:
    assert quote_problem(line)


@pytest.mark.parametrize("line", [
    "So, overnight, I became a Science and Social Studies teacher!",
    "On our 50 GB benchmark, grouping by two string columns went from 41 seconds to 9.",
    "Write a program to sort some numbers.",  # an exercise they set, not a rule for readers
    "We read And Then There Were None in class with my students last spring.",  # a title
])
def test_findings_and_accounts_read_well(line: str) -> None:
    assert quote_problem(line) is None


def test_the_line_that_connects_wins_over_the_models_unconnected_pick() -> None:
    lines = _lines("I have been blogging since 2013 about many things.",
                   "The spill path writes partitions to disk when memory runs out.",
                   "Most weeks I garden.")
    got = choose_line(lines[0], lines, "I can send our spill benchmark on spinning disks")
    assert got.line == lines[1] and "shares more" in got.reason


def test_a_jab_is_never_chosen_even_when_it_shares_more_words() -> None:
    lines = _lines("I'm sick of cold pitches from investors who never read the post.",
                   "Cold outreach to investors works when the pitch is short.")
    got = choose_line(lines[0], lines, "cold pitch to investors, short pitch, read the post")
    assert got.line == lines[1]


def test_an_instruction_is_a_second_choice_and_only_when_the_message_takes_it_up() -> None:
    rule = "Ask specific questions about the ledger, not vague requests."
    lines = _lines("Blogs are a two way conversation.", rule)
    taken_up = choose_line(lines[0], lines, "one specific question about our ledger design")
    assert taken_up.line is not None and taken_up.line.text == rule
    unrelated = choose_line(lines[1], lines, "our ledger")  # shares one word only
    assert unrelated.problem, "a rule quoted back on its own is reported, never passed"


def test_words_of_the_question_count_double() -> None:
    lines = _lines("We added a spill-to-disk path above a threshold.",
                   "Performance regressions are the bugs I fear most.")
    focus = "how do you approach performance regressions; I can send spill disk results"
    got = choose_line(lines[0], lines, focus,
                      question="How do you approach performance regressions?")
    assert got.line == lines[1]


def test_the_models_line_stays_when_it_connects_nearly_as_well() -> None:
    lines = _lines("The spill path writes partitions.", "The spill path is slow.",
                   "Nothing else here.")
    assert choose_line(lines[0], lines, "spill path partitions, slow").line == lines[0]
    assert choose_line(lines[1], lines, "spill path partitions, slow").line == lines[1]


def test_nothing_connects_keeps_the_models_line_and_says_so() -> None:
    lines = _lines("I'm sick of this.", "Do you get it?")
    got = choose_line(lines[0], lines, "a bug in the parser")
    assert got.line == lines[0] and got.problem


def test_a_give_the_goal_says_is_already_up_is_not_offered_to_send() -> None:
    from drafter.compose import _as_done

    offer = "I'd be glad to send you a 4 line PR fixing the segfault."
    assert _as_done(offer, "just a heads up that the PR is up, with the repro") == (
        "I've already opened a 4 line PR fixing the segfault.")
    assert _as_done(offer, "tell him about the PR and ask if he wants it") == offer


def test_garbled_encodings_are_never_quoted() -> None:
    from drafter.context import quotable

    assert not quotable("For more than a decade now IÕve received hundreds of enquiries.")
    assert quotable("For more than a decade now I've received hundreds of enquiries.")


def test_their_refusals_are_not_quoted_back() -> None:
    assert quote_problem("I don't look into reported Issues.")


def test_on_a_short_channel_a_long_line_is_a_second_choice() -> None:
    long_line = "The spill path " + "writes partitions to disk and then reads them " * 4 + "."
    lines = _lines(long_line, "The spill path is slow on disks.")
    assert choose_line(lines[0], lines, "spill path disks", max_chars=100).line == lines[1]
    assert choose_line(lines[0], lines, "spill path disks").line == lines[0]


def test_a_line_left_inside_someone_elses_quotation_is_never_quoted() -> None:
    assert quote_problem('If all those things align, I\'ll get someone else to set up a call"')
    assert quote_problem("And people should write about video games.")
    assert quote_problem("26 dollars is the average sales price my band")


def test_abbreviations_end_no_sentence() -> None:
    from drafter.context import split_passages

    texts = [p.text for p in split_passages(
        "The committee that guides U.S. vaccine policy met this week. Dr. Li agreed.", 0)]
    assert texts[0] == "The committee that guides U.S. vaccine policy met this week."


def test_the_models_line_may_open_on_and_when_it_connects_well() -> None:
    lines = _lines("A person can know that having kids will change their life.",
                   "And this is why I made a design system for my personal websites.")
    focus = "breaking changes: did you version your personal system"
    assert choose_line(lines[1], lines, focus).line == lines[1]
    # Not the model's pick: its odd form makes it a second choice after a line that fits.
    assert choose_line(lines[0], lines, focus).line == lines[0]


def test_a_condition_without_its_main_clause_is_half_a_thought() -> None:
    assert quote_problem("If I delete it after reading the first paragraph and don't respond.")
    assert quote_problem("If all those things align, I set up a call.") is None


def test_a_line_too_short_to_stand_alone_is_a_second_choice() -> None:
    lines = _lines("Trucks are our biggest cost.",
                   "We rebalance bikes at night with trucks and it costs us a lot.")
    assert quote_problem(lines[0].text)
    assert choose_line(lines[0], lines, "a simulation of your truck routes, fewer hours, cost"
                       ).line == lines[1]


def test_a_line_another_variant_quotes_is_left_to_it_when_another_fits() -> None:
    lines = _lines("The spill path writes partitions to disk.",
                   "The spill path is slow on the disks we tested.")
    focus = "spill path disk slow"
    first = choose_line(lines[0], lines, focus).line
    assert first is not None
    other = choose_line(lines[0], lines, focus,
                        avoid=frozenset({(first.work_index, first.start)})).line
    assert other is not None and other != first
    only = _lines("The spill path writes partitions to disk.")
    assert choose_line(only[0], only, focus, avoid=frozenset({(0, 0)})).line == only[0]


def test_the_senders_own_words_that_name_part_of_the_work_are_found_in_it() -> None:
    from drafter.quoting import find_mention

    lines = _lines("I stopped grading every assignment with points this semester.",
                   "Ungrading is how I run all my courses now.",
                   "I still nudge an editor after three or four days without a reply.")
    m = find_mention("Thank you. Your ungrading posts are why I ditched points.", lines)
    assert m is not None and m.said == "Your ungrading posts" and m.line == lines[1]
    nudge = find_mention("Your nudge after 3-4 days tip got me my first paid piece.", lines)
    assert nudge is not None and nudge.line == lines[2] and "nudge" in nudge.shared


@pytest.mark.parametrize("said", [
    "I loved your post and your work.",  # names nothing: fits any work
    "I'd be glad to send it to your students.",  # people, not a part of the work
    "Your ideas about grading changed my class.",  # one short shared word is chance
])
def test_words_that_fit_any_work_are_not_a_mention(said: str) -> None:
    from drafter.quoting import find_mention

    lines = _lines("I stopped grading every assignment with points this semester.",
                   "My students write their own reflections.")
    assert find_mention(said, lines) is None


def test_a_line_leaning_on_the_one_before_is_not_pointed_at_by_common_words() -> None:
    # "video" and "games" are in most lines of a blog about games: sharing them (and one more
    # word) does not make "And people should ..." the line the goal means.
    lines = _lines("I have been writing about video games for 25 years, usually paid.",
                   "And people should write about video games.",
                   "This blog will focus on video games, mostly.",
                   "My wife and I run a tiny indie company that makes video games.")
    choice = choose_line(None, lines, "send him my video games sales data, he can write it up")
    assert choice.line is not None and choice.line != lines[1]


def test_a_line_tied_only_to_what_the_message_leaves_out_does_not_connect() -> None:
    # The goal spoke of "no refactoring stuff"; the message says only the fix it gives.
    line = "Whether a change is a fix or a refactoring is my call alone."
    said = "I've opened a 3 line PR fixing the crash when the config file is empty."
    assert connection(line, said) == ()
    assert connection(line, said + " No refactoring in it.") == ("refac",)


def test_drafters_own_ladder_words_and_chatter_never_connect_a_line() -> None:
    # "someone in my position ... first" is drafter's coached question, not the sender's words.
    line = "The first thing someone should know about my work is that it is slow."
    said = "What would you suggest someone in my position do first?"
    assert connection(line, said) == ()
    assert connection("Bumblebees forage earlier under LED lights.",
                      "a short note on bumblebees in city parks") == ("bumbl",)


def test_a_qualifier_of_the_sentence_before_is_not_quoted_alone() -> None:
    assert quote_problem("Especially at this time of year.") == "leans on the sentence before it"


_SHOULDER = ("It's a bit of an acid test for my shoulder too, shearing being a somewhat "
             "round-shouldered affair with added sheep weight, it could end up making it flare "
             "up after a long day in the shed.")


def test_a_long_sentence_that_bears_on_the_question_is_quoted_whole() -> None:
    lines = _lines("Such is the nature of shearing season.",
                   "Most weekends I am booked until the end of the month.", _SHOULDER)
    got = choose_line(lines[0], lines, "loved her shearing season post; did the shoulder hold "
                      "up after a long day in the shed, and did she change the handpiece to keep "
                      "it from flaring up",
                      question="Did the shoulder hold up?", max_words=24)
    assert got.line == lines[2]


def test_a_long_sentence_that_only_ties_with_a_short_one_is_a_second_choice() -> None:
    lines = _lines("Such is the nature of shearing season for a contractor.", _SHOULDER)
    got = choose_line(lines[1], lines, "loved her shearing season post, the contractor part",
                      max_words=24)
    assert got.line == lines[0] and "shorter line" in got.reason
    # Without the channel's easy length, the long line is as good as any.
    assert choose_line(lines[1], lines, "loved her shearing season post, the contractor part",
                       ).line in lines
