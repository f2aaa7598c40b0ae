"""Payment cards (Luhn), Hong Kong bank accounts, IBANs."""

from __future__ import annotations

import re

from ai_toolbox.text.pii import PatternRecogniser, register


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


@register
class CardRecogniser(PatternRecogniser):
    name = "payment_card"
    entity_type = "CREDIT_CARD"
    pattern = re.compile(r"(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])")
    score = 0.85
    context = ("card", "credit", "visa", "mastercard", "信用卡", "銀行卡", "银行卡", "卡號", "卡号", "unionpay",
               "銀聯", "银联")

    def validate(self, m: re.Match[str]) -> bool:
        digits = re.sub(r"\D", "", m.group(0))
        # 17- and 18-digit cards are not issued; 18 digits is a Mainland resident ID's length.
        if not (13 <= len(digits) <= 16 or len(digits) == 19) or not luhn_ok(digits):
            return False
        # Issuer prefixes: Visa, Mastercard, Amex, Diners, Discover, JCB (incl. 15-digit 1800/2131),
        # UnionPay, Maestro.
        return bool(re.match(r"4|5[1-5]|2[2-7]|3[47]|3[0689]|6(?:011|5|4[4-9]|2)|35|5[06-9]|1800|2131", digits))


# Bank codes of licensed banks in Hong Kong (HKMA clearing codes), the first part of an account number.
HK_BANK_CODES = frozenset([
    "003", "004", "005", "006", "007", "009", "012", "015", "016", "018", "020", "022", "024", "025", "027", "028",
    "035", "038", "039", "040", "041", "043", "045", "046", "047", "049", "050", "052", "054", "055", "056", "061",
    "063", "069", "071", "072", "074", "075", "076", "080", "081", "082", "085", "086", "092", "097", "103", "106",
    "118", "128", "145", "150", "151", "152", "153", "161", "164", "165", "170", "178", "183", "185", "186", "187",
    "198", "199", "201", "202", "203", "204", "205", "210", "214", "221", "222", "227", "229", "230", "238", "241",
    "242", "243", "245", "248", "249", "250", "251", "254", "258", "260", "263", "264", "265", "267", "268", "269",
    "271", "272", "273", "274", "275", "276", "277", "278", "307", "308", "309", "316", "320", "324", "337", "338",
    "339", "342", "344", "345", "353", "357", "359", "361", "368", "371", "372", "374", "376", "377", "378", "379",
    "380", "381", "382", "383", "384", "385", "386", "387", "388", "389", "390", "391", "392", "393", "394", "395",
    "396", "397", "398"
])
BANK_CONTEXT = ("account", "a/c", "acct", "bank", "戶口", "户口", "賬戶", "账户", "帳戶", "帳號", "账号", "賬號",
                "銀行", "银行", "轉賬", "转账", "存入", "匯款", "汇款", "fps", "轉數快")


@register
class HkBankAccountRecogniser(PatternRecogniser):
    """Hong Kong account numbers: a 3-digit bank code, then branch and account digits in groups."""

    name = "hk_bank_account"
    entity_type = "BANK_ACCOUNT"
    pattern = re.compile(r"(?<![\d-])(\d{3})[- ](\d{3,6})[- ](\d{1,9})(?:[- ](\d{1,9}))?(?:[- ](\d{1,3}))?(?![\d-])")
    score = 0.55
    context = BANK_CONTEXT

    def validate(self, m: re.Match[str]) -> bool:
        digits = re.sub(r"\D", "", m.group(0))
        return m.group(1) in HK_BANK_CODES and 9 <= len(digits) <= 16

    def base_score(self, m: re.Match[str]) -> float:
        return 0.6


@register
class PlainAccountRecogniser(PatternRecogniser):
    """An unformatted run of 9 to 16 digits counts as an account number only next to account words."""

    name = "account_in_context"
    entity_type = "BANK_ACCOUNT"
    pattern = re.compile(r"(?<![\d-])\d{9,16}(?![\d-])")
    score = 0.35
    context = BANK_CONTEXT
    require_context = True


@register
class IbanRecogniser(PatternRecogniser):
    name = "iban"
    entity_type = "BANK_ACCOUNT"
    pattern = re.compile(r"(?<![A-Z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![A-Z0-9])")
    score = 0.85
    context = ("iban", "account", "bank")

    def validate(self, m: re.Match[str]) -> bool:
        value = m.group(0).replace(" ", "")
        if not 15 <= len(value) <= 34:
            return False
        rearranged = value[4:] + value[:4]
        number = "".join(str(int(c, 36)) for c in rearranged)
        return int(number) % 97 == 1
