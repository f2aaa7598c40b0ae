"""Text tools: detect language and script, convert Traditional/Simplified, redact personal data;
plus the department glossaries used by conversion."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ai_toolbox.accounts import Perm, Principal
from ai_toolbox.api.deps import current_principal
from ai_toolbox.errors import InvalidInput, ToolboxError
from ai_toolbox.text import service
from ai_toolbox.text.convert import CONFIGS
from ai_toolbox.text.glossary import Term
from ai_toolbox.text.pii import ENTITY_TYPES, OPERATORS
from ai_toolbox.text.service import ConvertRequest, GlossaryIn, RedactRequest
from ai_toolbox.web.i18n import N_
from ai_toolbox.web.render import add_nav, render
from ai_toolbox.web.uploads import read_upload

router = APIRouter(include_in_schema=False)
add_nav("/text", N_("Text"), Perm.USE_TOOLS, order=10,
        tile=N_("Detect the language, convert Traditional ⇄ Simplified Chinese, redact personal data."))
add_nav("/admin/glossaries", N_("Glossaries"), Perm.MANAGE_KB, order=94)

# The conversions most officers need first; every OpenCC configuration stays available.
COMMON_CONFIGS = {
    "s2hk": N_("Simplified → Traditional (Hong Kong)"),
    "hk2s": N_("Traditional (Hong Kong) → Simplified"),
    "s2t": N_("Simplified → Traditional"),
    "t2s": N_("Traditional → Simplified"),
    "s2tw": N_("Simplified → Traditional (Taiwan)"),
    "tw2s": N_("Traditional (Taiwan) → Simplified"),
}
OPERATOR_LABELS = {
    "tag": N_("Replace with the type, e.g. [HKID]"),
    "mask": N_("Mask, keeping the last characters"),
    "pseudonym": N_("Consistent pseudonyms, e.g. <PERSON_1>"),
    "hash": N_("Salted hash"),
    "remove": N_("Remove"),
}
LANGUAGE_LABELS = {
    "en": N_("English"), "zh-Hant": N_("Traditional Chinese"), "zh-Hans": N_("Simplified Chinese"),
    "mixed": N_("Mixed"), "unknown": N_("Unknown"),
}


def _page(request: Request, tool: str = "convert", status_code: int = 200, **extra: object) -> Response:
    configs = [(c, COMMON_CONFIGS.get(c)) for c in CONFIGS]
    configs.sort(key=lambda item: (item[1] is None, list(COMMON_CONFIGS).index(item[0])
                                   if item[0] in COMMON_CONFIGS else 0, item[0]))
    ctx = {"tool": tool, "configs": configs, "operators": [(o, OPERATOR_LABELS.get(o, o)) for o in OPERATORS],
           "pii_types": ENTITY_TYPES, "language_labels": LANGUAGE_LABELS, "form": {}, **extra}
    return render(request, "text.html", ctx, status_code=status_code)


@router.get("/text", response_class=HTMLResponse)
def text_page(request: Request, tool: str = "convert", p: Principal = Depends(current_principal)) -> Response:
    p.require(Perm.USE_TOOLS)
    return _page(request, tool if tool in ("detect", "convert", "redact") else "convert")


@router.post("/text/detect", response_class=HTMLResponse)
def text_detect(request: Request, text: str = Form(""), p: Principal = Depends(current_principal)) -> Response:
    form = {"text": text}
    try:
        if not text.strip():
            raise InvalidInput("Enter some text first.")
        result = service.detect(p, text, per_sentence=True)
    except ToolboxError as exc:
        return _page(request, "detect", exc.status_code, error=exc, form=form)
    return _page(request, "detect", detected=result, form=form, audit_id=result.audit_id)


@router.post("/text/convert", response_class=HTMLResponse)
def text_convert(request: Request, text: str = Form(""), config: str = Form("s2hk"),
                 p: Principal = Depends(current_principal)) -> Response:
    form = {"text": text, "config": config}
    try:
        if not text.strip():
            raise InvalidInput("Enter some text first.")
        result = service.convert_text(p, ConvertRequest(text=text, config=config))
    except ToolboxError as exc:
        return _page(request, "convert", exc.status_code, error=exc, form=form)
    return _page(request, "convert", converted=result, form=form, audit_id=result.audit_id)


@router.post("/text/redact", response_class=HTMLResponse)
def text_redact(request: Request, text: str = Form(""), operator: str = Form("tag"),
                p: Principal = Depends(current_principal)) -> Response:
    form = {"text": text, "operator": operator}
    try:
        if not text.strip():
            raise InvalidInput("Enter some text first.")
        if operator not in OPERATORS:
            raise InvalidInput(f"Unknown redaction method {operator!r}.")
        result = service.redact_text(p, RedactRequest(text=text, operator=operator))  # type: ignore[arg-type]
    except ToolboxError as exc:
        return _page(request, "redact", exc.status_code, error=exc, form=form)
    return _page(request, "redact", redacted=result, marked=_marked(text, result.spans), form=form,
                 audit_id=result.audit_id)


def _marked(text: str, spans: list) -> list[tuple[str, str | None]]:
    """The original text cut into (piece, PII type or None) for highlighting."""
    pieces, at = [], 0
    for s in sorted(spans, key=lambda s: s.start):
        if s.start < at:
            continue
        pieces.append((text[at:s.start], None))
        pieces.append((text[s.start:s.end], s.type))
        at = s.end
    pieces.append((text[at:], None))
    return pieces


@router.post("/text/file", response_class=HTMLResponse)
async def text_file(request: Request, file: UploadFile | None = File(None), action: str = Form("convert"),
                    config: str = Form("s2hk"), operator: str = Form("tag"),
                    p: Principal = Depends(current_principal)) -> Response:
    tool = "redact" if action == "redact" else "convert"
    try:
        data, name = await read_upload(file)
        if tool == "redact":
            out = service.redact_file(p, data, name, operator)  # type: ignore[arg-type]
        else:
            out = service.convert_file(p, data, name, config)
    except ToolboxError as exc:
        return _page(request, tool, exc.status_code, file_error=exc, form={"config": config, "operator": operator})
    return Response(out.content, media_type=out.media_type,
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(out.filename)}"})


# -- glossaries --------------------------------------------------------------------------------------

def _parse_terms(raw: str) -> list[Term]:
    """One term a line: English | Traditional | Simplified (a leading '!' protects the term)."""
    terms = []
    for n, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        protect = line.lstrip().startswith("!")
        cells = [c.strip() for c in line.lstrip().lstrip("!").split("|")]
        if len(cells) != 3:
            raise InvalidInput(f"Line {n} needs three parts separated by '|'.",
                               hint="Write: English | Traditional | Simplified; leave a part empty if unknown.")
        terms.append(Term(en=cells[0], zh_hant=cells[1], zh_hans=cells[2], protect=protect))
    return terms


def _glossaries_page(request: Request, p: Principal, status_code: int = 200, **extra: object) -> Response:
    items = service.list_glossaries(p)
    return render(request, "admin/glossaries.html", {"glossaries": items, "form": {}, **extra},
                  status_code=status_code)


@router.get("/admin/glossaries", response_class=HTMLResponse)
def glossaries_page(request: Request, p: Principal = Depends(current_principal)) -> Response:
    p.require(Perm.USE_TOOLS)
    notice = N_("The glossary was saved.") if request.query_params.get("done") == "saved" else None
    return _glossaries_page(request, p, notice=notice)


@router.post("/admin/glossaries", response_class=HTMLResponse)
def glossaries_create(request: Request, name: str = Form(""), description: str = Form(""), terms: str = Form(""),
                      p: Principal = Depends(current_principal)) -> Response:
    try:
        if not name.strip():
            raise InvalidInput("Give the glossary a name.")
        service.create_glossary(p, GlossaryIn(name=name.strip(), description=description, terms=_parse_terms(terms)))
    except ToolboxError as exc:
        return _glossaries_page(request, p, exc.status_code, error=exc,
                                form={"name": name, "description": description, "terms": terms})
    return RedirectResponse("/admin/glossaries?done=saved", status_code=303)


@router.post("/admin/glossaries/{glossary_id}/delete")
def glossaries_delete(glossary_id: int, p: Principal = Depends(current_principal)) -> Response:
    service.delete_glossary(p, glossary_id)
    return RedirectResponse("/admin/glossaries", status_code=303)
