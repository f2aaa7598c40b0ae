"""The model-backends page: what is configured and usable, for system administrators only."""

from __future__ import annotations

import pytest

pytest.importorskip("ai_toolbox.llm.status", reason="that service is not in this build yet")

HTML = {"accept": "text/html"}


def test_admin_sees_backends_and_which_is_default(api, admin, sign_in):
    sign_in("root", "zh-Hant")
    r = api.get("/admin/models", headers=HTML)
    assert r.status_code == 200 and "模型後端" in r.text
    assert "<td>none</td>" in r.text and "<td>llamacpp</td>" in r.text
    assert "<dd>none</dd>" in r.text  # the default backend for all tools


def test_officer_cannot_see_backends(api, officer, sign_in):
    sign_in("officer")
    assert api.get("/admin/models", headers=HTML).status_code == 403
