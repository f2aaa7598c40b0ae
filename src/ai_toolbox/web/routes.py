"""The web application's router: every page module listed in `PAGE_MODULES`, under one router.

Tool pages live in `web/pages/<tool>.py`; each exposes `router` and registers its menu entry and
home-page tile with `render.add_nav`. A module whose tool is not installed in this server is
skipped, so the menu shows only what works.
"""

from __future__ import annotations

import importlib
import logging

from fastapi import APIRouter, Depends, Request

from ai_toolbox.web import i18n
from ai_toolbox.web.render import language_of

log = logging.getLogger("ai_toolbox.web")

PAGE_MODULES = [
    "ai_toolbox.web.pages.auth",
    "ai_toolbox.web.pages.home",
    "ai_toolbox.web.pages.jobs",
    "ai_toolbox.web.pages.tokens",
    "ai_toolbox.web.pages.admin",
    "ai_toolbox.web.pages.feedback",
    "ai_toolbox.web.pages.text",
    "ai_toolbox.web.pages.documents",
    "ai_toolbox.web.pages.data",
    "ai_toolbox.web.pages.models",
    "ai_toolbox.web.pages.assistant",
]

# Capability packages a page may need; a page whose capability is not in this build is left out
# of the menu (and logged) instead of stopping the server.
CAPABILITIES = ("ai_toolbox.text", "ai_toolbox.documents", "ai_toolbox.analysis", "ai_toolbox.assistant",
                "ai_toolbox.llm")



async def use_language(request: Request) -> None:
    """Choose the page language before the handler runs, so charts and messages built in Python
    are translated too (sync handlers run in a worker thread with a copy of this context)."""
    i18n.activate(language_of(request))


router = APIRouter(include_in_schema=False, dependencies=[Depends(use_language)])
for _name in PAGE_MODULES:
    try:
        _module = importlib.import_module(_name)
    except ModuleNotFoundError as exc:
        missing = exc.name or ""
        if missing.startswith("ai_toolbox") and not missing.startswith(CAPABILITIES):
            raise
        log.warning("web page %s is not available: %s is not installed", _name, missing)
        continue
    router.include_router(_module.router)
