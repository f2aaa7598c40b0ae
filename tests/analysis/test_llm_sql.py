"""The model path: grounded prompt, checked SQL, bounded repair, fallback to the embedded parser."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from ai_toolbox.analysis import answers, llmsql

pytest.importorskip("ai_toolbox.llm")


class _Model(BaseHTTPRequestHandler):
    """An OpenAI-compatible chat server that replies from a script, recording the prompts."""

    replies: list[str] = []
    prompts: list[str] = []

    def do_GET(self):  # noqa: N802
        self._send({"object": "list", "data": [{"id": "scripted", "object": "model"}]})

    def _send(self, obj):
        out = json.dumps(obj).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["content-length"])))
        _Model.prompts.append(body["messages"][-1]["content"])
        text = _Model.replies.pop(0) if _Model.replies else "SELECT 1"
        out = json.dumps(
            {
                "id": "x",
                "object": "chat.completion",
                "model": "scripted",
                "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": text}}],
                "usage": {"prompt_tokens": 10, "completion_tokens": 5},
            }
        ).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *args):
        pass


@pytest.fixture
def model_server(monkeypatch):
    from ai_toolbox.config import reset_settings

    server = HTTPServer(("127.0.0.1", 0), _Model)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("AITB_LLM__BASE_URL", f"http://127.0.0.1:{server.server_port}/v1")
    monkeypatch.setenv("AITB_LLM__MODEL", "scripted")
    monkeypatch.setenv("AITB_LLM__REMOTE", "false")
    monkeypatch.setenv("AITB_ANALYSIS__RULES_FIRST", "2")  # these tests exercise the model: it always writes
    reset_settings()
    _Model.replies, _Model.prompts = [], []
    yield _Model
    server.shutdown()


def test_model_sql_is_repaired_after_an_error_and_grounded(loaded, model_server):
    model_server.replies = [
        'SELECT "no_such_column" FROM "sales"',
        '```sql\nSELECT "officer" FROM "sales" WHERE "district" = \'Wan Chai\';\n```',
    ]
    ans = answers.ask(loaded, "sales", "who worked in wan chai?", backend="openai")
    assert ans.method == "llm" and [r[0] for r in ans.rows] == ["Lee Siu Ming", "Cheung Man Kit"]
    assert "'Wan Chai'" in model_server.prompts[0]  # grounded to the stored spelling
    assert "no_such_column" in model_server.prompts[1]  # the error went back for repair


def test_unsafe_model_sql_never_runs_and_the_parser_answers(loaded, model_server):
    model_server.replies = ["DROP TABLE sales", "SELECT * FROM read_csv('/etc/passwd')", "DELETE FROM sales"]
    ans = answers.ask(loaded, "sales", "how many rows are there?", backend="openai")
    assert ans.method == "rules" and ans.rows == [[6]] and ans.note


def test_parser_answers_first_when_it_covers_the_question(loaded, model_server, monkeypatch):
    from ai_toolbox.config import reset_settings

    monkeypatch.setenv("AITB_ANALYSIS__RULES_FIRST", "0.5")
    reset_settings()
    model_server.replies = ['SELECT "officer" FROM "sales" WHERE "amount" > 200']
    ans = answers.ask(loaded, "sales", "what is the total amount in Wan Chai?", backend="openai")
    assert ans.method == "rules" and model_server.prompts == []
    ans = answers.ask(loaded, "sales", "which staff handled the large cases?", backend="openai")
    assert ans.method == "llm" and len(model_server.prompts) == 1
    assert [r[0] for r in ans.rows] == ["Lee Siu Ming", "Ho Wing Sze", "Lam Chi Keung"]


def test_prompt_pieces():
    assert llmsql.similar_examples("which states border texas?")[0]["sql"].startswith("SELECT")


def test_model_writes_only_where_the_parser_guesses(loaded, model_server, monkeypatch):
    from ai_toolbox.config import reset_settings

    monkeypatch.delenv("AITB_ANALYSIS__RULES_FIRST")  # the default gate
    reset_settings()
    # A filtered parser answer stands, whatever share of the question it uses.
    question = "how many rows have officer Ho Wing Sze and more than 5 staff?"
    ans = answers.ask(loaded, "sales", question, backend="openai")
    assert ans.method == "rules" and model_server.prompts == []
    # A bare listing is a guess: the model writes, and its literal takes the stored spelling.
    model_server.replies = ["SELECT \"officer\" FROM \"sales\" WHERE \"district\" = 'KWUN TONG'"]
    ans = answers.ask(loaded, "sales", "which officers work in the eastern office?", backend="openai")
    assert ans.method == "llm" and [r[0] for r in ans.rows] == ["Ho Wing Sze", "Lam Chi Keung"]
    # The model's SQL finds nothing, repairs included: the parser's answer stays, with a note.
    model_server.replies = ["SELECT \"officer\" FROM \"sales\" WHERE \"district\" = 'Mong Kok'"] * 3
    ans = answers.ask(loaded, "sales", "which officers work in the western office?", backend="openai")
    assert ans.method == "rules" and len(ans.rows) == 6 and ans.sql.endswith("LIMIT 100")
    assert ans.note and "no rows" in ans.note
