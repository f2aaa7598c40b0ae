"""The PII guard with the text core's operators: nothing personal leaves for a remote backend."""

from __future__ import annotations

import json

import pytest

from ai_toolbox import llm
from ai_toolbox.llm import guard
from tests.llm.servers import ScriptedServer
from tests.llm.test_service import EMAIL, HKID, PERSONAL, PHONE

pii = pytest.importorskip("ai_toolbox.text.pii", reason="the text core (ai_toolbox.text) is not installed yet")


def test_no_identifier_reaches_a_remote_server_and_the_reply_is_restored(officer, llm_settings):
    with ScriptedServer() as server:  # echoes the last user message back
        llm_settings(backend="openai", base_url=server.url, model="scripted")
        result = llm.complete(officer, "doc", [llm.Message(role="system", content="Be brief."),
                                               llm.Message(role="user", content=PERSONAL)])
    sent = json.dumps(server.requests, ensure_ascii=False)
    for identifier in (HKID, EMAIL, PHONE):
        assert identifier not in sent
    for identifier in (HKID, EMAIL, PHONE):
        assert identifier in result.text
    assert any("pseudonymised" in n for n in result.notes)


def test_same_identifier_gets_the_same_pseudonym_across_messages(llm_settings):
    llm_settings(backend="openai", base_url="http://127.0.0.1:9/v1", model="m")
    guarded = guard.protect(llm.get_backend(), [llm.Message(role="user", content=f"My email is {EMAIL}."),
                                                llm.Message(role="assistant", content="Noted."),
                                                llm.Message(role="user", content=f"Write to {EMAIL} today.")])
    first, last = guarded.messages[0].content, guarded.messages[2].content
    assert EMAIL not in first + last
    pseudonyms = [p for p in guarded.mapping if p in first]
    assert pseudonyms and all(p in last for p in pseudonyms)


def test_traditional_output_goes_through_opencc(officer, llm_settings):
    with ScriptedServer(lambda body: (200, "这个软件的网络设置")) as server:
        llm_settings(backend="openai", base_url=server.url, model="scripted", remote="false")
        result = llm.complete(officer, "doc", [llm.Message(role="user", content="x")], language="zh-Hant")
    assert result.text == "這個軟件的網絡設置"
    assert any("OpenCC" in n for n in result.notes)


def test_reply_in_the_wrong_language_gets_one_bounded_retry(officer, llm_settings):
    replies = iter(["這是中文的回覆，不是英文。", "This reply is in English."])
    with ScriptedServer(lambda body: (200, next(replies))) as server:
        llm_settings(backend="openai", base_url=server.url, model="scripted", remote="false")
        result = llm.complete(officer, "doc", [llm.Message(role="user", content="Hello")], language="en")
    assert result.text == "This reply is in English." and len(server.requests) == 2
    assert result.tokens_out == 6  # both attempts counted


def test_reply_still_in_the_wrong_language_is_kept_and_flagged(officer, llm_settings):
    with ScriptedServer(lambda body: (200, "Only English here, sorry.")) as server:
        llm_settings(backend="openai", base_url=server.url, model="scripted", remote="false")
        result = llm.complete(officer, "doc", [llm.Message(role="user", content="你好")], language="zh-Hans")
    assert len(server.requests) == 2  # never more than one retry
    assert any("did not answer in zh-Hans" in n for n in result.notes)


@pytest.mark.llm
@pytest.mark.slow
def test_no_identifier_reaches_the_llama_server(officer, use_server, recording_proxy):
    use_server(base_url=recording_proxy.url)  # remote: the guard applies
    hkid, email, phone = "A123456(3)", "chan.taiman@example.com", "9123 4567"
    prompt = f"Repeat this line exactly: Applicant HKID {hkid}, email {email}, phone {phone}."
    result = llm.complete(officer, "doc", [llm.Message(role="user", content=prompt)], max_tokens=48, temperature=0)
    sent = "\n".join(recording_proxy.bodies)
    assert any("messages" in b for b in recording_proxy.bodies)
    for identifier in (hkid, email, phone):
        assert identifier not in sent
        assert json.dumps(identifier)[1:-1] not in sent
    assert result.text
    [note] = [n for n in result.notes if "pseudonymised" in n]
    assert int(note.split()[0]) >= 3, note
