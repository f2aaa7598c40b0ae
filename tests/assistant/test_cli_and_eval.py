import json
import subprocess
import sys
from pathlib import Path

import pytest


def _cli(*args, env_dir):
    import os

    env = {**os.environ, "AITB_DATA_DIR": str(env_dir)}
    exe = str(Path(sys.executable).parent / "ai-toolbox")
    return subprocess.run([exe, *args], capture_output=True, text=True, env=env, timeout=600)


@pytest.mark.slow
def test_eval_qa_json_contract(fixtures_dir, data_dir):
    r = _cli("eval", "qa", "--questions", str(fixtures_dir / "xquad_slice_en.jsonl"),
             "--passages", str(fixtures_dir / "xquad_slice_en_passages.jsonl"), "--json", env_dir=data_dir)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert set(out) >= {"n", "recall@1", "recall@5", "mrr", "sentence_hit", "p50_ms", "p95_ms"}
    assert out["n"] == 20 and out["recall@1"] >= 0.8 and out["sentence_hit"] >= 0.5


def test_eval_triage_on_the_labelled_set(fixtures_dir):
    from ai_toolbox.assistant.triage import evaluate

    out = evaluate(fixtures_dir / "triage_train.csv", fixtures_dir / "triage_test.csv")
    assert out["n"] == 24
    assert out["accuracy"] >= 0.75


@pytest.mark.slow
def test_kb_commands_end_to_end(tmp_path, data_dir):
    from .conftest import LICENSING_MD

    md = tmp_path / "licensing.md"
    md.write_text(LICENSING_MD, "utf-8")
    assert _cli("kb", "create", "licensing", env_dir=data_dir).returncode == 0
    r = _cli("kb", "add", "licensing", str(md), env_dir=data_dir)
    assert r.returncode == 0, r.stderr
    r = _cli("ask", "--kb", "licensing", "續期費用是多少？", "--json", env_dir=data_dir)
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert "1,200" in out["answer"] and out["language"] == "zh-Hant" and out["citations"]
    r = _cli("ask", "--kb", "nope", "fee?", env_dir=data_dir)
    assert r.returncode == 2 and "No knowledge base" in r.stderr
    assert _cli("kb", "delete", "licensing", env_dir=data_dir).returncode == 0
    assert "licensing" not in _cli("kb", "list", env_dir=data_dir).stdout


def test_eval_qa_rejects_an_unknown_question_script(fixtures_dir):
    from ai_toolbox.assistant.evaluate import eval_qa
    from ai_toolbox.errors import InvalidInput

    with pytest.raises(InvalidInput, match="zh-Hans or zh-Hant"):
        eval_qa(fixtures_dir / "drcd_slice.jsonl", [fixtures_dir / "drcd_slice_passages.jsonl"], question_script="ja")


@pytest.mark.slow
def test_simplified_questions_over_a_traditional_base_score_like_traditional_ones(fixtures_dir):
    from ai_toolbox.assistant.evaluate import eval_qa

    args = (fixtures_dir / "drcd_slice.jsonl", [fixtures_dir / "drcd_slice_passages.jsonl"])
    same = eval_qa(*args)
    folded = eval_qa(*args, question_script="zh-Hans")
    assert same.n == folded.n == 20
    assert folded.recall_at_1 >= same.recall_at_1 - 0.05
    assert folded.recall_at_1 >= 0.85


def test_parallel_passages_with_the_same_ids_are_all_kept(fixtures_dir):
    from ai_toolbox.assistant.evaluate import load_passages

    en, zh = fixtures_dir / "xquad_slice_en_passages.jsonl", fixtures_dir / "xquad_slice_zh_passages.jsonl"
    passages = load_passages([en, zh])
    assert len(passages) == 40 and len({p.id for p in passages}) == 40
    assert {p.meta["qa_id"] for p in passages[:20]} == {p.meta["qa_id"] for p in passages[20:]}
