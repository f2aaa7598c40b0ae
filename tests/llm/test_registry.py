"""Backends are found by name through the entry-point group, ours and a third party's alike."""

from __future__ import annotations

import sys
import textwrap

import pytest

from ai_toolbox import llm
from ai_toolbox.errors import InvalidInput, ModelUnavailable
from ai_toolbox.llm import registry


def test_builtin_backends_register_through_entry_points():
    from importlib.metadata import entry_points

    declared = {ep.name for ep in entry_points(group=registry.GROUP)}
    assert {"none", "llamacpp", "openai"} <= declared
    assert llm.backend_names()[0] == "none"


def test_third_party_backend_plugs_in_without_touching_our_code(tmp_path, monkeypatch, llm_settings):
    (tmp_path / "shout_backend.py").write_text(textwrap.dedent('''
        from ai_toolbox.llm.base import BackendBase, Capabilities, ChatResult

        class ShoutBackend(BackendBase):
            name = "shout"
            capabilities = Capabilities(languages=frozenset({"en"}), context_length=1000, streaming=False)

            def _chat(self, messages, *, max_tokens, temperature, json_schema):
                return ChatResult(text=messages[-1].content.upper(), backend=self.name, model="shout-1")
    '''))
    dist = tmp_path / "shout_backend-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: shout-backend\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[ai_toolbox.llm_backends]\nshout = shout_backend:ShoutBackend\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    registry._entry_points.cache_clear()
    try:
        assert "shout" in llm.backend_names()
        llm_settings(backend="shout")
        backend = llm.get_backend()
        assert backend.name == "shout"
        assert isinstance(backend, llm.Backend)
        reply = backend.chat([llm.Message(role="user", content="hello")], max_tokens=10)
        assert reply.text == "HELLO"
    finally:
        registry._entry_points.cache_clear()
        sys.modules.pop("shout_backend", None)


def test_unknown_backend_name_is_a_clear_error():
    with pytest.raises(InvalidInput, match="No language-model backend called 'gpt-17'"):
        llm.get_backend("gpt-17")


def test_per_tool_choice_of_backend(llm_settings):
    llm_settings(backend="none", per_tool='{"doc": "openai"}', base_url="http://127.0.0.1:9/v1")
    assert llm.get_backend(tool="doc").name == "openai"
    assert llm.get_backend(tool="kb").name == "none"
    assert llm.get_backend("llamacpp", tool="doc").name == "llamacpp"


def test_none_backend_is_unavailable_and_says_how_to_configure():
    backend = llm.get_backend("none")
    assert backend.available is False
    assert "no language model" in backend.reason
    with pytest.raises(ModelUnavailable) as err:
        backend.chat([llm.Message(role="user", content="hi")])
    assert "AITB_LLM__BACKEND" in (err.value.hint or "")


def test_capabilities_are_declared_as_data(llm_settings):
    llm_settings(base_url="http://127.0.0.1:9/v1", n_ctx=8192)
    caps = llm.get_backend("openai").capabilities
    assert caps.remote is True and caps.streaming and caps.json and caps.context_length == 8192
    assert llm.get_backend("llamacpp").capabilities.remote is False
    assert set(caps.as_dict()) == {"languages", "context_length", "streaming", "json", "remote"}
