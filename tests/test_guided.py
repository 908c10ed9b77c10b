"""Schema-guided JSON decoding over a scripted fake model.

The fake ``Stepper`` has a toy tokenizer (every byte is a token, plus a few multi-byte tokens
and an end token) and a "model" whose logits strongly prefer the next token of a script. It
records what it is fed and what is rewound, so the tests can check that the model's context
holds exactly the text that is kept.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

from drafter.model.guided import (
    GuidedOutput,
    Sampling,
    _cut,
    _Sampler,
    generate_json,
    supports,
)

END = 511
VOCAB_SIZE = 512
MULTI = [b'",\n', b'.",\n', b" the", b",\n", b". ", b".\n"]
BOOST = 20.0
COMMA_NL = 256 + MULTI.index(b",\n")

Step = int | dict[int, float]  # a scripted token, or the boosts of one logits() call


class FakeStepper:
    """A byte-level toy tokenizer and a model that follows a script, one token per logits()."""

    def __init__(self, script: Sequence[str | bytes | int | dict[int, float]] = (),
                 extra: Sequence[bytes] = MULTI) -> None:
        self.vocab: dict[int, bytes] = {i: bytes([i]) for i in range(256)}
        for i, piece in enumerate(extra):
            self.vocab[256 + i] = piece
        self.ids = {piece: i for i, piece in self.vocab.items()}
        self.longest = max(len(p) for p in self.vocab.values())
        self.script: list[Step] = []
        for part in script:
            if isinstance(part, str | bytes):
                self.script.extend(self.tokenize(part.encode() if isinstance(part, str)
                                                 else part))
            else:
                self.script.append(part)
        self.history: list[int] = []
        self.events: list[tuple[str, Any]] = []
        self.seen: list[bytes] = []  # the fed text at every logits() call

    # -- tokenizer ---------------------------------------------------------------------------
    def tokenize(self, text: bytes) -> list[int]:
        out, i = [], 0
        while i < len(text):
            for n in range(min(self.longest, len(text) - i), 0, -1):
                if text[i:i + n] in self.ids:
                    out.append(self.ids[text[i:i + n]])
                    i += n
                    break
        return out

    def piece(self, token: int) -> bytes:
        return b"" if token == END else self.vocab[token]

    def is_end(self, token: int) -> bool:
        return token == END

    def id(self, piece: str) -> int:
        return self.ids[piece.encode()]

    # -- model -------------------------------------------------------------------------------
    def feed(self, tokens: Sequence[int]) -> None:
        assert tokens, "fed nothing"
        self.history.extend(tokens)
        self.events.append(("feed", tuple(tokens)))

    def rewind(self, count: int) -> None:
        assert 0 < count <= len(self.history)
        del self.history[-count:]
        self.events.append(("rewind", count))

    def logits(self) -> npt.NDArray[np.float32]:
        assert self.script, "the model was asked for more tokens than scripted"
        self.seen.append(self.text())
        step = self.script.pop(0)
        out = np.zeros(VOCAB_SIZE, dtype=np.float32)
        for token, boost in (step.items() if isinstance(step, dict) else [(step, BOOST)]):
            out[token] = boost
        return out

    def text(self) -> bytes:
        return b"".join(self.piece(t) for t in self.history)

    def rewinds(self) -> list[int]:
        return [n for kind, n in self.events if kind == "rewind"]


def run(stepper: FakeStepper, props: dict[str, dict[str, Any]], *, temperature: float = 0.4,
        seed: int | None = 0, max_tokens: int = 500, **kw: Any) -> GuidedOutput:
    schema = {"type": "object", "properties": props}
    out = generate_json(stepper, schema, sampling=Sampling(temperature=temperature, seed=seed),
                        max_tokens=max_tokens, **kw)
    assert json.loads(out.text) == out.values  # always valid JSON, and the same values
    return out


STR: dict[str, Any] = {"type": "string"}


def enum(*values: int) -> dict[str, Any]:
    return {"type": "integer", "enum": list(values)}


def text_of(maxlen: int) -> dict[str, Any]:
    return {"type": "string", "maxLength": maxlen}


# -- a whole object ----------------------------------------------------------------------------

@pytest.mark.parametrize("temperature", [0.4, 0.0])
def test_full_object_is_valid_json_in_schema_order_with_the_scripted_values(
        temperature: float) -> None:
    s = FakeStepper(["Quick question", '",\n', "4", "I liked the talk", '"'])
    props = {"subject": STR, "score": enum(1, 2, 3, 4, 5), "body": STR}
    out = run(s, props, temperature=temperature)

    assert out.finish_reason == "stop"
    assert list(json.loads(out.text)) == ["subject", "score", "body"]
    assert out.values == {"subject": "Quick question", "score": 4, "body": "I liked the talk"}
    assert not s.script  # every scripted token was used, none more
    # The model's context is the reply it would have written, up to the last value.
    assert s.text() == (b'{\n  "subject": "Quick question",\n  "score": 4,\n'
                        b'  "body": "I liked the talk')
    assert s.rewinds() == []
    # Sampled: every model-chosen token (the closing ones too); forced: the structure fed.
    value_tokens = [*s.tokenize(b"Quick question"), s.id('",\n'), *s.tokenize(b"4"),
                    *s.tokenize(b"I liked the talk"), s.id('"')]
    assert out.sampled_tokens == len(value_tokens) == len(s.seen)
    structure = [b'{\n  "subject": "', b'",\n  "score": ', b',\n  "body": "']
    assert out.forced_tokens == sum(len(s.tokenize(t)) for t in structure)
    assert [e for e in s.events if len(e[1]) > 1] == [
        ("feed", tuple(s.tokenize(t))) for t in structure]
    # The model samples each value right after the structure that introduces it.
    assert s.seen[0] == b'{\n  "subject": "'
    assert s.seen[len(s.tokenize(b"Quick question")) + 1].endswith(b'"score": ')
    assert s.seen[-1] == s.text()  # the closing quote was sampled, never fed


def test_keys_are_json_escaped_in_the_structure() -> None:
    s = FakeStepper(["ok", '"'])
    out = run(s, {'say "hi"': STR})
    assert out.values == {'say "hi"': "ok"}
    assert s.seen[0] == b'{\n  "say \\"hi\\"": "'


# -- where a string ends ------------------------------------------------------------------------

def test_closing_quote_inside_a_multibyte_token_keeps_the_period_and_feeds_it_with_the_quote(
        ) -> None:
    s = FakeStepper(["Hi there", '.",\n', "2"])
    out = run(s, {"subject": STR, "n": enum(1, 2)})
    assert out.values == {"subject": "Hi there.", "n": 2}
    assert s.text() == b'{\n  "subject": "Hi there.",\n  "n": 2'
    # The unfed '.' goes in with the quote and the next key, as the model's own token.
    tail = s.tokenize(b'.",\n  "n": ')
    assert tail[0] == s.id('.",\n')
    assert ("feed", tuple(tail)) in s.events
    assert s.rewinds() == []


def test_escaped_quote_does_not_end_the_value() -> None:
    s = FakeStepper(["She said ", "\\", '"', "hi", "\\", '"', '"'])
    out = run(s, {"a": STR})
    assert out.values == {"a": 'She said "hi"'}
    assert json.loads(out.text)["a"] == 'She said "hi"'
    assert s.text() == b'{\n  "a": "She said \\"hi\\"'
    assert not s.script


def test_quote_after_an_escaped_backslash_ends_the_value() -> None:
    s = FakeStepper(["a", "\\", "\\", '"', "2"])
    out = run(s, {"a": STR, "n": enum(1, 2)})
    assert out.values == {"a": "a\\", "n": 2}
    assert s.text() == b'{\n  "a": "a\\\\",\n  "n": 2'


@pytest.mark.parametrize(("script", "value", "fed_tail"), [
    (["Line one", "\n", "2"], "Line one", b'Line one",\n  "n": 2'),
    (["Done", ".\n", "2"], "Done.", b'Done.",\n  "n": 2'),
    (["Short", END, "2"], "Short", b'Short",\n  "n": 2'),
])
def test_newline_or_end_token_ends_a_string(script: list[str | int], value: str,
                                            fed_tail: bytes) -> None:
    s = FakeStepper(script)
    out = run(s, {"a": STR, "n": enum(1, 2)})
    assert out.values == {"a": value, "n": 2}
    assert out.finish_reason == "stop"
    assert s.text() == b'{\n  "a": "' + fed_tail


def test_end_token_as_the_first_token_gives_an_empty_string() -> None:
    s = FakeStepper([END, "1"])
    out = run(s, {"a": STR, "n": enum(1, 2)})
    assert out.values == {"a": "", "n": 1}
    assert s.text() == b'{\n  "a": "",\n  "n": 1'


# -- maxLength ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("extra", "sampled", "refed"), [
    ((), 22, b'",\n  "n": '),  # byte tokens: the cut falls between two fed tokens
    # With a '. ' token the cut falls inside a fed token: it is rewound too, and its kept
    # '.' goes back in with the closing quote.
    (MULTI, 21, b'.",\n  "n": '),
])
def test_over_max_length_cuts_at_the_last_sentence_end_that_fits_and_rewinds(
        extra: Sequence[bytes], sampled: int, refed: bytes) -> None:
    # 21 characters: one past maxLength, with a sentence end at 10.
    s = FakeStepper(["First one. Second one", "2"], extra=extra)
    out = run(s, {"a": text_of(20), "n": enum(1, 2)})
    assert out.values == {"a": "First one.", "n": 2}
    # The 21st token was never fed; the 10 fed past the sentence end were taken back out.
    assert s.rewinds() == [10]
    assert s.text() == b'{\n  "a": "First one.",\n  "n": 2'
    assert ("feed", tuple(s.tokenize(refed))) in s.events
    assert s.seen[-1] == b'{\n  "a": "First one.",\n  "n": '
    assert out.sampled_tokens == sampled


def test_over_max_length_with_no_fitting_end_cuts_at_the_first_sentence_end() -> None:
    # "Hello world" is exactly maxLength; the token '. ' carries it over, and its '.' ends it.
    s = FakeStepper(["Hello world", ". ", "1"])
    out = run(s, {"a": text_of(11), "n": enum(1, 2)})
    assert out.values == {"a": "Hello world.", "n": 1}
    assert s.rewinds() == []
    assert s.text() == b'{\n  "a": "Hello world.",\n  "n": 1'
    # The '.' the model sampled but that was not fed goes in with the closing quote.
    assert ("feed", tuple(s.tokenize(b'.",\n  "n": '))) in s.events


@pytest.mark.parametrize(("written", "value", "rewound"), [
    ("aaaa bbbb c", "aaaa bbbb", [1]),  # at the last space within 2 * maxLength
    ("aaaa, bbb, ", "aaaa", [6]),  # and without the punctuation before it
    ("abcdefghijk", "abcdefghij", []),  # no space at all: at 2 * maxLength
])
def test_no_sentence_end_cuts_at_a_word_by_twice_max_length(written: str, value: str,
                                                            rewound: list[int]) -> None:
    s = FakeStepper([written, "1"])
    out = run(s, {"a": text_of(5), "n": enum(1, 2)})
    assert out.values == {"a": value, "n": 1}
    assert s.rewinds() == rewound
    assert s.text() == f'{{\n  "a": "{value}",\n  "n": 1'.encode()
    assert not s.script  # it stopped on the first character past 2 * maxLength


def test_under_max_length_is_untouched() -> None:
    s = FakeStepper(["Short. Fine.", '"', "1"])
    out = run(s, {"a": text_of(50), "n": enum(1, 2)})
    assert out.values == {"a": "Short. Fine.", "n": 1}
    assert s.rewinds() == []
    assert s.text() == b'{\n  "a": "Short. Fine.",\n  "n": 1'


def test_max_length_counts_characters_and_cuts_whole_utf8_bytes() -> None:
    # 'é' is two byte tokens; "Café ok." is 8 characters, 9 bytes.
    s = FakeStepper(["Café ok. Mo", "1"])
    out = run(s, {"a": text_of(10), "n": enum(1, 2)})
    assert out.values == {"a": "Café ok.", "n": 1}
    assert json.loads(out.text)["a"] == "Café ok."
    assert s.rewinds() == [2]  # " M" (the 'o' was never fed)
    assert s.text() == '{\n  "a": "Café ok.",\n  "n": 1'.encode()


@pytest.mark.parametrize(("value", "max_len", "expected"), [
    ("short", None, None),
    ("short", 5, None),
    ("One. Two. Three", 10, 9),
    ("One! Two? Three", 10, 9),
    ("Abcdefghij. Next", 5, 11),
    ("abc def", 5, None),  # over, but no sentence end and not yet twice as long
    ("v1.2 is out and", 5, 7),  # a '.' inside a word is no sentence end
])
def test_cut(value: str, max_len: int | None, expected: int | None) -> None:
    assert _cut(value, max_len) == expected


# -- integer enums -----------------------------------------------------------------------------

@pytest.mark.parametrize("seed", range(8))
def test_enum_only_gives_allowed_values_when_the_model_prefers_another(seed: int) -> None:
    s = FakeStepper([{ord("7"): BOOST}])
    out = run(s, {"n": enum(1, 2, 3)}, seed=seed)
    assert out.values["n"] in (1, 2, 3)
    assert s.text() == f'{{\n  "n": {out.values["n"]}'.encode()
    assert out.sampled_tokens == 1


@pytest.mark.parametrize("temperature", [0.4, 0.0])
def test_enum_takes_the_best_allowed_value(temperature: float) -> None:
    s = FakeStepper([{ord("7"): BOOST, ord("2"): BOOST / 2}])
    out = run(s, {"n": enum(1, 2, 3)}, temperature=temperature)
    assert out.values == {"n": 2}


def test_enum_values_come_out_across_seeds() -> None:
    seen = set()
    for seed in range(30):
        s = FakeStepper([{ord("7"): BOOST}])
        seen.add(run(s, {"n": enum(1, 2, 3)}, seed=seed).values["n"])
    assert seen == {1, 2, 3}  # sampled among the allowed, not stuck on one


@pytest.mark.parametrize(("script", "value", "sampled"), [
    (["1", "2"], 12, 2),
    (["1", ",\n"], 1, 2),  # the first token of ',\n' is the stop token
    (["1", "0"], 10, 2),
    (["9"], 9, 1),  # no longer value starts with 9: no stop token sampled
])
def test_multi_token_enum_values(script: list[str], value: int, sampled: int) -> None:
    enum_1_12 = enum(*range(1, 13))
    s = FakeStepper([*script, "x", '"'])
    out = run(s, {"n": enum_1_12, "a": STR})
    assert out.values == {"n": value, "a": "x"}
    assert out.sampled_tokens == sampled + 2
    # The stop token is not fed twice: the structure after the number is fed once.
    assert s.text() == f'{{\n  "n": {value},\n  "a": "x'.encode()


def test_enum_as_the_last_key_stops_on_the_first_token_of_the_closing_brace() -> None:
    s = FakeStepper(["1", {ord("\n"): BOOST, ord("2"): BOOST / 2}])
    out = run(s, {"n": enum(*range(1, 13))})
    assert out.values == {"n": 1}
    assert s.text() == b'{\n  "n": 1'


def test_enum_does_not_stop_before_a_value_is_complete() -> None:
    # Only 10 and 12 are allowed: the stop token (preferred) is no option after '1'.
    s = FakeStepper([COMMA_NL, {COMMA_NL: BOOST, ord("2"): BOOST / 2}, "x", '"'])
    out = run(s, {"n": enum(10, 12), "a": STR})
    assert out.values == {"n": 12, "a": "x"}
    assert s.text() == b'{\n  "n": 12,\n  "a": "x'


def test_enum_with_a_tokenizer_that_keeps_numbers_whole() -> None:
    extra = [*MULTI, b"12"]
    twelve = 256 + len(MULTI)
    s = FakeStepper([twelve, "1", "x", '"'], extra=extra)
    out = run(s, {"n": enum(1, 12), "m": enum(1, 12), "a": STR})
    assert out.values == {"n": 12, "m": 1, "a": "x"}
    assert out.sampled_tokens == 4  # one token per number: after '1' no other value goes on
    assert s.text() == b'{\n  "n": 12,\n  "m": 1,\n  "a": "x'


# -- budgets -----------------------------------------------------------------------------------

def test_max_tokens_gives_length_and_valid_json_with_fewer_keys() -> None:
    s = FakeStepper(["Hello world"])
    out = run(s, {"a": STR, "b": STR, "n": enum(1, 2)}, max_tokens=5)
    assert out.finish_reason == "length"
    assert out.values == {}  # "Hello" was cut off mid-value: left out, not half-written
    assert json.loads(out.text) == {}
    assert out.sampled_tokens == 5
    assert s.text() == b'{\n  "a": "Hello'


def test_max_tokens_running_out_before_an_enum_leaves_it_out() -> None:
    s = FakeStepper(["Hi", '",\n'])
    out = run(s, {"a": STR, "n": enum(1, 2)}, max_tokens=3)
    assert out.finish_reason == "length"
    assert out.values == {"a": "Hi"}
    assert len(s.seen) == 3


def test_deadline_from_the_injected_clock() -> None:
    s = FakeStepper(["Hello world"])
    # The clock moves one second per model step: past 3.5 after the fourth token.
    out = run(s, {"a": STR, "b": STR}, deadline=3.5, clock=lambda: float(len(s.seen)))
    assert out.finish_reason == "deadline"
    assert out.values == {}  # cut off mid-value
    assert out.sampled_tokens == 4
    assert s.text() == b'{\n  "a": "Hell'


def test_deadline_already_past_samples_nothing() -> None:
    s = FakeStepper([])
    out = run(s, {"n": enum(1, 2), "a": STR}, deadline=0.0, clock=lambda: 1.0)
    assert out.finish_reason == "deadline"
    assert out.values == {}
    assert json.loads(out.text) == {}
    assert out.sampled_tokens == 0 and not s.seen


def test_stop_within_the_budget_is_stop() -> None:
    s = FakeStepper(["Hi", '"'])
    out = run(s, {"a": STR}, max_tokens=3)
    assert out.finish_reason == "stop"
    assert out.values == {"a": "Hi"}


# -- supports ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("schema", "ok"), [
    ({"type": "object", "properties": {"a": STR}}, True),
    ({"type": "object", "properties": {"a": STR, "n": enum(1, 2), "b": text_of(9)}}, True),
    (None, False),
    ({}, False),
    ({"type": "object", "properties": {}}, False),
    ({"type": "object"}, False),
    ({"type": "array", "items": STR}, False),
    ({"type": "string"}, False),
    ({"type": "object", "properties": {"o": {"type": "object", "properties": {"a": STR}}}},
     False),
    ({"type": "object", "properties": {"a": STR, "l": {"type": "array", "items": STR}}},
     False),
    ({"type": "object", "properties": {"n": {"type": "integer"}}}, False),
    ({"type": "object", "properties": {"n": {"type": "integer", "enum": []}}}, False),
    ({"type": "object", "properties": {"x": {"type": "number", "enum": [1.5]}}}, False),
    ({"type": "object", "properties": {"b": {"type": "boolean"}}}, False),
])
def test_supports(schema: dict[str, Any] | None, ok: bool) -> None:
    assert supports(schema) is ok


# -- the sampler -------------------------------------------------------------------------------

def _logits(values: Sequence[float]) -> npt.NDArray[np.float32]:
    return np.asarray(values, dtype=np.float32)


def test_sampler_temperature_zero_is_argmax() -> None:
    sampler = _Sampler(Sampling(temperature=0))
    logits = _logits([0.1, 3.0, 2.9, -1.0, 2.0])
    assert [sampler.pick(logits) for _ in range(5)] == [1] * 5
    # Among the allowed tokens, and returned as a vocabulary id, not a position.
    assert sampler.pick(logits, [0, 3, 4]) == 4
    assert sampler.pick(logits, [3]) == 3


def test_sampler_with_a_seed_is_reproducible() -> None:
    flat = _logits([0.0] * 100)

    def draws(seed: int) -> list[int]:
        sampler = _Sampler(Sampling(temperature=1.0, seed=seed))
        return [sampler.pick(flat) for _ in range(50)]

    assert draws(7) == draws(7)
    assert draws(7) != draws(8)
    assert len(set(draws(7))) > 5  # really sampled, not argmax


def test_sampler_respects_allowed_at_temperature() -> None:
    logits = _logits([0.0] * 64)
    logits[5] = BOOST  # the model prefers a disallowed token
    allowed = [10, 20, 30]
    sampler = _Sampler(Sampling(temperature=0.8, seed=1))
    picks = {sampler.pick(logits, allowed) for _ in range(200)}
    assert picks == set(allowed)


def test_sampler_strong_preference_is_deterministic_at_default_temperature() -> None:
    logits = _logits([0.0] * VOCAB_SIZE)
    logits[42] = BOOST
    sampler = _Sampler(Sampling(seed=None))
    assert {sampler.pick(logits) for _ in range(100)} == {42}


@pytest.mark.parametrize(("sampling", "expected"), [
    (Sampling(temperature=1.0, top_k=40, top_p=1.0, min_p=0.0, seed=3), set(range(10))),
    (Sampling(temperature=1.0, top_k=2, top_p=1.0, min_p=0.0, seed=3), {8, 9}),
    (Sampling(temperature=1.0, top_k=40, top_p=0.5, min_p=0.0, seed=3), {9}),
    (Sampling(temperature=1.0, top_k=40, top_p=1.0, min_p=0.3, seed=3), {8, 9}),
    (Sampling(temperature=1.0, top_k=40, top_p=1.0, min_p=0.5, seed=3), {9}),
])
def test_sampler_top_k_top_p_min_p(sampling: Sampling, expected: set[int]) -> None:
    # p(9) is about 0.66, p(8) about 0.24, and each of the other eight about 0.012.
    logits = _logits([0.0] * 8 + [3.0, 4.0])
    sampler = _Sampler(sampling)
    assert {sampler.pick(logits) for _ in range(1000)} == expected


# ---- regressions found while writing these tests --------------------------------------------


def test_budget_spent_exactly_on_a_string_adds_no_fabricated_empty_value() -> None:
    s = FakeStepper(["Hi", '",\n'])
    out = run(s, {"a": STR, "b": STR}, max_tokens=3)
    assert out.finish_reason == "length"
    assert out.values == {"a": "Hi"}


def test_deadline_before_a_string_adds_no_fabricated_empty_value() -> None:
    s = FakeStepper([])
    out = run(s, {"a": STR, "n": enum(1, 2)}, deadline=0.0, clock=lambda: 1.0)
    assert out.values == {}


def test_a_decimal_point_past_max_length_is_not_a_sentence_end() -> None:
    s = FakeStepper(["The rate was 0.05 today. More", "1"])
    out = run(s, {"a": text_of(12), "n": enum(1, 2)})
    assert out.values["a"] == "The rate was 0.05 today."


@pytest.mark.parametrize(("value", "limit", "cut"), [
    ("I read Dr. Li's post and e.g. this part. Then more that runs on", 30, 40),
    ("J. Smith wrote it. More words", 10, 18),
    ("It works. Yes it does", 5, 9),
])
def test_titles_initials_and_abbreviations_are_not_sentence_ends(
        value: str, limit: int, cut: int) -> None:
    assert _cut(value, limit) == cut
