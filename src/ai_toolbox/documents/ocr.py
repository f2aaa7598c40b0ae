"""Optical character recognition with RapidOCR 3.x (PP-OCR models shipped inside its wheel).

Optional: installed with the `ocr` extra. Boxes that sit close on one row are joined left to
right; a wide gap (a table cell boundary) keeps them apart, so a scanned table reads like a digital one.
"""

from __future__ import annotations

import importlib.util
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ai_toolbox.errors import ModelUnavailable

INSTALL_HINT = "Install the OCR extra: pip install 'ai-toolbox[ocr]' (RapidOCR with its models and onnxruntime)."
_lock = threading.Lock()


@dataclass(frozen=True)
class OcrLine:
    text: str
    bbox: tuple[float, float, float, float]  # pixels of the image given
    score: float


def available() -> bool:
    return importlib.util.find_spec("rapidocr") is not None and importlib.util.find_spec("onnxruntime") is not None


def require() -> None:
    if not available():
        raise ModelUnavailable("This file needs OCR (it is a scan or an image), and OCR is not installed.",
                               hint=INSTALL_HINT)


@lru_cache(maxsize=1)
def _engine() -> Any:
    require()
    from rapidocr import RapidOCR

    return RapidOCR(params={"Global.log_level": "error"})


def recognise(image: Any) -> list[OcrLine]:
    """OCR one image (path, bytes or RGB numpy array); returns boxes in reading order, rows merged."""
    import numpy as np

    if isinstance(image, np.ndarray) and image.ndim == 3 and image.shape[2] == 3:
        image = np.ascontiguousarray(image[:, :, ::-1])  # RapidOCR expects BGR arrays
    with _lock:  # one ONNX session shared by threads; it is not re-entrant
        result = _engine()(image)
    if result is None or result.boxes is None or result.txts is None:
        return []
    lines = []
    for box, txt, score in zip(result.boxes, result.txts, result.scores, strict=False):
        xs = [float(p[0]) for p in box]
        ys = [float(p[1]) for p in box]
        if txt and txt.strip():
            lines.append(OcrLine(txt.strip(), (min(xs), min(ys), max(xs), max(ys)), float(score)))
    return merge_rows(lines)


def _cjk(ch: str) -> bool:
    return "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"


def merge_rows(lines: list[OcrLine]) -> list[OcrLine]:
    """Join boxes that sit side by side on one row into phrases, left to right, rows top to bottom.

    A wide gap (over one line height) starts a new phrase, so table cells stay separate boxes.
    """
    if not lines:
        return []
    heights = sorted(ln.bbox[3] - ln.bbox[1] for ln in lines)
    h = heights[len(heights) // 2] or 1.0
    rows: list[list[OcrLine]] = []
    for ln in sorted(lines, key=lambda x: (x.bbox[1] + x.bbox[3]) / 2):
        cy = (ln.bbox[1] + ln.bbox[3]) / 2
        if rows:
            last = rows[-1]
            lcy = sum((x.bbox[1] + x.bbox[3]) / 2 for x in last) / len(last)
            if abs(cy - lcy) < 0.5 * h:
                last.append(ln)
                continue
        rows.append([ln])
    out: list[OcrLine] = []
    for row in rows:
        row.sort(key=lambda x: x.bbox[0])
        group = [row[0]]
        for prev, cur in zip(row, row[1:], strict=False):
            if cur.bbox[0] - prev.bbox[2] > 1.0 * h:
                out.append(_join(group))
                group = []
            group.append(cur)
        out.append(_join(group))
    return out


def _overlap(left: str, right: str) -> int:
    for k in range(min(len(left), len(right), 8), 0, -1):
        if left.endswith(right[:k]):
            return k
    return 0


def _join(group: list[OcrLine]) -> OcrLine:
    text = group[0].text
    for prev, cur in zip(group, group[1:], strict=False):
        piece = cur.text
        if cur.bbox[0] < prev.bbox[2]:  # overlapping boxes read the overlap twice; keep it once
            k = _overlap(text, piece)
            piece = piece[k:]
            if not piece:
                continue
            text += piece
            continue
        text += ("" if _cjk(prev.text[-1]) and _cjk(piece[0]) else " ") + piece
    bbox = (min(x.bbox[0] for x in group), min(x.bbox[1] for x in group),
            max(x.bbox[2] for x in group), max(x.bbox[3] for x in group))
    score = sum(x.score * len(x.text) for x in group) / max(1, sum(len(x.text) for x in group))
    return OcrLine(text, bbox, score)
