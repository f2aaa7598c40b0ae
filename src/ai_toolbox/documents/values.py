"""Normalise extracted strings: ISO dates, numbers, ISO 4217 currencies, GTIN check digits."""

from __future__ import annotations

import re
from datetime import date

from ai_toolbox.documents.textcore import to_script

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], start=1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

_ISO = re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})")
_DMY = re.compile(r"\b(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\b")
_D_MON_Y = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})")
_MON_D_Y = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
_CN_NUM = "[0-9一二三四五六七八九十]{1,3}"
_ZH = re.compile(r"([0-9〇零一二三四五六七八九]{4})\s*年\s*(" + _CN_NUM + r")\s*月\s*(" + _CN_NUM + r")\s*日")


def _cn_number(s: str) -> int:
    if s.isdigit():
        return int(s)
    if all(c in _CN_DIGITS for c in s):
        return int("".join(str(_CN_DIGITS[c]) for c in s))
    # 十, 十二, 二十, 二十三
    if "十" in s:
        left, _, right = s.partition("十")
        return (_CN_DIGITS.get(left, 1) if left else 1) * 10 + (_CN_DIGITS.get(right, 0) if right else 0)
    raise ValueError(s)


def parse_date(text: str) -> str | None:
    """The first date in `text` as ISO 8601 (day-first for numeric d/m/y, as in Hong Kong)."""
    candidates = []
    for rx, order in ((_ZH, "ymd"), (_ISO, "ymd"), (_D_MON_Y, "dMy"), (_MON_D_Y, "Mdy"), (_DMY, "dmy")):
        for m in rx.finditer(text):
            try:
                if order == "ymd":
                    y, mo, d = _cn_number(m.group(1)), _cn_number(m.group(2)), _cn_number(m.group(3))
                elif order == "dMy":
                    d, mo, y = int(m.group(1)), MONTHS.get(m.group(2).lower().rstrip(".")), int(m.group(3))
                elif order == "Mdy":
                    mo, d, y = MONTHS.get(m.group(1).lower().rstrip(".")), int(m.group(2)), int(m.group(3))
                else:
                    d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
                if mo is None:
                    continue
                candidates.append((m.start(), date(y, mo, d).isoformat()))
            except ValueError:
                continue
    return min(candidates)[1] if candidates else None


_NUMBER = re.compile(r"-?\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?")


def parse_number(text: str) -> float | int | None:
    m = _NUMBER.search(text.replace(" ", "") if re.search(r"\d \d{3}\b", text) is None else text)
    if not m:
        return None
    raw = m.group(0).replace(",", "").replace("，", "")
    value = float(raw)
    return int(value) if "." not in raw and abs(value) < 2**53 else value


def parse_amount(text: str) -> float | None:
    n = parse_number(text)
    return None if n is None else round(float(n), 2)


# Longest tokens first, so "HK$" wins over "$".
CURRENCY_TOKENS = [
    ("HK$", "HKD"), ("HKD", "HKD"), ("港幣", "HKD"), ("港币", "HKD"), ("港元", "HKD"),
    ("RMB", "CNY"), ("CNY", "CNY"), ("人民幣", "CNY"), ("人民币", "CNY"), ("元人民币", "CNY"),
    ("US$", "USD"), ("USD", "USD"), ("美元", "USD"), ("美金", "USD"),
    ("MOP$", "MOP"), ("MOP", "MOP"), ("澳門幣", "MOP"), ("澳门币", "MOP"), ("澳門元", "MOP"),
    ("NT$", "TWD"), ("TWD", "TWD"), ("新台幣", "TWD"), ("新台币", "TWD"),
    ("EUR", "EUR"), ("€", "EUR"), ("歐元", "EUR"), ("欧元", "EUR"),
    ("GBP", "GBP"), ("£", "GBP"), ("英鎊", "GBP"), ("英镑", "GBP"),
    ("JPY", "JPY"), ("日圓", "JPY"), ("日元", "JPY"), ("SGD", "SGD"), ("S$", "SGD"),
    ("￥", "CNY"), ("¥", "CNY"),
]


def parse_currency(text: str) -> str | None:
    upper = text.upper()
    best = None
    for token, code in sorted(CURRENCY_TOKENS, key=lambda t: -len(t[0])):
        i = upper.find(token.upper())
        if i >= 0 and (best is None or i < best[0]):
            best = (i, code)
    return best[1] if best else None


def gtin_valid(code: str) -> bool:
    """GS1 check digit for GTIN-8, -12, -13 and -14."""
    if not code.isdigit() or len(code) not in (8, 12, 13, 14):
        return False
    body, check = code[:-1], int(code[-1])
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def normalise_hs(text: str) -> str | None:
    m = re.search(r"\b(\d{4})[.\s]?(\d{2})(?:[.\s]?(\d{2,4}))?\b", text)
    if not m:
        return None
    return f"{m.group(1)}.{m.group(2)}" + (f".{m.group(3)}" if m.group(3) else "")


def fold(text: str) -> str:
    """Lower-cased Simplified form, for matching labels across scripts."""
    return to_script(text, "zh-Hans").lower()
