import pytest

from ai_toolbox.text.detect import detect_language


@pytest.mark.parametrize(("text", "language"), [
    ("香港特別行政區政府今日公布新措施。", "zh-Hant"),
    ("香港特别行政区政府今日公布新措施。", "zh-Hans"),
    ("The Government announced new measures today.", "en"),
    ("這個 project 的 deadline 是下星期五，請大家盡快完成 report 和 budget", "zh-Hant"),
    ("Please submit the form by Friday at the latest. 請於星期五前遞交表格。", "mixed"),
    ("DECnet协议完全由Digital Equipment Corporation设计。", "mixed"),
    ("こんにちは、世界。ありがとうございます。", "unknown"),
    ("12345 67890", "unknown"),
    ("", "unknown"),
])
def test_detects_language_and_script(text, language):
    r = detect_language(text)
    assert r.language == language
    assert 0.0 <= r.confidence <= 1.0


def test_confidence_grows_with_evidence():
    short = detect_language("頭髮")
    long = detect_language("頭髮與發展對經濟學說的影響，還有關於這個問題的討論。")
    assert long.confidence > short.confidence


def test_per_sentence_languages():
    r = detect_language("This is English. 這是繁體中文的句子。这是简体中文的句子。", per_sentence=True)
    assert [s.language for s in r.sentences] == ["en", "zh-Hant", "zh-Hans"]
