"""A seeded generator of trilingual (en / zh-Hant / zh-Hans) Hong Kong and Mainland PII test data.

Each record is `{"id", "language", "text", "spans": [{"start", "end", "type", "value"}],
"decoys": [...]}`, the format of the shared PII data plus `decoys`: numbers shaped like IDs whose
check digit, date or region is deliberately wrong. Decoys are not PII; the evaluation counts any
ID span that overlaps one (the target is zero).

    python -m ai_toolbox.text.synth --n 600 --seed 7 > pii_hk.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Callable

from ai_toolbox.text.convert import convert
from ai_toolbox.text.recognisers.finance import luhn_ok
from ai_toolbox.text.recognisers.ids import CN_PROVINCES, cn_id_check_char, hkid_check_digit

EN_GIVEN = ["Tai Man", "Siu Ming", "Ka Yan", "Wing Kei", "Chi Keung", "Mei Ling", "Hoi Yee", "Kwok Wai"]
EN_WESTERN = ["Peter", "Mary", "Jennifer", "Michael", "Karen", "David", "Emily", "Kevin", "Winnie", "Alan"]
EN_SURNAMES = ["Chan", "Wong", "Lee", "Cheung", "Lau", "Leung", "Ho", "Ng", "Chow", "Lam", "Tsang", "Yeung"]
ZH_SURNAMES = ["陳", "李", "張", "黃", "王", "劉", "林", "吳", "梁", "何", "楊", "趙", "周", "鄭", "歐陽", "司徒"]
ZH_GIVEN = ["大文", "小明", "嘉欣", "志強", "美玲", "家豪", "詠詩", "俊傑", "麗", "偉", "芳", "建國", "淑儀", "子軒"]
EN_TITLES = ["Mr.", "Mr", "Ms.", "Mrs.", "Dr.", "Miss"]
ZH_TITLES = ["先生", "女士", "小姐", "太太", "博士"]
HK_STREETS_EN = [("Nathan Road", "Mong Kok"), ("King's Road", "North Point"), ("Hennessy Road", "Wan Chai"),
                 ("Queen's Road Central", "Central"), ("Castle Peak Road", "Tsuen Wan"),
                 ("Des Voeux Road West", "Sai Ying Pun"), ("Sha Tsui Road", "Tsuen Wan"), ("Argyle Street", "Mong Kok")]
HK_STREETS_ZH = [("九龍", "旺角", "彌敦道"), ("香港", "北角", "英皇道"), ("香港", "灣仔", "軒尼詩道"),
                 ("新界", "荃灣", "青山公路"), ("九龍", "觀塘", "開源道"), ("香港", "西營盤", "德輔道西")]
CN_STREETS = [("北京市", "朝阳区", "建国路"), ("上海市", "浦东新区", "世纪大道"),
              ("广东省深圳市", "南山区", "科技园路"), ("广东省广州市", "天河区", "天河路"),
              ("浙江省杭州市", "西湖区", "文三路")]
BUILDINGS_EN = ["Prosperity Building", "Golden Tower", "Harbour Centre", "Pacific Mansion", "Lucky Court"]
BUILDINGS_ZH = ["好景大廈", "金輝中心", "海港中心", "太平洋大廈", "幸福閣"]
HK_BANKS = ["004", "012", "024", "003", "009", "015", "039"]


class Builder:
    """Builds one text from literal pieces and PII pieces, recording the spans."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.spans: list[dict] = []
        self.decoys: list[dict] = []
        self.pos = 0

    def lit(self, s: str) -> Builder:
        self.parts.append(s)
        self.pos += len(s)
        return self

    def pii(self, s: str, type_: str, decoy: bool = False) -> Builder:
        (self.decoys if decoy else self.spans).append(
            {"start": self.pos, "end": self.pos + len(s), "type": type_, "value": s})
        return self.lit(s)

    @property
    def text(self) -> str:
        return "".join(self.parts)


# --- values ---------------------------------------------------------------------------------

def hkid(r: random.Random, valid: bool = True) -> str:
    prefix = "".join(r.choice("ABCDEGKPRZ") for _ in range(r.choice([1, 1, 1, 2])))
    digits = "".join(r.choice("0123456789") for _ in range(6))
    check = hkid_check_digit(prefix, digits)
    if not valid:
        check = r.choice([c for c in "0123456789A" if c != check])
    return f"{prefix}{digits}({check})" if r.random() < 0.8 else f"{prefix}{digits}{check}"


def cn_id(r: random.Random, valid: bool = True) -> str:
    provinces = sorted(p for p in CN_PROVINCES if p not in ("71", "81", "82", "83"))
    region = r.choice(provinces) + f"{r.randint(1, 9999):04d}"
    born = f"{r.randint(1950, 2005)}{r.randint(1, 12):02d}{r.randint(1, 28):02d}"
    body = region + born + f"{r.randint(0, 999):03d}"
    check = cn_id_check_char(body)
    if not valid:
        check = r.choice([c for c in "0123456789X" if c != check])
    return body + check


def phone_hk(r: random.Random) -> str:
    n = f"{r.choice('235679')}{r.randint(0, 999):03d}{r.randint(0, 9999):04d}"
    style = r.randrange(4)
    return [f"{n[:4]} {n[4:]}", f"+852 {n[:4]} {n[4:]}", f"+852-{n}", n][style]


def phone_cn(r: random.Random) -> str:
    n = f"1{r.choice('3456789')}{r.randint(0, 9)}{r.randint(0, 99999999):08d}"
    style = r.randrange(4)
    return [n, f"+86 {n}", f"{n[:3]}-{n[3:7]}-{n[7:]}", f"+86-{n[:3]} {n[3:7]} {n[7:]}"][style]


def card(r: random.Random, valid: bool = True) -> str:
    prefix = r.choice(["4", "51", "52", "55", "62", "37"])
    length = 15 if prefix == "37" else 16
    body = prefix + "".join(str(r.randint(0, 9)) for _ in range(length - len(prefix) - 1))
    check = next(str(d) for d in range(10) if luhn_ok(body + str(d)) == valid)
    n = body + check
    if length == 15:
        return f"{n[:4]} {n[4:10]} {n[10:]}"
    return " ".join(n[i:i + 4] for i in range(0, 16, 4)) if r.random() < 0.7 else n


def bank(r: random.Random) -> str:
    code = r.choice(HK_BANKS)
    return r.choice([f"{code}-{r.randint(100, 999)}-{r.randint(100000, 999999)}-{r.randint(1, 999):03d}",
                     f"{code}-{r.randint(100000, 999999)}-{r.randint(100, 999)}",
                     f"{code}-{r.randint(100, 999)}-{r.randint(1000000, 99999999)}"])


def ip(r: random.Random) -> str:
    if r.random() < 0.8:
        return ".".join(str(r.randint(1, 254)) for _ in range(4))
    return "2001:db8:" + ":".join(f"{r.randint(0, 65535):x}" for _ in range(3)) + "::" + f"{r.randint(1, 999):x}"


def plate(r: random.Random) -> str:
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    return f"{r.choice(letters)}{r.choice(letters)}{r.choice(['', ' '])}{r.randint(1, 9999)}"


def passport(r: random.Random) -> str:
    return r.choice([f"K{r.randint(10000000, 99999999)}", f"H{r.randint(10000000, 99999999)}",
                     f"E{r.randint(10000000, 99999999)}", f"E{r.choice('ABCDEFG')}{r.randint(1000000, 9999999)}"])


def permit(r: random.Random) -> str:
    return r.choice([f"H{r.randint(10000000, 99999999)}", f"M{r.randint(10000000, 99999999)}",
                     f"H{r.randint(1000000000, 9999999999)}"])


def macao(r: random.Random) -> str:
    return f"{r.choice('157')}{r.randint(0, 999999):06d}({r.randint(0, 9)})"


def dob(r: random.Random, lang: str) -> str:
    y, m, d = r.randint(1940, 2010), r.randint(1, 12), r.randint(1, 28)
    if lang == "en":
        months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                  "October", "November", "December"]
        return r.choice([f"{d:02d}/{m:02d}/{y}", f"{d} {months[m - 1]} {y}", f"{y}-{m:02d}-{d:02d}"])
    return r.choice([f"{y}年{m}月{d}日", f"{y}-{m:02d}-{d:02d}"])


def email(r: random.Random) -> str:
    user = r.choice(["chan.taiman", "wong_km", "mary.lee", "k.cheung", "ho.siuming", "amy2024", "jlam"])
    return f"{user}{r.randint(1, 99)}@{r.choice(['gmail.com', 'yahoo.com.hk', 'netvigator.com', 'qq.com', '163.com'])}"


def name_en(r: random.Random) -> str:
    if r.random() < 0.5:
        return f"{r.choice(EN_SURNAMES)} {r.choice(EN_GIVEN)}"
    return f"{r.choice(EN_WESTERN)} {r.choice(EN_SURNAMES)}"


def name_zh(r: random.Random) -> str:
    return r.choice(ZH_SURNAMES) + r.choice(ZH_GIVEN)


def address_en(r: random.Random) -> str:
    street, district = r.choice(HK_STREETS_EN)
    flat = f"Flat {r.choice('ABCDEFGH')}, {r.randint(2, 40)}/F, "
    bldg = f"{r.choice(BUILDINGS_EN)}, " if r.random() < 0.6 else ""
    return f"{flat}{bldg}{r.randint(1, 999)} {street}, {district}"


def address_zh(r: random.Random) -> str:
    if r.random() < 0.35:
        prov, dist, road = r.choice(CN_STREETS)
        return f"{prov}{dist}{road}{r.randint(1, 999)}号{r.randint(1, 30)}栋{r.randint(1, 30)}{r.randint(1, 9):02d}室"
    region, dist, road = r.choice(HK_STREETS_ZH)
    flat = f"{r.randint(2, 40)}樓{r.choice('ABCDEFGH')}室"
    return f"{region}{dist}{road}{r.randint(1, 999)}號{r.choice(BUILDINGS_ZH)}{flat}"


# --- sentences --------------------------------------------------------------------------------

def _en(r: random.Random) -> Builder:
    b = Builder()
    n = r.randrange(14)
    if n == 0:
        b.lit(f"{r.choice(EN_TITLES)} ").pii(name_en(r), "PERSON").lit(" called from ").pii(phone_hk(r), "PHONE")
        b.lit(" about the renewal of HKID ").pii(hkid(r), "HKID").lit(".")
    elif n == 1:
        b.lit("Name: ").pii(name_en(r), "PERSON").lit("\nAddress: ").pii(address_en(r), "ADDRESS")
        b.lit("\nEmail: ").pii(email(r), "EMAIL")
    elif n == 2:
        b.lit("Please refund the deposit to account ").pii(bank(r), "BANK_ACCOUNT").lit(" of ")
        b.lit(f"{r.choice(EN_TITLES)} ").pii(name_en(r), "PERSON").lit(".")
    elif n == 3:
        b.lit("The applicant's date of birth is ").pii(dob(r, "en"), "DATE_OF_BIRTH")
        b.lit(" and the passport number is ").pii(passport(r), "PASSPORT").lit(".")
    elif n == 4:
        b.lit("Paid by card ").pii(card(r), "CREDIT_CARD").lit("; the login came from IP ").pii(ip(r), "IP_ADDRESS")
        b.lit(".")
    elif n == 5:
        b.lit("The vehicle with registration mark ").pii(plate(r), "VEHICLE_PLATE")
        b.lit(" was parked outside ").pii(address_en(r), "ADDRESS").lit(".")
    elif n == 6:
        b.lit("Mainland resident ID ").pii(cn_id(r), "CN_ID").lit(", mobile ").pii(phone_cn(r), "PHONE").lit(".")
    elif n == 7:
        b.lit("The HKID number ").pii(hkid(r, valid=False), "HKID", decoy=True)
        b.lit(" on the form fails its check digit; the case reference is CR-").lit(str(r.randint(1000, 9999)))
        b.lit(".")
    elif n == 8:
        b.lit("Home return permit ").pii(permit(r), "TRAVEL_PERMIT").lit(" and Macao ID ").pii(macao(r), "MACAO_ID")
        b.lit(" were both shown.")
    elif n == 9:
        b.lit("The card number ").pii(card(r, valid=False), "CREDIT_CARD", decoy=True)
        b.lit(" was rejected, and resident ID ").pii(cn_id(r, valid=False), "CN_ID", decoy=True)
        b.lit(" does not exist.")
    elif n == 10:
        b.lit("Dear ").lit(f"{r.choice(EN_TITLES)} ").pii(name_en(r), "PERSON")
        b.lit(", we will reply to ").pii(email(r), "EMAIL").lit(" within 10 working days (ref. No. 12, Cap. 486).")
    elif n == 11:
        b.lit("The meeting on 3 May discussed HK$1.5 million for 2,000 households in Sha Tin (Cap. 486, No. 12).")
    elif n == 12:
        # Harder: a name in running text without a title or cue, a phone without a phone word.
        b.lit("Yesterday ").pii(name_en(r), "PERSON").lit(" asked us to reach her on ").pii(phone_hk(r), "PHONE")
        b.lit(" after 6 pm.")
    else:
        b.lit("Our officer visited ").pii(address_en(r), "ADDRESS").lit(" and met ").pii(name_en(r), "PERSON")
        b.lit(" there.")
    return b


def _zh(r: random.Random) -> Builder:
    b = Builder()
    n = r.randrange(14)
    if n == 0:
        b.pii(name_zh(r), "PERSON").lit(f"{r.choice(ZH_TITLES)}致電 ").pii(phone_hk(r), "PHONE")
        b.lit("，查詢身份證 ").pii(hkid(r), "HKID").lit(" 的續期事宜。")
    elif n == 1:
        b.lit("姓名：").pii(name_zh(r), "PERSON").lit("\n地址：").pii(address_zh(r), "ADDRESS")
        b.lit("\n電郵：").pii(email(r), "EMAIL")
    elif n == 2:
        b.lit("請將按金退回").pii(name_zh(r), "PERSON").lit(f"{r.choice(ZH_TITLES)}的銀行戶口 ")
        b.pii(bank(r), "BANK_ACCOUNT")
        b.lit("。")
    elif n == 3:
        b.lit("申請人出生日期：").pii(dob(r, "zh"), "DATE_OF_BIRTH").lit("，護照號碼 ").pii(passport(r), "PASSPORT")
        b.lit("。")
    elif n == 4:
        b.lit("以信用卡 ").pii(card(r), "CREDIT_CARD").lit(" 付款，登入 IP 地址為 ").pii(ip(r), "IP_ADDRESS").lit("。")
    elif n == 5:
        b.lit("車牌 ").pii(plate(r), "VEHICLE_PLATE").lit(" 的私家車停泊在").pii(address_zh(r), "ADDRESS").lit("外。")
    elif n == 6:
        b.lit("居民身份證號碼 ").pii(cn_id(r), "CN_ID").lit("，手機 ").pii(phone_cn(r), "PHONE").lit("。")
    elif n == 7:
        b.lit("表格上的身份證號碼 ").pii(hkid(r, valid=False), "HKID", decoy=True)
        b.lit(" 核對數字不符，個案編號為 ").lit(str(r.randint(100000, 999999))).lit("。")
    elif n == 8:
        b.lit("回鄉證號碼 ").pii(permit(r), "TRAVEL_PERMIT").lit("，澳門身份證 ").pii(macao(r), "MACAO_ID").lit("。")
    elif n == 9:
        b.lit("信用卡號 ").pii(card(r, valid=False), "CREDIT_CARD", decoy=True)
        b.lit(" 無效，身份證號碼 ").pii(cn_id(r, valid=False), "CN_ID", decoy=True).lit(" 並不存在。")
    elif n == 10:
        b.lit("聯絡人：").pii(name_zh(r), "PERSON").lit("，電話 ").pii(phone_hk(r), "PHONE").lit("，電郵 ")
        b.pii(email(r), "EMAIL").lit("。")
    elif n == 11:
        b.lit("會議討論了撥款港幣一百五十萬元，資助沙田區二千個家庭（第486章）。")
    elif n == 12:
        # Harder: a name with no cue or title, an address with no address word.
        b.lit("昨日").pii(name_zh(r), "PERSON").lit("到訪").pii(address_zh(r), "ADDRESS").lit("，要求跟進。")
    else:
        b.lit("如有查詢，請致電 ").pii(phone_cn(r), "PHONE").lit(" 或電郵至 ").pii(email(r).upper(), "EMAIL").lit("。")
    return b


def _to_simplified(b: Builder) -> Builder:
    """Re-build the same record in Simplified Chinese, keeping spans aligned piece by piece."""
    out = Builder()
    pos = 0
    marks = sorted([(s, False) for s in b.spans] + [(d, True) for d in b.decoys], key=lambda x: x[0]["start"])
    text = b.text
    for span, decoy in marks:
        out.lit(convert(text[pos:span["start"]], "hk2s", glossary=False))
        value = convert(span["value"], "hk2s", glossary=False)
        out.pii(value, span["type"], decoy=decoy)
        pos = span["end"]
    out.lit(convert(text[pos:], "hk2s", glossary=False))
    return out


GENERATORS: dict[str, Callable[[random.Random], Builder]] = {"en": _en, "zh-Hant": _zh, "zh-Hans": _zh}


def generate(n: int = 600, seed: int = 7) -> list[dict]:
    """`n` records, a third in each language, the same for the same seed."""
    r = random.Random(seed)
    out = []
    for i in range(n):
        lang = ("en", "zh-Hant", "zh-Hans")[i % 3]
        b = GENERATORS[lang](r)
        if lang == "zh-Hans":
            b = _to_simplified(b)
        out.append({"id": f"hk-{seed}-{i}", "language": lang, "text": b.text, "spans": b.spans, "decoys": b.decoys})
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=600)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    for rec in generate(args.n, args.seed):
        sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
