"""Identity documents: HKID, Mainland resident ID, passports, travel permits, Macao ID."""

from __future__ import annotations

import re
from datetime import date

from ai_toolbox.text.pii import PatternRecogniser, register

ID_CONTEXT_HK = ("身份證", "身份证", "身分證", "hkid", "hk id", "identity card", "id card", "id no", "證件號碼",
                 "证件号码", "id number", "identity")


def hkid_check_digit(prefix: str, digits: str) -> str:
    """The HKID check character for a one- or two-letter prefix and six digits."""
    prefix = prefix.upper().rjust(2)
    values = [36 if c == " " else ord(c) - 55 for c in prefix] + [int(d) for d in digits]
    total = sum(v * w for v, w in zip(values, range(9, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return "A" if check == 10 else str(check)


def is_valid_hkid(value: str) -> bool:
    m = re.fullmatch(r"([A-Z]{1,2})(\d{6})\(?([0-9A])\)?", re.sub(r"\s", "", value.upper()))
    return bool(m) and hkid_check_digit(m.group(1), m.group(2)) == m.group(3)


@register
class HkidRecogniser(PatternRecogniser):
    name = "hkid"
    entity_type = "HKID"
    pattern = re.compile(r"(?<![A-Za-z0-9])([A-Z]{1,2})(\d{6})\s?(?:\(([0-9A])\)|([0-9A]))(?![A-Za-z0-9])")
    score = 0.85
    context = ID_CONTEXT_HK

    def validate(self, m: re.Match[str]) -> bool:
        return hkid_check_digit(m.group(1), m.group(2)) == (m.group(3) or m.group(4))


# First two digits of a Mainland resident ID: province-level divisions (GB/T 2260), plus
# 71 Taiwan, 81 Hong Kong, 82 Macao (used by residence permits) and 83 (Taiwan residence permits).
CN_PROVINCES = frozenset([
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43",
    "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82", "83"
])
_CN_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def cn_id_check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of a Mainland resident ID."""
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, _CN_WEIGHTS, strict=True)) % 11]


def is_valid_cn_id(value: str) -> bool:
    value = value.upper()
    if not re.fullmatch(r"\d{17}[\dX]", value) or value[:2] not in CN_PROVINCES:
        return False
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    if not date(1900, 1, 1) <= born <= date.today():
        return False
    return cn_id_check_char(value[:17]) == value[17]


@register
class CnIdRecogniser(PatternRecogniser):
    name = "cn_resident_id"
    entity_type = "CN_ID"
    pattern = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
    score = 0.9
    context = ("身份证", "身份證", "居民身份", "公民身份号码", "resident id", "identity card", "id no", "id number")

    def validate(self, m: re.Match[str]) -> bool:
        return is_valid_cn_id(m.group(0))


@register
class PassportRecogniser(PatternRecogniser):
    """HKSAR passports (H or K + 8 digits) and Mainland passports (E + 8 digits, E + letter + 7, G + 8).

    They carry no public check digit, so a bare match scores below the reporting threshold and
    context (passport, 護照, 护照) is what makes it a passport.
    """

    name = "passport"
    entity_type = "PASSPORT"
    pattern = re.compile(r"(?<![A-Za-z0-9])(?:[HK]\d{8}|E[A-HJ-NP-Z]\d{7}|[EG]\d{8})(?![A-Za-z0-9])")
    score = 0.45
    context_boost = 0.45
    context = ("passport", "護照", "护照", "passport no", "旅行證件", "旅行证件")
    negative = ("回鄉證", "回乡证", "通行證", "通行证", "travel permit", "home return")

    def base_score(self, m: re.Match[str]) -> float:
        return 0.45 if m.group(0)[0] in "EG" else 0.35


@register
class TravelPermitRecogniser(PatternRecogniser):
    """Mainland Travel Permit for Hong Kong and Macao Residents (回鄉證): H or M + 8 or 10 digits."""

    name = "travel_permit"
    entity_type = "TRAVEL_PERMIT"
    pattern = re.compile(r"(?<![A-Za-z0-9])[HM]\d{8}(?:\d{2})?(?![A-Za-z0-9])")
    score = 0.4
    context_boost = 0.5
    context = ("回鄉證", "回乡证", "通行證", "通行证", "travel permit", "home return permit", "home visit permit",
               "來往內地", "来往内地")
    negative = ("passport", "護照", "护照")


@register
class MacaoIdRecogniser(PatternRecogniser):
    """Macao Resident Identity Card: 7 digits starting 1, 5 or 7 and a check digit, e.g. 1234567(8).

    The check-digit rule is not published, so context (澳門身份證, Macao ID) is required for an
    unbracketed number.
    """

    name = "macao_id"
    entity_type = "MACAO_ID"
    pattern = re.compile(r"(?<![\dA-Za-z/])[157](?:\d{6}\(\d\)|/\d{6}/\d|\d{7})(?![\dA-Za-z(])")
    score = 0.3
    context_boost = 0.55
    context = ("澳門身份證", "澳门身份证", "澳門居民身份證", "澳门居民身份证", "macao id", "macau id",
               "macao identity", "macau identity", "macao resident", "macau resident", "bir")

    def base_score(self, m: re.Match[str]) -> float:
        return 0.4 if ("(" in m.group(0) or "/" in m.group(0)) else 0.3
