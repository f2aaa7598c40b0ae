"""Evaluation figures on the fixture slices: the targets of the issue, held as regression floors."""

import json
from pathlib import Path

import pytest

from ai_toolbox.text.evaluate import eval_detect, eval_pii, score_pii
from ai_toolbox.text.synth import generate

FIXTURES = Path(__file__).parent.parent / "fixtures" / "text"


def test_generator_is_seeded_and_reproduces_the_fixture():
    stored = [json.loads(line) for line in (FIXTURES / "pii_hk_seed7.jsonl").read_text("utf-8").splitlines()]
    assert generate(300, 7) == stored
    assert generate(30, 8) != generate(30, 7)
    for rec in stored:
        for s in rec["spans"] + rec["decoys"]:
            assert rec["text"][s["start"]:s["end"]] == s["value"]
    assert {r["language"] for r in stored} == {"en", "zh-Hant", "zh-Hans"}


def test_targets_on_the_generated_set():
    r = eval_pii(FIXTURES / "pii_hk_seed7.jsonl")
    f1 = {t: v["f1"] for t, v in r["per_type"].items()}
    for t in ("HKID", "CN_ID"):
        assert f1[t] >= 0.98, t
    for t in ("PHONE", "EMAIL", "CREDIT_CARD"):
        assert f1[t] >= 0.95, t
    for t in ("PERSON", "ADDRESS"):
        assert f1[t] >= 0.85, t
    assert r["decoys"] > 20 and r["invalid_ids_flagged"] == 0


def test_presidio_slice_floor():
    r = eval_pii(FIXTURES / "presidio_synth_v2_first150.jsonl")
    assert r["n"] == 150
    assert r["micro"]["f1"] >= 0.55
    assert r["per_type"]["EMAIL"]["f1"] >= 0.95


def test_scoring_by_character_overlap():
    rec = {"text": "Call Mary Lee now", "spans": [{"start": 5, "end": 13, "type": "PERSON"}]}
    half = score_pii([rec], lambda t: [(5, 9, "PERSON")])
    assert half["per_type"]["PERSON"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "support": 1}
    dont_care = {"text": "On 3 May 2020", "spans": [{"start": 3, "end": 13, "type": "DATE_TIME"}]}
    # A prediction inside a gold span of a type we do not score counts neither way.
    assert score_pii([dont_care], lambda t: [(3, 13, "DATE_OF_BIRTH")])["per_type"] == {}


@pytest.mark.parametrize(("name", "language"), [
    ("qa_drcd_25.jsonl", "zh-Hant"), ("qa_cmrc2018_25.jsonl", "zh-Hans"),
    ("qa_xquad_en_25.jsonl", "en"), ("qa_xquad_zh_25.jsonl", "zh-Hans"),
])
def test_detection_on_qa_slices(name, language):
    r = eval_detect([(str(FIXTURES / name), language)])
    assert r["paragraph_accuracy"] == 1.0
    assert r["sentence_accuracy"] >= 0.97
