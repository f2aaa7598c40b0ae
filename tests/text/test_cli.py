import json

from typer.testing import CliRunner

from ai_toolbox.cli import app

runner = CliRunner()


def run(*args, input=None):
    result = runner.invoke(app, list(args), input=input)
    return result


def test_convert_stdin():
    r = run("text", "convert", "--config", "s2hk", "-", input="港岛线的头发")
    assert r.exit_code == 0, r.output
    assert r.output == "港島綫的頭髮"


def test_detect_json_file(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("香港特別行政區政府今日公布新措施。", encoding="utf-8")
    r = run("text", "detect", str(f), "--json")
    assert json.loads(r.output.strip().splitlines()[-1])["language"] == "zh-Hant"


def test_redact_operators():
    r = run("text", "redact", "--operator", "mask", input="HKID A123456(3)")
    assert r.output == "HKID ****456(3)"
    r = run("text", "redact", "--json", input="HKID A123456(3)")
    assert json.loads(r.output.strip().splitlines()[-1])["spans"][0]["type"] == "HKID"


def test_convert_docx_writes_a_file(tmp_path, sample_docx):
    f = tmp_path / "memo.docx"
    f.write_bytes(sample_docx)
    r = run("text", "convert", str(f), "--config", "s2hk")
    assert r.exit_code == 0, r.output
    assert (tmp_path / "memo.s2hk.docx").exists()


def test_eval_pii_prints_the_contract_object(tmp_path):
    from ai_toolbox.text.synth import generate

    data = tmp_path / "pii.jsonl"
    data.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in generate(30, 3)), encoding="utf-8")
    r = run("eval", "pii", "--data", str(data), "--json")
    obj = json.loads(r.output.strip().splitlines()[-1])
    assert set(obj) >= {"n", "per_type", "micro", "docs_per_s"}
    assert obj["n"] == 30
    assert set(next(iter(obj["per_type"].values()))) == {"precision", "recall", "f1", "support"}
    assert obj["invalid_ids_flagged"] == 0


def test_eval_detect(tmp_path):
    data = tmp_path / "p.jsonl"
    para = {"text": "這是一段繁體中文的段落。我們在這裡測試語言偵測。"}
    data.write_text(json.dumps(para, ensure_ascii=False), encoding="utf-8")
    r = run("eval", "detect", "--hant", str(data), "--json")
    obj = json.loads(r.output.strip().splitlines()[-1])
    assert obj["paragraph_accuracy"] == 1.0 and obj["sentences"] == 2


def test_eval_convert_on_fixture_cases(tmp_path):
    (tmp_path / "s2hk.jsonl").write_text(json.dumps({"input": "港岛线", "expected": "港島綫"}, ensure_ascii=False))
    r = run("eval", "convert", "--data", str(tmp_path), "--json")
    assert json.loads(r.output.strip().splitlines()[-1])["accuracy"] == 1.0
