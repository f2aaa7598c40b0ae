"""Dictionary translation of question words (CC-CEDICT) for the cross-lingual BM25 channel."""

from __future__ import annotations

import numpy as np
import pytest

from ai_toolbox.assistant import crossling
from ai_toolbox.assistant.index import LocalIndex, Passage
from ai_toolbox.assistant.retrieve import _translated_scores
from ai_toolbox.assistant.textutil import tokenize

ZH = ["續期費用為港幣1,200元，可以支票繳付。", "辦事處星期一至五上午九時至下午五時開放。",
      "停車場設於大樓地庫，設有二百個車位。"]
EN = ["The renewal fee is HK$1,200 and can be paid by cheque.", "The office opens from 9 am to 5 pm on weekdays.",
      "The car park in the basement has two hundred parking spaces."]


def _index(tmp_path, texts):
    passages = [Passage(id=str(i), text=t) for i, t in enumerate(texts)]
    tokens = [tokenize(t) for t in texts]
    return LocalIndex.write(tmp_path / "ix", passages, np.zeros((len(texts), 4), np.float32), tokens)


def test_the_dictionary_ships_in_a_package():
    assert crossling.available()


def test_english_words_become_chinese_search_tokens():
    out = crossling.to_chinese(tokenize("Which team won the renewal fee in 2016?"))
    assert "队" in out and "费" in out and "2016" in out
    assert not {"the", "which"} & set(out)


def test_chinese_words_become_english_tokens_the_index_knows():
    known = {"cost", "costs", "fee", "fees", "renew", "renewal"}
    out = crossling.to_english(tokenize("續期費用"), known.__contains__)
    assert "cost" in out or "fee" in out
    assert set(out) - {"renew", "continue", "period", "cost", "expenditure"} <= known | {"renewal"}


@pytest.mark.parametrize("question, texts, expect", [
    ("How much is the renewal fee?", ZH, "0"),
    ("When does the office open?", ZH, "1"),
    ("續期費用是多少？", EN, "0"),
    ("停車場有多少車位？", EN, "2"),
])
def test_translated_question_finds_the_passage_in_the_other_language(tmp_path, question, texts, expect):
    index = _index(tmp_path, texts)
    scores = _translated_scores(index, tokenize(question))
    assert scores is not None
    assert index.passages[int(np.argmax(scores))].id == expect
