import pytest

from ai_toolbox.errors import InvalidInput
from ai_toolbox.text.convert import CONFIGS, convert, fold, raw, to_script
from ai_toolbox.text.glossary import Glossary, Term, read_csv


def test_every_standard_config_is_available():
    for cfg in ("s2t", "t2s", "s2hk", "hk2s", "s2tw", "tw2s", "s2twp", "tw2sp", "t2hk", "hk2t"):
        assert cfg in CONFIGS


@pytest.mark.parametrize(("text", "config", "expected"), [
    ("核心", "s2t", "核心"),
    ("才智", "s2hk", "才智"),
    ("抬头", "s2hk", "抬頭"),
    ("港岛线", "s2t", "港島綫"),  # OpenCC s2t alone gives 港島線
    ("港岛线", "s2hk", "港島綫"),
    ("港島綫", "hk2s", "港岛线"),
    ("头发", "s2hk", "頭髮"),
])
def test_known_opencc_slips_and_hong_kong_names(text, config, expected):
    assert convert(text, config) == expected


def test_builtin_glossary_has_priority_over_opencc():
    assert raw("港岛线", "s2t") == "港島線"
    assert convert("港岛线", "s2t") == "港島綫"
    assert convert("港岛线", "s2t", glossary=False) == "港島線"


def test_department_glossary_longest_match_wins():
    g = Glossary.merged(Glossary.builtin(), Glossary.of([Term(zh_hans="信息", zh_hant="資訊"),
                                                          Term(zh_hans="信息科技", zh_hant="資訊科技")]))
    assert convert("信息科技和信息", "s2hk", g) == "資訊科技和資訊"


def test_protected_spans_are_untouched():
    text = "详见 https://zh.wikipedia.org/wiki/香港岛 或电邮 李@example.com，联络李志强"
    out = convert(text, "s2hk", protect=["李志强"])
    assert "https://zh.wikipedia.org/wiki/香港岛" in out
    assert "李@example.com" in out and "李志强" in out
    assert out.startswith("詳見")


def test_protected_glossary_term_keeps_source_form():
    g = read_csv("en,zh_hant,zh_hans,protect\nSun Yat-sen,,中山,yes\n")
    assert convert("中山大学", "s2hk", g) == "中山大學"


def test_nul_and_private_use_characters_survive():
    assert convert("a\x00头发", "s2hk") == "a\x00頭髮"
    assert convert("\ue000头发港岛线", "s2hk") == "\ue000頭髮港島綫"


def test_surrogates_are_a_clear_error():
    with pytest.raises(InvalidInput):
        convert("头\ud800发", "s2hk")


def test_unknown_config_is_a_clear_error():
    with pytest.raises(InvalidInput, match="Unknown conversion"):
        convert("x", "s2xx")


@pytest.mark.parametrize(("target", "expected"), [("zh-Hant", "頭髮"), ("zh-Hans", "头发"), ("en", "头发")])
def test_to_script(target, expected):
    assert to_script("头发", target) == expected


def test_fold_to_simplified():
    assert fold("頭髮與發展") == "头发与发展"
    assert fold("") == ""
