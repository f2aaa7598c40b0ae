"""chrF and `ai-toolbox eval translate`: the metric, the plumbing (through a scripted model server
standing in for a model) and the errors a user can make."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ai_toolbox.cli import app
from ai_toolbox.documents.chrf import corpus_chrf, sentence_chrf, statistics
from ai_toolbox.errors import InvalidInput, ModelUnavailable, NotFound

# Parallel English / Simplified Chinese passages from XQuAD (see tests/fixtures/assistant/README.md).
XQUAD = Path(__file__).parent.parent / "fixtures" / "assistant"
EN = XQUAD / "xquad_slice_en_passages.jsonl"
ZH = XQUAD / "xquad_slice_zh_passages.jsonl"


def _passages(path: Path) -> dict[str, str]:
    return {r["id"]: r["text"] for r in map(json.loads, path.read_text("utf-8").splitlines())}


def test_chrf_matches_the_published_example():
    # sacreBLEU's documented chrF example (character 6-grams, beta 2, whitespace ignored): 61.576...
    hyp = "The relationship between Obama and Netanyahu is not exactly friendly."
    ref = "The ties between Obama and Netanyahu are not particularly friendly."
    assert sentence_chrf(hyp, ref) == pytest.approx(61.5764, abs=1e-4)


def test_chrf_bounds_whitespace_and_recall_weight():
    assert sentence_chrf("黑豹队的防守", "黑豹队的防守") == 100.0
    assert sentence_chrf("黑 豹 队", "黑豹队") == 100.0  # whitespace is not scored
    assert sentence_chrf("abc", "xyz") == 0.0
    assert sentence_chrf("", "黑豹队") == 0.0
    # beta = 2: missing half of the reference costs more than adding as much noise.
    ref = "黑豹队的防守只丢了三百分"
    assert sentence_chrf("黑豹队的防守", ref) < sentence_chrf(ref + "多了几个字", ref)
    assert statistics("ab", "abab", order=2) == [(2, 4, 2), (1, 3, 1)]


def test_corpus_chrf_pools_counts_so_long_passages_weigh_more():
    long_ref = "卡罗莱纳的第二防线有职业碗安全卫科特·科尔曼和职业碗角卫约什·诺曼"
    hyps, refs = [long_ref, "甲"], [long_ref, "乙"]
    pooled = corpus_chrf(hyps, refs)
    mean = (sentence_chrf(hyps[0], refs[0]) + sentence_chrf(hyps[1], refs[1])) / 2
    assert mean == pytest.approx(50.0) and pooled > 90
    with pytest.raises(ValueError):
        corpus_chrf(["a"], ["a", "b"])


@pytest.fixture
def scripted_translator(monkeypatch):
    """The `openai` backend pointed at a scripted server that answers with the reference translation of
    the passage in the prompt (or what a test sets in `answers`)."""
    from tests.documents.conftest import scripted_model_server

    en, zh = _passages(EN), _passages(ZH)
    table = {en[k]: zh[k] for k in en} | {zh[k]: en[k] for k in zh}

    def reply(body):
        prompt = body["messages"][-1]["content"]
        for source, reference in table.items():
            if source in prompt:
                return 200, server.answers(prompt, reference)
        return 200, "?"

    with scripted_model_server(monkeypatch, reply) as server:
        server.answers = lambda prompt, reference: reference
        yield server


def _run(*args):
    return CliRunner().invoke(app, ["eval", "translate", *map(str, args)])


@pytest.mark.parametrize(("source", "target", "direction"),
                         [(EN, ZH, ("en", "zh-Hans")), (ZH, EN, ("zh-Hans", "en"))])
def test_eval_translates_each_pair_and_scores_it(storage, scripted_translator, tmp_path, source, target, direction):
    out = tmp_path / "translations.jsonl"
    r = _run("--source", source, "--target", target, "--limit", 3, "--out", out, "--json")
    assert r.exit_code == 0, r.output
    report = json.loads(r.stdout.strip().splitlines()[-1])
    assert (report["source_language"], report["target_language"]) == direction
    assert report["n"] == 3 and report["chrf"] == 100.0 and report["model"] == "scripted"
    assert len(scripted_translator.requests) == 3
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [row["id"] for row in rows] == list(_passages(source))[:3] and all(row["chrf"] == 100.0 for row in rows)


def test_eval_scores_a_poor_translation_low(storage, scripted_translator):
    scripted_translator.answers = lambda prompt, reference: reference[: len(reference) // 4]
    r = _run("--source", EN, "--target", ZH, "--limit", 2, "--json")
    report = json.loads(r.stdout.strip().splitlines()[-1])
    assert 5 < report["chrf"] < 60


def test_eval_enforces_the_glossary_with_one_retry(storage, scripted_translator, tmp_path):
    glossary = tmp_path / "glossary.csv"
    glossary.write_text("source,target\nPanthers,卡罗来纳黑豹\n", "utf-8")
    # The first answer leaves the term out; the retry, which names the omission, uses it.
    scripted_translator.answers = lambda prompt, reference: (
        "卡罗来纳黑豹" + reference if "left out" in prompt else reference.replace("黑豹", "豹"))
    r = _run("--source", EN, "--target", ZH, "--limit", 1, "--glossary", glossary, "--json")
    report = json.loads(r.stdout.strip().splitlines()[-1])
    prompts = [q["messages"][-1]["content"] for q in scripted_translator.requests]
    assert len(prompts) == 2 and "“Panthers” as “卡罗来纳黑豹”" in prompts[0] and "left out: Panthers" in prompts[1]
    assert report["glossary_missing"] == 0
    # A model that never uses the term is reported, not hidden.
    scripted_translator.answers = lambda prompt, reference: reference.replace("黑豹", "豹")
    r = _run("--source", EN, "--target", ZH, "--limit", 1, "--glossary", glossary, "--json")
    assert json.loads(r.stdout.strip().splitlines()[-1])["glossary_missing"] == 1


def test_eval_errors_say_what_is_wrong(storage, tmp_path):
    assert isinstance(_run("--source", tmp_path / "nope.jsonl", "--target", ZH).exception, NotFound)
    other = tmp_path / "other.jsonl"
    other.write_text(json.dumps({"id": "elsewhere", "text": "Hello there."}) + "\n", "utf-8")
    assert isinstance(_run("--source", EN, "--target", other).exception, InvalidInput)
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "x"}\n', "utf-8")
    assert isinstance(_run("--source", broken, "--target", ZH).exception, InvalidInput)
    # No model configured: translation cannot be measured, and it says so instead of scoring nothing.
    none = _run("--source", EN, "--target", ZH, "--limit", 1)
    assert isinstance(none.exception, ModelUnavailable) and "--backend llamacpp" in none.exception.hint
    assert isinstance(_run("--source", EN, "--target", ZH, "--backend", "babelfish").exception, InvalidInput)
