"""Seeded generator of test documents: invoices, letters and application forms.

Each sample is drawn in English, Traditional or Simplified Chinese as a digital PDF, a DOCX, and a
"scanned" PDF (the digital page rendered to a 150-dpi image, with light noise), together with the
gold field values extraction should return. The same seed always gives the same documents.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ai_toolbox.documents.textcore import to_script

LANGS = ("en", "zh-Hant", "zh-Hans")
KINDS = ("invoice", "letter", "form")
TEMPLATE_OF = {"invoice": "invoice", "letter": "letter", "form": "application_form"}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]

# Labels as printed; Chinese pools are written in Traditional and folded for Simplified.
LABELS: dict[str, dict[str, list[str]]] = {
    "invoice_title": {"en": ["COMMERCIAL INVOICE", "INVOICE"], "zh": ["商業發票", "發票"]},
    "invoice_number": {"en": ["Invoice No.", "Invoice Number", "Inv. No."], "zh": ["發票編號", "發票號碼"]},
    "invoice_date": {"en": ["Invoice Date", "Date"], "zh": ["發票日期", "日期"]},
    "seller": {"en": ["Seller", "Exporter"], "zh": ["賣方", "出口商"]},
    "buyer": {"en": ["Buyer", "Importer"], "zh": ["買方", "進口商"]},
    "currency": {"en": ["Currency"], "zh": ["貨幣", "幣別"]},
    "total_amount": {"en": ["Total Amount", "Total"], "zh": ["總金額", "合計"]},
    "reference_number": {"en": ["Our Ref.", "Ref. No.", "Reference"], "zh": ["本署檔號", "檔號"]},
    "date": {"en": ["Date"], "zh": ["日期"]},
    "sender": {"en": ["From"], "zh": ["發件人", "寄件人"]},
    "addressee": {"en": ["To"], "zh": ["致", "收件人"]},
    "subject": {"en": ["Subject", "Re"], "zh": ["事由", "主旨"]},
    "form_title": {"en": ["APPLICATION FORM"], "zh": ["申請表格"]},
    "applicant_name": {"en": ["Name of Applicant", "Applicant Name"], "zh": ["申請人姓名", "姓名"]},
    "id_number": {"en": ["Identity Card No.", "HKID No."], "zh": ["身份證號碼"]},
    "date_of_birth": {"en": ["Date of Birth"], "zh": ["出生日期"]},
    "phone": {"en": ["Telephone", "Phone No."], "zh": ["聯絡電話", "電話"]},
    "email": {"en": ["Email"], "zh": ["電郵地址", "電郵"]},
    "application_date": {"en": ["Date of Application"], "zh": ["申請日期"]},
}
COLUMNS = {
    "en": ["Description", "GTIN", "HS Code", "Qty", "Unit Price", "Amount"],
    "zh": ["貨品描述", "GTIN", "HS編碼", "數量", "單價", "金額"],
}
COMPANIES = [("Harbour Light Trading Limited", "海港之光貿易有限公司"),
             ("Pearl River Electronics Co., Ltd.", "珠江電子有限公司"),
             ("Kowloon Bay Logistics Limited", "九龍灣物流有限公司"),
             ("Shenzhen Bright Star Technology Co., Ltd.", "深圳明星科技有限公司"),
             ("Victoria Peak Foods Limited", "太平山食品有限公司"),
             ("Guangzhou Southern Textiles Co., Ltd.", "廣州南方紡織有限公司")]
PRODUCTS = [("Laptop computer", "手提電腦", "8471.30"), ("LED desk lamp", "發光二極管枱燈", "9405.21"),
            ("Cotton T-shirt", "棉質T恤", "6109.10"), ("Green tea, 500 g", "綠茶五百克", "0902.10"),
            ("Mobile phone", "流動電話", "8517.13"), ("Stainless steel bottle", "不銹鋼水樽", "7323.93"),
            ("Printer toner", "打印機碳粉", "3707.90"), ("Office chair", "辦公椅", "9401.31")]
OFFICES = [("Director of Lands", "地政總署署長"), ("Commissioner for Transport", "運輸署署長"),
           ("Secretary for Education", "教育局局長"), ("Director of Housing", "房屋署署長")]
PEOPLE = [("Chan Tai Man", "陳大文"), ("Wong Siu Ming", "黃小明"), ("Lee Ka Yan", "李嘉欣"),
          ("Cheung Wai Kit", "張偉傑"), ("Lam Mei Ling", "林美玲")]
SUBJECTS = [("Application for a temporary licence", "申請臨時牌照"),
            ("Renewal of tenancy agreement", "續租租約事宜"),
            ("Request for information on school places", "查詢學位資料"),
            ("Road works at Nathan Road", "彌敦道道路工程")]
ADDRESSES = [("Flat 12A, 88 Nathan Road, Kowloon", "九龍彌敦道88號12樓A室"),
             ("Room 1203, 1 Harbour Road, Wan Chai", "灣仔港灣道1號1203室"),
             ("3/F, 25 Queen's Road Central, Hong Kong", "香港皇后大道中25號3樓")]
CURRENCIES = {"HKD": {"en": ["HK$", "HKD"], "zh": ["港幣", "HK$"]},
              "CNY": {"en": ["RMB", "CNY"], "zh": ["人民幣", "RMB"]},
              "USD": {"en": ["USD", "US$"], "zh": ["美元", "USD"]}}


def _zh(text: str, lang: str) -> str:
    return to_script(text, "zh-Hans") if lang == "zh-Hans" else text


def _pick(rng: random.Random, key: str, lang: str) -> str:
    pool = LABELS[key]["en" if lang == "en" else "zh"]
    return _zh(rng.choice(pool), lang)


def _name(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "en" else _zh(pair[1], lang)


def gtin_check_digit(body: str) -> str:
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


def make_gtin(rng: random.Random, valid: bool = True) -> str:
    n = rng.choice([8, 12, 13, 14])
    body = "".join(str(rng.randint(0, 9)) for _ in range(n - 1))
    check = gtin_check_digit(body)
    if not valid:
        check = str((int(check) + rng.randint(1, 9)) % 10)
    return body + check


def fmt_date(d: date, lang: str, rng: random.Random) -> str:
    if lang != "en":
        return f"{d.year}年{d.month}月{d.day}日"
    return rng.choice([f"{d.day} {MONTHS[d.month - 1]} {d.year}", d.isoformat(), f"{d.day:02d}/{d.month:02d}/{d.year}",
                       f"{MONTHS[d.month - 1]} {d.day}, {d.year}"])


def hkid(rng: random.Random) -> str:
    letter = rng.choice("ABCDEGHKMPRVYZ")
    digits = "".join(str(rng.randint(0, 9)) for _ in range(6))
    vals = [36, ord(letter) - 55] + [int(d) for d in digits]
    total = sum(v * w for v, w in zip(vals, range(9, 1, -1), strict=True))
    c = (11 - total % 11) % 11
    return f"{letter}{digits}({'A' if c == 10 else c})"


@dataclass
class Sample:
    """One generated document: what it says (lines, table) and what extraction should find."""

    kind: str
    language: str
    seed: int
    title: str
    fields: list[tuple[str, str]]  # printed (label, value) pairs in order
    body: list[str] = field(default_factory=list)
    table: list[list[str]] = field(default_factory=list)
    footer: list[tuple[str, str]] = field(default_factory=list)
    gold: dict[str, Any] = field(default_factory=dict)
    gold_items: list[dict[str, Any]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.kind}-{self.language}-{self.seed}"


def sample(kind: str, language: str, seed: int) -> Sample:
    rng = random.Random(f"{kind}/{language}/{seed}")
    day = date(2025, 1, 1) + timedelta(days=rng.randint(0, 360))
    sep = ": " if language == "en" else "："
    del sep
    if kind == "invoice":
        return _invoice(rng, language, seed, day)
    if kind == "letter":
        return _letter(rng, language, seed, day)
    if kind == "form":
        return _form(rng, language, seed, day)
    raise ValueError(kind)


def _money(v: float) -> str:
    return f"{v:,.2f}"


def _invoice(rng: random.Random, lang: str, seed: int, day: date) -> Sample:
    seller, buyer = rng.sample(COMPANIES, 2)
    code = rng.choice(list(CURRENCIES))
    cur_label = rng.choice(CURRENCIES[code]["en" if lang == "en" else "zh"])
    cur_label = _zh(cur_label, lang)
    number = f"INV-{day.year}-{rng.randint(1, 99999):05d}"
    items, rows = [], [[_zh(c, lang) for c in COLUMNS["en" if lang == "en" else "zh"]]]
    for prod in rng.sample(PRODUCTS, rng.randint(2, 4)):
        qty = rng.randint(1, 500)
        price = round(rng.uniform(1, 2000), 2)
        amount = round(qty * price, 2)
        valid = rng.random() > 0.15
        gtin = make_gtin(rng, valid)
        desc = _name((prod[0], prod[1]), lang)
        items.append({"description": desc, "gtin": gtin, "gtin_valid": valid, "hs_code": prod[2], "quantity": qty,
                      "unit_price": price, "amount": amount})
        rows.append([desc, gtin, prod[2], str(qty), _money(price), _money(amount)])
    total = round(sum(i["amount"] for i in items), 2)
    fields = [(_pick(rng, "invoice_number", lang), number),
              (_pick(rng, "invoice_date", lang), fmt_date(day, lang, rng)),
              (_pick(rng, "seller", lang), _name(seller, lang)),
              (_pick(rng, "buyer", lang), _name(buyer, lang)),
              (_pick(rng, "currency", lang), cur_label)]
    footer = [(_pick(rng, "total_amount", lang), f"{cur_label} {_money(total)}")]
    gold = {"invoice_number": number, "invoice_date": day.isoformat(), "seller": _name(seller, lang),
            "buyer": _name(buyer, lang), "currency": code, "total_amount": total}
    return Sample("invoice", lang, seed, _pick(rng, "invoice_title", lang), fields, table=rows, footer=footer,
                  gold=gold, gold_items=items)


def _letter(rng: random.Random, lang: str, seed: int, day: date) -> Sample:
    office = rng.choice(OFFICES)
    person = rng.choice(PEOPLE)
    subj = rng.choice(SUBJECTS)
    ref = f"{rng.choice(['LD', 'TD', 'EDB', 'HD'])}/{rng.randint(10, 99)}/{rng.randint(100, 999)}/{day.year % 100:02d}"
    deadline = day + timedelta(days=rng.randint(14, 60))
    outgoing = rng.random() < 0.5
    sender, addressee = (office, person) if outgoing else (person, office)
    fields = [(_pick(rng, "reference_number", lang), ref), (_pick(rng, "date", lang), fmt_date(day, lang, rng)),
              (_pick(rng, "addressee", lang), _name(addressee, lang)),
              (_pick(rng, "sender", lang), _name(sender, lang)),
              (_pick(rng, "subject", lang), _name(subj, lang))]
    if lang == "en":
        body = [f"I refer to your letter concerning {subj[0].lower()}.",
                "We have reviewed the documents you provided and need further information before we can proceed.",
                f"Please reply by {fmt_date(deadline, lang, rng)} with the supporting documents.",
                "Thank you for your attention."]
    else:
        body = [_zh(f"本署收悉閣下有關{subj[1]}的來函。", lang),
                _zh("我們已審閱閣下提交的文件，在處理前需要更多資料。", lang),
                _zh(f"請於{fmt_date(deadline, lang, rng)}或之前回覆並附上證明文件。", lang),
                _zh("多謝合作。", lang)]
    gold = {"reference_number": ref, "date": day.isoformat(), "sender": _name(sender, lang),
            "addressee": _name(addressee, lang), "subject": _name(subj, lang), "deadline": deadline.isoformat()}
    return Sample("letter", lang, seed, "", fields, body=body, gold=gold)


def _form(rng: random.Random, lang: str, seed: int, day: date) -> Sample:
    person = rng.choice(PEOPLE)
    dob = date(rng.randint(1950, 2005), rng.randint(1, 12), rng.randint(1, 28))
    phone = f"{rng.choice('2356789')}{rng.randint(100, 999)} {rng.randint(1000, 9999)}"
    email = f"{person[0].split()[0].lower()}.{rng.randint(10, 99)}@example.com.hk"
    id_no = hkid(rng)
    addr = rng.choice(ADDRESSES)
    fields = [(_pick(rng, "applicant_name", lang), _name(person, lang)),
              (_pick(rng, "id_number", lang), id_no),
              (_pick(rng, "date_of_birth", lang), fmt_date(dob, lang, rng)),
              (_pick(rng, "phone", lang), phone),
              (_pick(rng, "email", lang), email),
              (_zh("地址", lang) if lang != "en" else "Address", _name(addr, lang)),
              (_pick(rng, "application_date", lang), fmt_date(day, lang, rng))]
    gold = {"applicant_name": _name(person, lang), "id_number": id_no, "date_of_birth": dob.isoformat(),
            "phone": phone.replace(" ", ""), "email": email, "address": _name(addr, lang),
            "application_date": day.isoformat()}
    return Sample("form", lang, seed, _pick(rng, "form_title", lang), fields, gold=gold)


# ---- rendering -------------------------------------------------------------------------------------------

def _wrap(font: Any, text: str, size: float, width: float) -> list[str]:
    lines, cur = [], ""
    tokens = text.split(" ") if not any("\u3400" <= c <= "\u9fff" for c in text) else list(text)
    joiner = " " if len(tokens) and " " not in tokens and tokens != list(text) else ""
    for tok in tokens:
        cand = f"{cur}{joiner}{tok}" if cur else tok
        if font.text_length(cand, size) > width and cur:
            lines.append(cur)
            cur = tok
        else:
            cur = cand
    if cur:
        lines.append(cur)
    return lines


def _all_text() -> str:
    parts: list[str] = []
    for pools in LABELS.values():
        parts.extend(x for v in pools.values() for x in v)
    for group in (COMPANIES, PRODUCTS, OFFICES, PEOPLE, SUBJECTS, ADDRESSES):
        parts.extend(x for t in group for x in t)
    parts.extend(x for cols in COLUMNS.values() for x in cols)
    parts.extend(x for c in CURRENCIES.values() for v in c.values() for x in v)
    parts.append("年月日：，。、本署收悉閣下有關的來函我們已審閱提交文件在處理前需要更多資料請於或之前回覆並附上證明多謝合作")
    parts.append("商業發票申請表格地址")
    zh = "".join(parts)
    return "".join(sorted(set(zh + to_script(zh, "zh-Hans"))))


def generator_font() -> bytes:
    """The CJK font cut down to every character the generator can print."""
    from ai_toolbox.documents.fonts import subset_font

    return subset_font(_all_text())


def to_pdf(s: Sample) -> bytes:
    """The sample as a digital (text-layer) PDF."""
    import pymupdf

    fontbuffer = generator_font()
    font = pymupdf.Font(fontbuffer=fontbuffer)
    pdf = pymupdf.open()
    page = pdf.new_page(width=595, height=842)
    page.insert_font(fontname="cjk", fontbuffer=fontbuffer)
    colon = ": " if s.language == "en" else "："

    def put(x: float, y: float, text: str, size: float = 10.5) -> None:
        page.insert_text((x, y), text, fontname="cjk", fontsize=size)

    y = 70.0
    if s.title:
        put(50, y, s.title, 16)
        y += 36
    for label, value in s.fields:
        put(50, y, f"{label}{colon}{value}")
        y += 20
    if s.table:
        y += 14
        xs = [50, 215, 318, 372, 425, 495]
        for r, row in enumerate(s.table):
            for x, cell in zip(xs, row, strict=True):
                put(x, y, cell, 9)
            if r == 0:
                page.draw_line((50, y + 5), (560, y + 5), width=0.5)
            y += 18
    if s.body:
        y += 16
        for para in s.body:
            for line in _wrap(font, para, 10.5, 495):
                put(50, y, line)
                y += 16
            y += 8
    for label, value in s.footer:
        y += 10
        put(50, y, f"{label}{colon}{value}", 11)
        y += 20
    data = pdf.tobytes(garbage=3, deflate=True)
    pdf.close()
    return data


def to_docx(s: Sample) -> bytes:
    """The sample as a Word document (labels and values as paragraphs, line items as a table)."""
    import docx

    d = docx.Document()
    colon = ": " if s.language == "en" else "："
    if s.title:
        d.add_heading(s.title, level=1)
    for label, value in s.fields:
        d.add_paragraph(f"{label}{colon}{value}")
    if s.table:
        t = d.add_table(rows=0, cols=len(s.table[0]))
        for row in s.table:
            cells = t.add_row().cells
            for c, v in zip(cells, row, strict=True):
                c.text = v
    for para in s.body:
        d.add_paragraph(para)
    for label, value in s.footer:
        d.add_paragraph(f"{label}{colon}{value}")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def render_png(pdf_bytes: bytes, dpi: int = 150, seed: int = 0, noise: float = 6.0) -> list[bytes]:
    """Each page of a PDF as a greyscale PNG at `dpi`, with light Gaussian noise like a scanner's."""
    import numpy as np
    import pymupdf
    from PIL import Image

    out = []
    rng = np.random.default_rng(seed)
    with pymupdf.open(stream=pdf_bytes, filetype="pdf") as pdf:
        for page in pdf:
            pix = page.get_pixmap(dpi=dpi, colorspace="gray", alpha=False)
            arr = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width).astype(np.float32)
            if noise:
                arr = arr + rng.normal(0, noise, arr.shape)
            img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), mode="L")
            buf = io.BytesIO()
            img.save(buf, format="PNG", dpi=(dpi, dpi))
            out.append(buf.getvalue())
    return out


def to_scanned_pdf(pdf_bytes: bytes, dpi: int = 150, seed: int = 0) -> bytes:
    """A PDF whose pages are only images of the digital pages (no text layer)."""
    import pymupdf

    scan = pymupdf.open()
    with pymupdf.open(stream=pdf_bytes, filetype="pdf") as src:
        for page, png in zip(src, render_png(pdf_bytes, dpi, seed), strict=True):
            p = scan.new_page(width=page.rect.width, height=page.rect.height)
            p.insert_image(p.rect, stream=png)
    data = scan.tobytes(deflate=True)
    scan.close()
    return data


def write_set(out: Path, n: int = 3, *, kinds: tuple[str, ...] = KINDS, languages: tuple[str, ...] = LANGS,
              scanned: bool = True, seed: int = 0) -> list[dict[str, Any]]:
    """Write n samples per kind and language to `out` (PDF, DOCX, scanned PDF) plus gold.jsonl."""
    import json

    out.mkdir(parents=True, exist_ok=True)
    records = []
    for kind in kinds:
        for lang in languages:
            for i in range(n):
                s = sample(kind, lang, seed + i)
                pdf = to_pdf(s)
                files = {"pdf": f"{s.name}.pdf", "docx": f"{s.name}.docx"}
                (out / files["pdf"]).write_bytes(pdf)
                (out / files["docx"]).write_bytes(to_docx(s))
                if scanned:
                    files["scanned"] = f"{s.name}-scan.pdf"
                    (out / files["scanned"]).write_bytes(to_scanned_pdf(pdf, seed=seed + i))
                records.append({"name": s.name, "template": TEMPLATE_OF[kind], "language": lang, "files": files,
                                "fields": s.gold, "line_items": s.gold_items})
    with (out / "gold.jsonl").open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return records
