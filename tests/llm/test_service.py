"""`llm.complete()`: audit, fallback, the department rule and the PII guard for remote backends."""

from __future__ import annotations

import pytest

from ai_toolbox import llm
from ai_toolbox.errors import ModelUnavailable, NotPermitted
from ai_toolbox.llm import guard
from ai_toolbox.llm.service import _stable_prefix
from ai_toolbox.storage import session_scope
from ai_toolbox.storage.models import AuditEvent, Department
from tests.llm.servers import ScriptedServer

HKID, EMAIL, PHONE = "A123456(3)", "chan.taiman@example.com", "9123 4567"
PERSONAL = f"Please reply to Mr Chan, HKID {HKID}, email {EMAIL}, mobile {PHONE}, about his renewal."


def _events() -> list[AuditEvent]:
    with session_scope() as s:
        rows = s.query(AuditEvent).order_by(AuditEvent.id).all()
        s.expunge_all()
        return rows


def test_complete_writes_one_audit_record_with_backend_model_tokens_latency(officer, llm_settings):
    with ScriptedServer(lambda body: (200, "Done.")) as server:
        llm_settings(backend="openai", base_url=server.url, model="scripted", remote="false")
        result = llm.complete(officer, "doc", [llm.Message(role="user", content="Summarise this.")],
                              action="summarise")
    assert result.text == "Done." and result.audit_id is not None
    [event] = _events()
    assert (event.id, event.tool, event.action, event.backend, event.model) == (
        result.audit_id, "doc", "summarise", "openai", "scripted")
    assert (event.tokens_in, event.tokens_out) == (7, 3)
    assert event.latency_ms > 0 and event.status == "ok"


def test_failed_call_is_audited_as_an_error(officer, llm_settings):
    with ScriptedServer(lambda body: (500, "boom")) as server:
        llm_settings(backend="openai", base_url=server.url, model="scripted", remote="false", retries=0)
        with pytest.raises(ModelUnavailable):
            llm.complete(officer, "doc", [llm.Message(role="user", content="x")])
    [event] = _events()
    assert event.status == "error" and "HTTP 500" in event.error


def test_no_model_raises_with_a_hint_unless_the_tool_has_a_fallback(officer):
    messages = [llm.Message(role="user", content="Summarise this.")]
    with pytest.raises(ModelUnavailable) as err:
        llm.complete(officer, "doc", messages)
    assert "ai-toolbox[llm]" in err.value.hint
    assert _events() == []

    result = llm.complete(officer, "doc", messages, action="summarise", fallback=lambda: "Extractive summary.")
    assert result.text == "Extractive summary." and result.backend == "none"
    assert "embedded default" in result.notes[0]
    [event] = _events()
    assert event.backend == "none" and event.id == result.audit_id


def test_fallback_also_covers_an_unreachable_server(officer, llm_settings):
    llm_settings(backend="openai", base_url="http://127.0.0.1:9/v1", model="m", remote="false", retries=0)
    result = llm.complete(officer, "doc", [llm.Message(role="user", content="x")], fallback=lambda: "default")
    assert result.text == "default" and "Cannot reach" in result.notes[0]


def test_department_that_forbids_remote_models_gets_not_permitted(make_principal, llm_settings):
    officer = make_principal("sec", "officer")
    with session_scope() as s:
        s.query(Department).filter_by(code="sec").one().allow_remote_llm = False
    with ScriptedServer() as server:
        llm_settings(backend="openai", base_url=server.url, model="scripted")
        with pytest.raises(NotPermitted, match="does not allow remote"):
            llm.complete(officer, "doc", [llm.Message(role="user", content="hello")])
        assert server.requests == []
        # The same endpoint declared local (e.g. a server on this machine) is allowed.
        llm_settings(backend="openai", base_url=server.url, model="scripted", remote="false")
        assert llm.complete(officer, "doc", [llm.Message(role="user", content="hello")]).text == "hello"


def test_local_backend_sees_the_text_unchanged(llm_settings):
    llm_settings(backend="llamacpp")
    messages = [llm.Message(role="user", content=PERSONAL)]
    guarded = guard.protect(llm.get_backend(), messages)
    assert guarded.messages == messages and guarded.mapping == {}


def test_stable_prefix_holds_back_a_half_received_pseudonym():
    mapping = {"<PERSON_1>": "Chan Tai Man"}
    assert _stable_prefix("Dear <PERS", mapping) == "Dear "
    assert _stable_prefix("Dear Chan Tai Man,", mapping) == "Dear Chan Tai Man,"
