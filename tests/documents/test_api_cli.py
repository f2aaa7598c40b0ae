"""API and CLI faces of the document tools, audit records, and department isolation."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile

from ai_toolbox import audit, jobs
from ai_toolbox.documents import generate
from tests.documents.conftest import make_docx


def _upload(api, headers, name, data):
    r = api.post("/api/v1/documents", files={"file": (name, data)}, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()["id"]


def test_upload_extract_and_audit(api, officer, admin, auth_headers):
    h = auth_headers(officer)
    s = generate.sample("invoice", "zh-Hant", 2)
    doc_id = _upload(api, h, "inv.docx", generate.to_docx(s))
    r = api.post(f"/api/v1/documents/{doc_id}/extract", json={"template": "invoice"}, headers=h)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["fields"]["invoice_number"]["value"] == s.gold["invoice_number"]
    assert body["fields"]["currency"]["value"] == s.gold["currency"]
    events = audit.list_events(admin, audit.AuditFilter(tool="doc", action="extract"))
    assert events and events[0].id == body["audit_id"] and events[0].minutes_saved > 0


def test_other_department_gets_404(api, make_principal, auth_headers):
    mine = auth_headers(make_principal("lands", "officer", "alice"))
    theirs = auth_headers(make_principal("transport", "officer", "bob"))
    doc_id = _upload(api, mine, "a.docx", make_docx("Notice", ["Hello there."]))
    assert api.get(f"/api/v1/documents/{doc_id}", headers=theirs).status_code == 404
    assert api.post(f"/api/v1/documents/{doc_id}/text", headers=theirs).status_code == 404
    assert api.post(f"/api/v1/documents/{doc_id}/summarise", json={}, headers=theirs).status_code == 404
    assert api.post(f"/api/v1/documents/{doc_id}/text", headers=mine).status_code == 200


def test_redact_output_download(api, officer, auth_headers):
    h = auth_headers(officer)
    doc_id = _upload(api, h, "c.docx", make_docx("Case", ["Email chan.tm@example.com now."]))
    r = api.post(f"/api/v1/documents/{doc_id}/redact", json={}, headers=h)
    assert r.status_code == 200 and r.json()["report"]["counts"] == {"EMAIL": 1}
    dl = api.get(f"/api/v1/documents/{doc_id}/outputs/{r.json()['output']}", headers=h)
    assert dl.status_code == 200 and b"example.com" not in dl.content


def test_huge_upload_refused_before_reading(api, officer, auth_headers):
    h = auth_headers(officer) | {"content-length": str(2 * 1024**3), "content-type": "multipart/form-data; boundary=x"}
    r = api.post("/api/v1/documents", content=b"--x--", headers=h)
    assert r.status_code == 413


def test_translate_api_says_model_needed(api, officer, auth_headers):
    h = auth_headers(officer)
    doc_id = _upload(api, h, "a.docx", make_docx("t", ["Hello"]))
    r = api.post(f"/api/v1/documents/{doc_id}/translate", json={"to": "zh-Hant"}, headers=h)
    assert r.status_code == 503 and "model" in r.json()["message"]


def test_batch_job_over_a_zip(api, officer, auth_headers):
    h = auth_headers(officer)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for i, lang in enumerate(["en", "zh-Hans"]):
            z.writestr(f"in/letter{i}.docx", generate.to_docx(generate.sample("letter", lang, i)))
        z.writestr("in/broken.pdf", b"%PDF-1.4 garbage")
    doc_id = _upload(api, h, "batch.zip", buf.getvalue())
    r = api.post("/api/v1/documents/batch", json={"document": doc_id, "tool": "extract",
                                                   "options": {"template": "letter"}}, headers=h)
    assert r.status_code == 202
    job_id = r.json()["id"]
    claimed = jobs._claim_next()
    assert claimed == job_id
    done = jobs.run_job(job_id)
    assert done.status == "succeeded" and done.result == {"files": 3, "ok": 2, "failed": 1, "report": "report.csv"}
    status = api.get(f"/api/v1/jobs/{job_id}", headers=h).json()
    assert status["progress"] == 1.0
    report = api.get(f"/api/v1/jobs/{job_id}/files/report.csv", headers=h).text
    assert "in/broken.pdf,error" in report and report.count(",ok,") == 2


def _cli(*args, env_dir):
    import os

    env = {**os.environ, "AITB_DATA_DIR": str(env_dir)}
    return subprocess.run([sys.executable, "-m", "ai_toolbox.cli", *args], capture_output=True, text=True, env=env,
                          timeout=300)


def test_cli_extract_json_and_clean_errors(tmp_path):
    s = generate.sample("invoice", "en", 4)
    src = tmp_path / "inv.pdf"
    src.write_bytes(generate.to_pdf(s))
    r = _cli("doc", "extract", "--template", "invoice", str(src), "--json", env_dir=tmp_path / "d")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert out["template"] == "invoice" and out["fields"]["total_amount"]["value"] == s.gold["total_amount"]
    assert out["line_items"][0]["gtin"] == s.gold_items[0]["gtin"]
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf at all\x00\x01")
    r = _cli("doc", "text", str(bad), env_dir=tmp_path / "d")
    assert r.returncode == 2 and "Traceback" not in r.stderr and "Error" in r.stderr
