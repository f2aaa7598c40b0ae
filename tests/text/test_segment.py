import pytest

from ai_toolbox.text.segment import normalise_width, split_sentences, to_fullwidth, tokenize


def texts(text):
    sents = split_sentences(text)
    for s in sents:
        assert text[s.start:s.end] == s.text
    return [s.text for s in sents]


@pytest.mark.parametrize(("text", "expected"), [
    ("The grant is HK$1.5 million. See Cap. 486 for details.",
     ["The grant is HK$1.5 million.", "See Cap. 486 for details."]),
    ("It is No. 12 on the list, e.g. the third. Mr. Chan agreed.",
     ["It is No. 12 on the list, e.g. the third.", "Mr. Chan agreed."]),
    ("Steps:\n1. Apply online.\n2. Wait for the reply.", ["Steps:", "1. Apply online.", "2. Wait for the reply."]),
    ("He said \"Stop.\" Then he left (quickly.) Done!", ['He said "Stop."', "Then he left (quickly.)", "Done!"]),
    ("Then... we wait. Fine.", ["Then... we wait.", "Fine."]),
    ("他說：「我們走吧。」大家都很驚訝！真的嗎？", ["他說：「我們走吧。」", "大家都很驚訝！", "真的嗎？"]),
    ("（一）申请人须填写表格。（二）提交文件。", ["（一）申请人须填写表格。", "（二）提交文件。"]),
    ("", []),
])
def test_split_sentences(text, expected):
    assert texts(text) == expected


def test_tokenize_uses_hong_kong_dictionary_on_folded_text():
    toks = tokenize("我住在深水埗，去入境事務處辦理身份證。Hello World")
    assert "深水埗" in toks and "入境事务处" in toks and "hello" in toks
    assert tokenize("入境事务处") == tokenize("入境事務處")


def test_width_normalisation():
    assert normalise_width("ＡＢＣ１２３，　x") == "ABC123， x"
    assert normalise_width("（１）", keep_cjk_punctuation=False) == "(1)"
    assert to_fullwidth("A1") == "Ａ１"
