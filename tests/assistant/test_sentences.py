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
    other = candidates("三木武夫於十二月出任首相，組成新內閣。", 1)[0]
    assert len(_without_overlaps([(first, 1.0), (other, 0.9)])) == 2  # same offsets, another passage


def test_the_sentence_that_fills_the_question_word_wins_over_one_that_restates_the_subject():
    from ai_toolbox.assistant.sentences import SentenceWeights

    passage = ("化隆回族自治縣是青海省海東市下轄的一個自治縣，位於青海東部。"
               "1954年建立化隆回族自治區，1955年改稱化隆回族自治縣。境內以山地為主。"
               "全縣人口約二十五萬，以回族為主。縣政府駐巴燕鎮。")
    question = "化隆回族自治縣內以哪一種地形為主？"
    assert best_sentences(question, [passage])[0][0].text == "境內以山地為主。"
    # Without the question-word alignment the sentence naming the county wins: the test can fail.
    unaligned = best_sentences(question, [passage], weights=SentenceWeights(slot=0.0))
    assert unaligned[0][0].text != "境內以山地為主。"


def test_a_which_year_question_prefers_a_sentence_with_a_year():
    from ai_toolbox.assistant.sentences import SentenceWeights

    passage = ("李成桂率軍進攻遼東，大軍行至威化島。1388年，李成桂奉命出征遼東。"
               "其後李成桂建立朝鮮王朝，定都漢城。")
    question = "李成桂在哪一年奉命率軍進攻遼東？"
    assert best_sentences(question, [passage])[0][0].text.startswith("1388年")
    # Without the time cue the sentence sharing more words wins: the test can fail.
    assert not best_sentences(question, [passage], weights=SentenceWeights(time=0.0))[0][0].text.startswith("1388")


def test_a_sentence_without_a_subject_is_quoted_with_the_one_that_names_it():
    text = "卡爾梅克共和國是俄羅斯聯邦主體之一。是歐洲大陸唯一以佛教為主的地區。首府埃利斯塔。"
    cands = candidates(text, 0)
    assert cands[1].text == "卡爾梅克共和國是俄羅斯聯邦主體之一。是歐洲大陸唯一以佛教為主的地區。"
    best = best_sentences("歐洲大陸唯一以佛教為主的地區位在何處？", [text])
    assert "卡爾梅克共和國" in best[0][0].text
    later = candidates("杜林位於義大利北部。1563年，它成為了薩伏依公國的首都。", 0)
    assert later[1].text.startswith("杜林")  # the pronoun after a leading time phrase


def test_a_chain_of_sentences_leaning_back_is_quoted_whole_while_short():
    text = ("1989年，東德各地爆發示威。此後為了平息遊行，統一社會黨罷免了昂內克。"
            "同年11月9日，柏林圍牆倒塌。")
    cands = candidates(text, 0)
    assert cands[2].sentence == "同年11月9日，柏林圍牆倒塌。"
    assert cands[2].text == text  # 同年 leans on 此後…, which leans on the sentence with the year
    assert "1989" in best_sentences("柏林圍牆在哪一年倒塌？", [text])[0][0].text
    then, same_year = "此後" + "乙" * 88 + "。", "同年" + "丙" * 18 + "。"
    cands = candidates("甲" * 198 + "。" + then + same_year, 0)
    assert cands[1].text.startswith("甲") and cands[1].sentence == then
    assert cands[2].text == then + same_year  # with the first sentence the quote would pass 300


def test_a_close_second_passage_can_answer_but_one_far_behind_pays_for_the_gap():
    first = "北元後主正式去大元國號。元朝疆域廣大。"
    second = "1388年元天元帝被也速迭爾殺害，北元不再使用年號及大元國號，北元亡。明朝隨後統一中國。"
    question = "北元在哪一年正式亡國？"
    close = best_sentences(question, [first, second], passage_scores=[5.16, 5.04])[0][0]
    assert close.passage_rank == 1 and "1388年" in close.text
    far = best_sentences(question, [first, second], passage_scores=[9.0, 4.0])[0][0]
    assert far.passage_rank == 0


def test_a_why_question_prefers_a_sentence_that_gives_a_cause():
    from ai_toolbox.assistant.sentences import SentenceWeights

    passage = "池田內閣在1964年宣布辭職。由於池田勇人患上喉癌，內閣無法繼續。"
    question = "池田勇人的內閣為什麼辭職？"
    assert best_sentences(question, [passage])[0][0].text.startswith("由於")
    assert not best_sentences(question, [passage], weights=SentenceWeights(cause=0.0))[0][0].text.startswith("由於")


def test_an_english_sentence_is_cut_only_past_twice_the_chinese_limit():
    words = "The licensing office, which moved to Wan Chai in 2004 after the old building closed, "
    long_english = words * 3 + "now opens from nine to five on weekdays."  # about 300 characters
    assert 200 < len(long_english) <= 400
    assert [c.text for c in candidates(long_english, 0)] == [long_english]  # one whole sentence
    long_chinese = "牌照事務處，" * 40 + "逢星期一至五辦公。"  # past 200 Chinese characters
    assert len(candidates(long_chinese, 0)) > 1  # cut at its commas
    longer = words * 6 + "now opens from nine to five on weekdays."  # one sentence of about 550
    cands = candidates(longer, 0)
    assert len(cands) > 1 and all(len(c.text) <= 400 for c in cands)  # cut at its commas too


def test_a_sentence_that_only_repeats_the_question_cannot_answer_it():
    from ai_toolbox.assistant.sentences import SentenceWeights

    passage = ("1767年，西班牙將在巴拉圭的耶穌會成員驅逐出境。"
               "歐洲各國對耶穌會傳教的態度不一，西班牙認為耶穌會妨礙殖民統治。")
    question = "「1767年，西班牙將在巴拉圭的耶穌會成員驅逐出境」的原因為何？"
    assert "妨礙殖民" in best_sentences(question, [passage])[0][0].text
    # Without the rule the quoted premise, which shares every word, wins: the test can fail.
    assert best_sentences(question, [passage], weights=SentenceWeights(novelty=0.0))[0][0].text.startswith("1767")


def test_a_when_answer_without_a_year_is_quoted_from_the_sentence_that_gives_it():
    passage = ("海軍部長辭職後，內閣改組。1857年3月，英國內閣通過增兵遠東的提案。"
               "4月20日，巴麥尊任命額爾金為全權專使，率使團來華。")
    best = best_sentences("巴麥尊在哪一年任命額爾金為全權專使？", [passage])[0][0]
    assert best.text == "1857年3月，英國內閣通過增兵遠東的提案。4月20日，巴麥尊任命額爾金為全權專使，率使團來華。"
    assert best.sentence.startswith("4月20日") and passage[best.start:best.end] == best.text
    # A question that does not ask for a time gets the sentence alone.
    assert best_sentences("巴麥尊任命誰為全權專使？", [passage])[0][0].text.startswith("4月20日")


def test_an_answer_does_not_say_the_same_thing_twice_from_two_sources():
    from ai_toolbox.assistant.answer import _without_overlaps

    notice = candidates("Fees are reviewed each year. The renewal fee stays at HK$1,250 for one year.", 0)[1]
    faq = candidates("The renewal fee is HK$1,250 for one year. Bring your licence number.", 1)
    kept = _without_overlaps([(notice, 2.0), (faq[0], 1.9), (faq[1], 1.8)])
    assert [c.text for c, _ in kept] == [notice.text, faq[1].text]  # the FAQ's restatement is left out
