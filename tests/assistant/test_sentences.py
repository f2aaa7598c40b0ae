from ai_toolbox.assistant.sentences import best_sentences, candidates

PASSAGE = ("昭和四十九年10月，文藝春秋刊出田中角榮的金脈問題，引來國會的追究。田中在同年十一月宣布辭職。"
           "三木武夫於十二月出任首相。")


def test_a_sentence_that_refers_back_is_quoted_with_the_sentence_before():
    cands = candidates(PASSAGE, 0)
    assert [c.sentence for c in cands] == [
        "昭和四十九年10月，文藝春秋刊出田中角榮的金脈問題，引來國會的追究。", "田中在同年十一月宣布辭職。",
        "三木武夫於十二月出任首相。"]
    first, second, third = cands
    assert first.text == first.sentence and not first.core  # nothing to lean on
    assert second.text == first.sentence + second.sentence  # 同年: the year is in the sentence before
    assert third.text == third.sentence  # names its own subject and time
    for c in cands:
        assert PASSAGE[c.start:c.end] == c.text


def test_english_openings_that_refer_back():
    text = "The office opened in 1998. It moved to Wan Chai in 2004. Opening hours are 9 to 5."
    cands = candidates(text, 0)
    assert cands[1].text == "The office opened in 1998. It moved to Wan Chai in 2004."
    assert cands[1].sentence == "It moved to Wan Chai in 2004."
    assert cands[2].text == "Opening hours are 9 to 5."  # "Opening" is not "it"


def test_the_answer_carries_the_year_its_sentence_refers_to():
    best = best_sentences("田中角榮在哪一年宣布辭職？", [PASSAGE])
    assert "昭和四十九年" in best[0][0].text and best[0][0].sentence == "田中在同年十一月宣布辭職。"


def test_units_stay_short():
    second = "他在同年" + "乙" * 150 + "。"
    cands = candidates("甲" * 189 + "。" + second, 0)
    assert cands[1].text == second  # joined, the two would exceed the unit limit


def test_an_answer_does_not_quote_a_sentence_twice():
    from ai_toolbox.assistant.answer import _without_overlaps

    first, second, third = candidates(PASSAGE, 0)
    kept = _without_overlaps([(second, 2.0), (first, 1.9), (third, 1.8)])
    assert [c for c, _ in kept] == [second, third]  # `first` is inside `second`'s quote
    other = candidates(PASSAGE, 1)[0]
    assert len(_without_overlaps([(first, 1.0), (other, 0.9)])) == 2  # same offsets, another passage
