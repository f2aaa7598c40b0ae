"""Document benchmarks: text-PDF ingest vs raw PyMuPDF, and OCR accuracy on 150-dpi pages.

    .venv/bin/python -m benchmarks.bench_documents [--pages 60] [--ocr-pages 2] [--rounds 15]

1. Throughput of `ingest()` on a generated text PDF against PyMuPDF's own `page.get_text()` over
   the same bytes, in the same run (target: ingest ≥ 0.8× raw).
2. OCR character accuracy (1 − character error rate, whitespace ignored) on page images drawn at
   150 dpi with Noto CJK in English, Traditional and Simplified Chinese (target ≥ 95%), with pages/s.
"""

from __future__ import annotations

import argparse
import io
import time

from benchmarks.common import best_of, write_result

PARAGRAPHS = {
    "en": [
        "The Transport Department will close two lanes of Nathan Road between Jordan Road and Austin Road "
        "from 10 pm to 6 am for resurfacing works.",
        "Applicants should submit the completed form together with a copy of their identity card and proof "
        "of address within fourteen days.",
        "The committee noted that the number of enquiries received in the third quarter rose by twelve per cent "
        "compared with the same period last year.",
        "Please keep this notice for future reference and contact the district office if you need assistance.",
    ],
    "zh-Hant": [
        "運輸署將於晚上十時至翌日早上六時，封閉彌敦道介乎佐敦道與柯士甸道之間的兩條行車線，以進行路面重鋪工程。",
        "申請人應於十四天內遞交填妥的表格，連同身份證副本及住址證明。",
        "委員會備悉第三季收到的查詢數目較去年同期上升百分之十二，並要求各部門加快處理。",
        "請保留本通告以作日後參考，如需協助，請聯絡區議會辦事處或致電查詢熱線。",
    ],
    "zh-Hans": [
        "运输署将于晚上十时至翌日早上六时，封闭弥敦道介乎佐敦道与柯士甸道之间的两条行车线，以进行路面重铺工程。",
        "申请人应于十四天内递交填妥的表格，连同身份证副本及住址证明。",
        "委员会备悉第三季收到的查询数目较去年同期上升百分之十二，并要求各部门加快处理。",
        "请保留本通告以作日后参考，如需协助，请联络区议会办事处或致电查询热线。",
    ],
}


def text_pdf(pages: int) -> bytes:
    """A text PDF alternating English and Chinese pages, with headings and wrapped paragraphs."""
    import pymupdf

    from ai_toolbox.documents.fonts import subset_font
    from ai_toolbox.documents.generate import _wrap

    chars = "".join(sorted(set("".join(p for ps in PARAGRAPHS.values() for p in ps) + "通知第頁页")))
    buf = subset_font(chars)
    font = pymupdf.Font(fontbuffer=buf)
    pdf = pymupdf.open()
    langs = list(PARAGRAPHS)
    for i in range(pages):
        lang = langs[i % 3]
        page = pdf.new_page(width=595, height=842)
        page.insert_font(fontname="cjk", fontbuffer=buf)
        page.insert_text((50, 60), f"Notice {i + 1}" if lang == "en" else f"通知 {i + 1}", fontname="cjk",
                         fontsize=16)
        y = 90.0
        for _ in range(3):
            for para in PARAGRAPHS[lang]:
                for line in _wrap(font, para, 10.5, 495):
                    y += 15
                    page.insert_text((50, y), line, fontname="cjk", fontsize=10.5)
                y += 8
    return pdf.tobytes(garbage=3, deflate=True)


def bench_ingest(pages: int, rounds: int = 15) -> dict[str, float | bool]:
    import pymupdf

    from ai_toolbox.documents.ingest import ingest

    data = text_pdf(pages)

    def raw() -> int:
        with pymupdf.open(stream=data, filetype="pdf") as pdf:
            return sum(len(p.get_text()) for p in pdf)

    def ours() -> int:
        return len(ingest(data, name="bench.pdf").text)

    ours()  # warm caches (fonts, converters)
    raw()
    # Alternate the two so a burst of load on a shared machine hits both alike; keep each one's best.
    t_raw, t_ours = float("inf"), float("inf")
    for _ in range(rounds):
        t_raw = min(t_raw, best_of(raw, 1))
        t_ours = min(t_ours, best_of(ours, 1))
    return {"pages": pages, "raw_pymupdf_pages_per_s": round(pages / t_raw, 1),
            "ingest_pages_per_s": round(pages / t_ours, 1), "ratio": round(t_raw / t_ours, 3),
            "rounds": rounds, "same_text": _same_text(data)}


def _same_text(data: bytes) -> bool:
    """Whether ingest reads the same characters as raw `page.get_text()` (whitespace aside: ingest
    joins soft-wrapped lines), page by page, so the two sides of the ratio do the same work."""
    import pymupdf

    from ai_toolbox.documents.ingest import ingest

    doc = ingest(data, name="bench.pdf")
    with pymupdf.open(stream=data, filetype="pdf") as pdf:
        raw_pages = ["".join(p.get_text().split()) for p in pdf]
    return raw_pages == ["".join(p.text.split()) for p in doc.pages]


def page_image(lang: str, dpi: int = 150) -> tuple[bytes, str]:
    """One A4 page of paragraphs drawn at `dpi` with Noto CJK (11 pt), and the text on it."""
    from PIL import Image, ImageDraw, ImageFont

    from ai_toolbox.documents.fonts import find_cjk_font

    px = dpi / 72
    index = {"en": 0, "zh-Hant": 4, "zh-Hans": 2}[lang]
    font = ImageFont.truetype(str(find_cjk_font()), int(11 * px), index=index)
    img = Image.new("L", (int(595 * px), int(842 * px)), 255)
    draw = ImageDraw.Draw(img)
    width, y, lines = int(495 * px), int(60 * px), []
    for para in PARAGRAPHS[lang] * 2:
        units = para.split(" ") if lang == "en" else list(para)
        cur = ""
        for u in units:
            cand = (cur + " " + u if cur else u) if lang == "en" else cur + u
            if font.getlength(cand) > width and cur:
                lines.append(cur)
                cur = u
            else:
                cur = cand
        lines.append(cur)
        lines.append("")
    for line in lines:
        if line:
            draw.text((int(50 * px), y), line, font=font, fill=0)
        y += int(17 * px)
    buf = io.BytesIO()
    img.save(buf, format="PNG", dpi=(dpi, dpi))
    return buf.getvalue(), "".join(x for x in lines)


def edit_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
        prev = cur
    return prev[-1]


def bench_ocr(pages_per_lang: int) -> dict[str, dict[str, float]]:
    from ai_toolbox.documents.ingest import ingest

    out = {}
    ingest(page_image("en")[0], name="warm.png")  # load the models once
    for lang in PARAGRAPHS:
        errors = total = 0
        elapsed = 0.0
        for _ in range(pages_per_lang):
            png, truth = page_image(lang)
            t0 = time.perf_counter()
            got = ingest(png, name=f"{lang}.png").text
            elapsed += time.perf_counter() - t0
            a, b = "".join(truth.split()), "".join(got.split())
            errors += edit_distance(a, b)
            total += len(a)
        out[lang] = {"char_accuracy": round(1 - errors / total, 4), "pages_per_s": round(pages_per_lang / elapsed, 3),
                     "chars": total}
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=60)
    ap.add_argument("--ocr-pages", type=int, default=1, help="pages per language to OCR; 0 skips OCR")
    ap.add_argument("--rounds", type=int, default=15, help="alternations of raw and ingest; each keeps its best")
    args = ap.parse_args()
    results: dict = {"ingest_vs_pymupdf": bench_ingest(args.pages, args.rounds)}
    if args.ocr_pages > 0:
        results["ocr_150dpi"] = bench_ocr(args.ocr_pages)
    write_result("documents", results)


if __name__ == "__main__":
    main()
