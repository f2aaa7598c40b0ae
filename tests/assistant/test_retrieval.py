import json

import pytest

from ai_toolbox.assistant.embed import get_embedder
from ai_toolbox.assistant.retrieve import search
from ai_toolbox.assistant.textutil import fold, to_script, tokenize


def _questions(fixtures_dir, name):
    return [json.loads(line) for line in open(fixtures_dir / name, encoding="utf-8")]


def _recall_at(index, questions, k, convert=None):
    found = 0
    for q in questions:
        text = convert(q["question"]) if convert else q["question"]
        ids = [h.passage.id for h in search(index, get_embedder(), text, k=k).hits]
        found += q["passage_id"] in ids
    return found / len(questions)


def test_tokens_match_across_scripts():
    assert tokenize("牌照續期的費用") == tokenize("牌照续期的费用")
    assert fold("續期") == "续期"


@pytest.mark.slow
@pytest.mark.parametrize("script", ["zh-Hant", "zh-Hans"])
def test_drcd_questions_find_their_passage_in_either_script(build_index, fixtures_dir, script):
    index = build_index("drcd_slice_passages.jsonl")
    questions = _questions(fixtures_dir, "drcd_slice.jsonl")
    assert _recall_at(index, questions, 1, convert=lambda t: to_script(t, script)) >= 0.85


@pytest.mark.slow
@pytest.mark.parametrize("q_lang,p_lang", [("en", "zh"), ("zh", "en")])
def test_cross_lingual_questions_find_their_passage(build_index, fixtures_dir, q_lang, p_lang):
    index = build_index(f"xquad_slice_{p_lang}_passages.jsonl")
    questions = _questions(fixtures_dir, f"xquad_slice_{q_lang}.jsonl")
    assert _recall_at(index, questions, 5) >= 0.85


def test_unrelated_question_has_low_confidence(build_index):
    index = build_index("drcd_slice_passages.jsonl")
    related = search(index, get_embedder(), "梵語的學術研究由哪國學者開創？")
    unrelated = search(index, get_embedder(), "How do I reset my online banking password?")
    assert related.confidence > unrelated.confidence


def test_answer_sentences_reuse_the_index_sentence_vectors(build_index):
    from ai_toolbox.assistant.sentences import answer_sentences

    index = build_index("drcd_slice_passages.jsonl")
    question = "梵語的學術研究由哪國學者開創？"
    r = search(index, get_embedder(), question)
    embedded: list[str] = []

    class Counting:
        def embed_passages(self, texts):
            embedded.extend(texts)
            return get_embedder().embed_passages(texts)

    known = index.known_sentence_vectors([h.passage for h in r.hits[:3]])
    assert known  # the stored sentences of the top passages are found by text
    best = answer_sentences(question, index, r.hits, Counting(), r.query_vector)
    assert best and not set(embedded) & set(known)  # no stored sentence embedded again
