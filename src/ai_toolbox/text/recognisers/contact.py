"""Contact details: phone numbers (Hong Kong, Mainland, international), e-mail, IP addresses."""

from __future__ import annotations

import ipaddress
import re

from ai_toolbox.text.pii import PatternRecogniser, register

PHONE_CONTEXT = ("電話", "电话", "手機", "手机", "聯絡", "联系", "聯系", "致電", "致电", "傳真", "传真", "熱線", "热线",
                 "tel", "tel.", "phone", "mobile", "call", "contact", "fax", "whatsapp", "cell", "number", "hotline")
PHONE_NEGATIVE = ("ref", "reference", "order", "case no", "訂單", "订单", "編號", "编号", "參考", "参考", "account",
                  "戶口", "户口", "賬戶", "账户", "帳號", "账号", "身份證", "身份证", "護照", "护照", "passport",
                  "澳門", "澳门", "macao", "macau", "bir", "permit", "通行證", "通行证")


@register
class HkPhoneRecogniser(PatternRecogniser):
    name = "hk_phone"
    entity_type = "PHONE"
    pattern = re.compile(r"(?<![A-Za-z0-9_+])(?<!\d[\s-])(?:(?:\+|00)852[\s-]?|\(\+?852\)\s?)?[235679]\d{3}[\s-]?\d{4}"
                         r"(?![A-Za-z0-9_]|[\s-]\d)")
    score = 0.5
    context = PHONE_CONTEXT
    negative = PHONE_NEGATIVE

    def base_score(self, m: re.Match[str]) -> float:
        return 0.85 if "852" in m.group(0)[:6] else 0.5


@register
class CnPhoneRecogniser(PatternRecogniser):
    name = "cn_phone"
    entity_type = "PHONE"
    pattern = re.compile(
        r"(?<![A-Za-z0-9_+])(?<!\d[\s-])(?:(?:\+|00)86[\s-]?|\(\+?86\)\s?)?"
        r"(?:1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}|0(?:10|2\d|[3-9]\d{2})[\s-]?\d{7,8})(?![A-Za-z0-9_]|[\s-]\d)")
    score = 0.7
    context = PHONE_CONTEXT
    negative = PHONE_NEGATIVE

    def base_score(self, m: re.Match[str]) -> float:
        s = m.group(0)
        if "86" in s[:5] and s[0] in "+0(":
            return 0.9
        return 0.75 if s.lstrip("(")[0] == "1" else 0.55


@register
class IntlPhoneRecogniser(PatternRecogniser):
    """Other numbers written as phones: +CC groups, (NNN) NNN-NNNN, NNN-NNN-NNNN, with extensions."""

    name = "intl_phone"
    entity_type = "PHONE"
    pattern = re.compile(
        r"(?<![A-Za-z0-9_+])(?<!\d[\s-])(?:"
        r"(?:\+|00)[1-9]\d{0,2}[\s.-]?(?:\(\d{1,4}\)[\s.-]?)?\d{1,4}(?:[\s.-]\d{2,4}){1,4}"
        r"|(?:1[\s.-])?\(\d{3}\)\s?\d{3}[\s.-]\d{4}"
        r"|(?:1[\s.-])?\d{3}[.-]\d{3}[.-]\d{4}"
        r")(?:\s?(?:x|ext\.?|#)\s?\d{1,5})?(?![A-Za-z0-9_])", re.IGNORECASE)
    score = 0.6
    context = PHONE_CONTEXT
    negative = PHONE_NEGATIVE

    def validate(self, m: re.Match[str]) -> bool:
        digits = re.sub(r"\D", "", m.group(0))
        return 7 <= len(digits) <= 16


@register
class PhoneInContextRecogniser(PatternRecogniser):
    """Any grouping of 7 to 13 digits (079 0442 1744, 01.84.17.61.18, (99) 645-791) right after a
    phone word such as Phone:, Mobile:, Tel, 電話; without one it is just a number."""

    name = "phone_in_context"
    entity_type = "PHONE"
    pattern = re.compile(r"(?<![A-Za-z0-9_+.-])(?<!\d[\s-])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?"
                         r"\d{2,5}(?:[\s.-]\d{2,5}){0,4}(?![A-Za-z0-9_]|[.-]?\d)")
    score = 0.3
    context_boost = 0.4
    context = PHONE_CONTEXT + ("desk", "office", "reach me", "call me", "text me", "ring", "dial")
    negative = PHONE_NEGATIVE
    require_context = True

    def validate(self, m: re.Match[str]) -> bool:
        digits = re.sub(r"\D", "", m.group(0))
        return 7 <= len(digits) <= 13


@register
class EmailRecogniser(PatternRecogniser):
    name = "email"
    entity_type = "EMAIL"
    pattern = re.compile(r"(?<![A-Za-z0-9_.+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                         r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24}(?![A-Za-z0-9_-])")
    score = 0.95
    context = ("email", "e-mail", "電郵", "电邮", "郵箱", "邮箱", "電子郵件", "电子邮件")


@register
class IpRecogniser(PatternRecogniser):
    name = "ip_address"
    entity_type = "IP_ADDRESS"
    pattern = re.compile(r"(?<![A-Za-z0-9_.:])(?:(?:\d{1,3}\.){3}\d{1,3}|(?=[0-9A-Fa-f:]*:[0-9A-Fa-f:]*:)"
                         r"[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:%\w+)?)(?![A-Za-z0-9_:]|\.\d)")
    score = 0.8
    context = ("ip", "ip address", "ip地址", "ip 地址", "server", "伺服器", "服务器", "host", "login from")
    negative = ("version", "ver.", "版本")

    def validate(self, m: re.Match[str]) -> bool:
        value = m.group(0)
        try:
            ip = ipaddress.ip_address(value.split("%")[0])
        except ValueError:
            return False
        return not (ip.version == 6 and value.count(":") < 2)
