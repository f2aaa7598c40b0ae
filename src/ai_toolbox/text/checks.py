"""`ai-toolbox doctor` checks for the text core: OpenCC, jieba, and the PII recognisers."""

from __future__ import annotations

from ai_toolbox import doctor


@doctor.check("text.opencc")
def opencc_check() -> doctor.Finding:
    try:
        from ai_toolbox.text.convert import CONFIGS, OPENCC_VERSION, convert

        ok = convert("港岛线的头发", "s2hk") == "港島綫的頭髮"
        detail = f"version {OPENCC_VERSION}, {len(CONFIGS)} configs: {' '.join(CONFIGS)}"
        return doctor.Finding("OpenCC", ok, detail, optional=False)
    except Exception as exc:  # a doctor reports, it does not crash
        return doctor.Finding("OpenCC", False, f"{type(exc).__name__}: {exc}", optional=False)


@doctor.check("text.jieba")
def jieba_check() -> doctor.Finding:
    try:
        from ai_toolbox.text.segment import tokenize, user_dictionary

        ok = "入境事务处" in tokenize("入境事務處")
        detail = f"Hong Kong user dictionary: {len(user_dictionary())} entries"
        return doctor.Finding("jieba", ok, detail, optional=False)
    except Exception as exc:
        return doctor.Finding("jieba", False, f"{type(exc).__name__}: {exc}", optional=False)


@doctor.check("text.pii")
def pii_check() -> doctor.Finding:
    from ai_toolbox.text.pii import describe

    recs = describe()
    types = sorted({t for r in recs for t in r["entity_types"]})
    return doctor.Finding("PII recognisers", bool(recs), f"{len(recs)} recognisers covering {', '.join(types)}")
