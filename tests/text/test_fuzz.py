"""Property-based tests: the splitter, converter and recognisers never crash, hang or lose text."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ai_toolbox.errors import InvalidInput, TooLarge
from ai_toolbox.text.convert import convert, fold
from ai_toolbox.text.detect import detect_language
from ai_toolbox.text.pii import detect_pii, pseudonymise, redact, restore
from ai_toolbox.text.segment import split_sentences, tokenize

# Text drawn from the characters that matter here: CJK, ASCII, punctuation, digits, emoji.
ALPHABET = st.sampled_from(list("头发發展港島綫核心。！？…「」（）.!?\"' \n\t0123456789AHKab@-+()/:") +
                           ["😀", "\u200d", "\u3000", "\ue000", "é"])
TEXT = st.text(alphabet=ALPHABET, max_size=200) | st.text(max_size=100).filter(
    lambda t: not any(0xD800 <= ord(c) <= 0xDFFF for c in t))
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(TEXT)
def test_sentences_cover_the_text_in_order(text):
    sents = split_sentences(text)
    pos = 0
    for s in sents:
        assert text[s.start:s.end] == s.text and s.text.strip() == s.text and s.text
        assert s.start >= pos
        pos = s.end
    assert "".join(text.split()) == "".join("".join(s.text for s in sents).split())


@FAST
@given(TEXT, st.sampled_from(["s2hk", "hk2s", "s2t", "t2s", "s2twp", "tw2sp", "hk2t"]))
def test_conversion_keeps_protected_and_non_chinese_text(text, config):
    out = convert(text, config)
    assert isinstance(out, str)
    # Characters outside the CJK blocks (ideographs, radicals, compatibility forms) pass through
    # unchanged and in order.
    def other(t):
        return [c for c in t if not ("\u2e80" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" or c >= "\U00020000")]

    assert other(out) == other(text)


@FAST
@given(TEXT)
def test_detection_and_tokens_never_fail(text):
    r = detect_language(text, per_sentence=True)
    assert 0.0 <= r.confidence <= 1.0
    assert all(t.strip() for t in tokenize(text))
    assert fold(text) is not None


@FAST
@given(st.text(alphabet=st.sampled_from(list("0123456789 -()+AHKMXZ陳先生身份證電話@.ab")), max_size=80))
def test_recognisers_return_valid_spans_and_restore_round_trips(text):
    spans = detect_pii(text)
    for s in spans:
        assert 0 <= s.start < s.end <= len(text) and text[s.start:s.end] == s.text
    for a, b in zip(spans, spans[1:], strict=False):
        assert a.end <= b.start
    masked, mapping = pseudonymise(text)
    if "<" not in text:
        assert restore(masked, mapping) == text
    for op in ("tag", "mask", "hash", "remove"):
        assert isinstance(redact(text, op, spans=spans).text, str)


def test_surrogates_are_refused_clearly():
    with pytest.raises(InvalidInput):
        convert("\ud83d头发", "s2hk")


def test_emoji_and_surrogate_pairs_survive():
    assert convert("头发😀👨‍👩‍👧", "s2hk") == "頭髮😀👨‍👩‍👧"
    assert split_sentences("好的😀。再見！")[0].text == "好的😀。"


def test_fifty_megabytes_is_refused_quickly_by_the_tools(officer):
    from ai_toolbox.text import service

    big = "头发" * (25 * 1024 * 1024)
    with pytest.raises(TooLarge):
        service.convert_text(officer, service.ConvertRequest(text=big))
    with pytest.raises(TooLarge):
        service.redact_text(officer, service.RedactRequest(text=big))


@pytest.mark.slow
def test_large_text_is_converted_and_scanned_in_linear_time():
    import time

    text = ("港岛线的头发 chan@example.com 与 https://例子.香港/头发 A123456(3)。\n" * 20000)
    t0 = time.perf_counter()
    out = convert(text, "s2hk")
    spans = detect_pii(text[:200_000])
    assert out.count("港島綫") == 20000 and spans
    assert time.perf_counter() - t0 < 30


def test_binary_garbage_is_handled():
    garbage = bytes(range(256)).decode("latin-1") * 10
    assert isinstance(convert(garbage, "s2hk"), str)
    assert isinstance(detect_pii(garbage), list)
    assert detect_language(garbage).language in ("unknown", "en", "mixed")
