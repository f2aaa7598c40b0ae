"""Traditional ↔ Simplified conversion of whole documents (text core conversion with glossary).

DOCX is converted run by run, so formatting survives; other formats come out as plain text.
"""

from __future__ import annotations

import io

from pydantic import BaseModel

from ai_toolbox.documents.ingest import detect_format, ingest
from ai_toolbox.documents.textcore import convert as convert_text

TARGETS = {"zh-Hant": "s2hk", "zh-Hans": "t2s", "zh-TW": "s2twp"}


class Converted(BaseModel):
    data: bytes
    output_name: str
    config: str
    characters: int
    audit_id: int | None = None


def resolve_config(config: str | None, to: str | None) -> str:
    if config:
        return config
    return TARGETS.get(to or "zh-Hant", "s2hk")


def convert(data: bytes, name: str, *, config: str = "s2hk", glossary: dict[str, str] | None = None,
            password: str | None = None) -> Converted:
    fmt = detect_format(data, name)
    stem = name.rsplit(".", 1)[0]
    if fmt == "docx":
        import docx

        d = docx.Document(io.BytesIO(data))
        n = 0
        paras = list(d.paragraphs) + [p for t in d.tables for r in t.rows for c in r.cells for p in c.paragraphs]
        for p in paras:
            for run in p.runs:
                if run.text:
                    run.text = convert_text(run.text, config=config, glossary=glossary)
                    n += len(run.text)
        buf = io.BytesIO()
        d.save(buf)
        return Converted(data=buf.getvalue(), output_name=f"{stem}.{config}.docx", config=config, characters=n)
    doc = ingest(data, name=name, password=password)
    out = "\n\n".join(convert_text(p.text, config=config, glossary=glossary) for p in doc.pages if p.text)
    return Converted(data=out.encode("utf-8"), output_name=f"{stem}.{config}.txt", config=config,
                     characters=len(out))
