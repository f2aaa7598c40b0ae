"""Street addresses: Hong Kong and Mainland in Chinese, Hong Kong and Western in English."""

from __future__ import annotations

import re

from ai_toolbox.text.pii import PatternRecogniser, register

_HAN = r"[\u4e00-\u9fff]"
# Chinese: optional region/district words, a street (街/道/路/里...) with a number (號/号), then
# building, block, floor and flat parts (大廈/座/樓/室...). At least a street number or a flat.
_ZH_STREET = (rf"{_HAN}{{1,8}}?(?:街|道|路|里|徑|径|坊|圍|围|巷|臺|台|大道)[東南西北中东]?"
              r"\s?\d{1,5}(?:-\d{1,5})?\s?[號号]")
_ZH_UNIT = (r"(?:\s?[\u4e00-\u9fffA-Za-z0-9]{1,12}?"
            r"(?:大廈|大厦|中心|大樓|大楼|花園|花园|邨|苑|閣|阁|廣場|广场|商場|商场|小區|小区|公寓|村|城|園|园|軒|轩|居|庭)"
            r"|\s?(?:第?[\dA-Za-z一二三四五六七八九十]{1,3}\s?(?:座|期|棟|栋|幢|單元|单元))"
            r"|\s?(?:\d{1,3}|[一二三四五六七八九十]{1,3}|地下|地庫)\s?[號号]?(?:樓|楼|層|层|字樓)"
            r"|\s?[\dA-Za-z]{1,4}\s?(?:室|號舖|号铺|舖|铺|號房|房))")
_ZH_PREFIX = rf"(?:(?:中國|中国|香港|九龍|九龙|新界|澳門|澳门|{_HAN}{{1,4}}?(?:省|市|區|区|縣|县|鎮|镇))\s?){{0,4}}"
ZH_ADDRESS = re.compile(rf"{_ZH_PREFIX}(?:{_ZH_STREET}(?:{_ZH_UNIT}){{0,5}}"
                        rf"|{_HAN}{{2,10}}?(?:大廈|大厦|邨|苑|花園|花园)(?:{_ZH_UNIT}){{1,4}})")

_STREET_WORDS = (r"Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Court|Ct|Way|Place|Pl|Terrace|Path|"
                 r"Square|Sq|Crescent|Cres|Highway|Hwy|Parkway|Pkwy|Circle|Cir|Trail|Trl|Alley|Walk|Close|Gardens|"
                 r"Estate|Centre|Center|Building|Bldg|Tower|House|Mansion|Plaza|Court|Route|Pike|Row|Loop|Ridge|"
                 r"Hill|Heights|View|Point|Park|Station|Harbor|Harbour|Cove|Creek|Glen|Grove|Knoll|Landing|Manor|"
                 r"Meadow|Mill|Mount|Oval|Pass|Pines|Port|Rapids|Shoal|Shores|Spring|Springs|Summit|Turnpike|"
                 r"Union|Valley|Villa|Village|Vista|Well|Wells")
_NAME = r"(?:[A-Z][a-zA-Z'’.-]*|\d{1,3}(?:st|nd|rd|th))"
_UNIT_EN = (r"(?:(?:Flat|Room|Rm|Unit|Suite|Ste|Apt\.?|Apartment|Shop)\s?[A-Z0-9-]{1,5},?[ \t]+)?"
            r"(?:\d{1,3}/F|G/F|\d{1,3}(?:st|nd|rd|th)[ \t]+Floor|Floor[ \t]+\d{1,3}),?[ \t]+")
_UNIT_EN_OPT = rf"(?:(?:Flat|Room|Rm|Unit|Suite|Ste|Apt\.?|Apartment|Shop)\s?[A-Z0-9-]{{1,5}},?[ \t]+)?(?:{_UNIT_EN})?"
_BLOCK_EN = r"(?:(?:Block|Blk|Tower)[ \t]+[A-Z0-9]{1,3},?[ \t]+)?"
_BUILDING_EN = (rf"(?:{_NAME}(?:[ \t]+{_NAME}){{0,3}}[ \t]+"
                r"(?:Building|Bldg|Tower|House|Mansion|Centre|Center|Court|Plaza|Estate|Gardens),?[ \t]+)?")
_STREET_EN = (r"(?:\d{1,6}[ \t]+)?"  # a postcode or second number before the house number
              rf"\d{{1,6}}[A-Z]?(?:-\d{{1,5}})?,?[ \t]+(?:{_NAME}[ \t]+){{0,4}}?(?:{_STREET_WORDS})\b\.?"
              r"(?:[ \t]+(?:Central|East|West|North|South)\b)?")
_SUITE_AFTER = r"(?:,?[ \t]+(?:Apt\.?|Apartment|Suite|Ste\.?|Unit|#)\s?[A-Z0-9-]{1,6})?"
_PLACE_AFTER = r"(?:,[ \t]+(?:[A-Z][a-zA-Z'-]+(?:[ \t]+[A-Z][a-zA-Z'-]+){0,2}))?"
EN_ADDRESS = re.compile(rf"(?<![\w-]){_UNIT_EN_OPT}{_BLOCK_EN}{_BUILDING_EN}{_STREET_EN}{_SUITE_AFTER}{_PLACE_AFTER}")

HK_DISTRICTS = ("Hong Kong", "Kowloon", "New Territories", "Central", "Wan Chai", "Causeway Bay", "North Point",
                "Quarry Bay", "Aberdeen", "Tsim Sha Tsui", "Mong Kok", "Yau Ma Tei", "Sham Shui Po", "Kwun Tong",
                "Sha Tin", "Tai Po", "Tsuen Wan", "Tuen Mun", "Yuen Long", "Tseung Kwan O", "Kowloon Bay",
                "Kowloon Tong", "Tai Koo", "Chai Wan", "Sai Ying Pun", "Kennedy Town", "Tung Chung", "Fanling",
                "Sheung Shui", "Ma On Shan", "Kwai Chung", "Tsing Yi", "Hung Hom", "To Kwa Wan", "Admiralty")
ADDRESS_CONTEXT = ("address", "addr", "live at", "lives at", "living at", "located at", "resides", "residing",
                   "地址", "住址", "居住", "住在", "通訊地址", "通讯地址", "送貨", "送货", "寄往")


_CAPITAL = "[A-ZÀ-ÞΆ-ΏΑ-Ω]"  # Latin and Greek capitals
# Small words inside place names: "Villafranca del Cid", "Ostrov nad Ohří", "Newcastle upon Tyne".
_LINK = (r"(?:de|del|della|di|da|do|dos|das|du|des|la|le|les|el|y|u|nad|pod|na|am|an|der|den|van|von|sur|sous|upon)"
         r"(?![\w'’-])")
# What follows a street line in a written address, each part after a comma or a line break: a flat
# or suite, a town or country (capitalised words, or all capitals), a state code, a postcode.
_TAIL_PART = (r"(?:(?:Apt\.?|Apartment|Suite|Ste\.?|Unit|Flat|Room)[ \t]?[A-Z0-9-]{1,6}"
              rf"|{_CAPITAL}[\w'’.-]*(?:[ \t]+(?:{_CAPITAL}[\w'’.-]*|\([\w'’. -]+\)|{_LINK}))*"
              r"(?:[ \t]+\d{4,6}|[ \t]+[A-Z]{2,3}[ \t]+\d{4,6})?"
              r"|\d{4,6})")
# A line that starts a new field ("Email: …", "Tel …", "Dear …") is not part of the address.
_FIELD = r"(?:E-?mail|Tel|Telephone|Phone|Fax|Mobile|Name|Date|Re|Subject|Dear|From|To|Cc|Ref|Website|Web)\b"
ADDRESS_TAIL = re.compile(rf"(?:[ \t]*(?:,[ \t]*\n?|\n)[ \t>]*(?!{_FIELD}){_TAIL_PART}(?![ \t]*:)){{1,5}}")


def with_tail(m: re.Match[str], end: int) -> int:
    """`end` moved past the flat, town, country and postcode parts that follow the street."""
    tail = ADDRESS_TAIL.match(m.string, end)
    return tail.end() if tail else end


@register
class ChineseAddressRecogniser(PatternRecogniser):
    name = "zh_address"
    entity_type = "ADDRESS"
    pattern = ZH_ADDRESS
    score = 0.75
    context = ADDRESS_CONTEXT
    context_boost = 0.2
    languages = frozenset({"zh-Hant", "zh-Hans"})

    def validate(self, m: re.Match[str]) -> bool | tuple[int, int]:
        s = m.group(0)
        start, end = m.span()
        # Leading words that only introduce the address (住在, 地址是) are not part of it.
        lead = re.match(r"^(?:地址是?|住址是?|住在|位於|位于|寄往|送往|於|于|在)", s)
        if lead:
            start += lead.end()
        else:
            # A verb glued to the front (停泊在, 搬到): cut after its preposition.
            cut = max(s.rfind(c, 0, 4) for c in "在於于往到至是為为")
            if cut >= 0:
                start += cut + 1
        return (start, end) if end - start >= 5 else False


@register
class EnglishAddressRecogniser(PatternRecogniser):
    name = "en_address"
    entity_type = "ADDRESS"
    pattern = EN_ADDRESS
    score = 0.7
    context = ADDRESS_CONTEXT
    context_boost = 0.2
    languages = frozenset({"en"})

    def validate(self, m: re.Match[str]) -> bool | tuple[int, int]:
        start, end = m.span()
        s = m.group(0)
        return (start, with_tail(m, end)) if len(s) >= 8 else False


# Continental European and Latin American streets: "Skoanveien 226", "ul. Słowicza 10",
# "Via Roma 131", "Rua do Paseo 46", each with an optional house number before and flat after.
_W = r"[^\W\d_][\w'’.-]*"
_INTL_SUFFIX = (r"(?:veien|vegen|vei|veg|vej|gade|gata|gatan|gate|vägen|väg|stræde|stien|bakken|katu|kuja|tie|polku|"
                r"strasse|straße|str\.|weg|laan|straat|gasse|allee|platz|plein|braut|straeti|raeti|utca|út|tér|"
                r"ova|ská|ského|cza|owa|ego|ska|ice|ulica)")
_INTL_PREFIX = r"(?:ul\.|Ul\.|Rua|Rúa|Via|Viale|Rue|Calle|Carrer|Avenida|Av\.|Piazza|Largo|Camino|Strada|Praça|Plaza)"
INTL_ADDRESS = re.compile(
    rf"(?<![\w-])(?:\d{{1,6}}[ \t]+){{0,2}}(?:"
    rf"{_INTL_PREFIX}(?:[ \t]+{_W}){{1,5}}?[ \t]+\d{{1,5}}[A-Za-z]?\b"
    rf"|(?:[A-ZÀ-Þ][\w'’.-]*[ \t]+){{0,2}}[^\W\d_][\w'’-]*{_INTL_SUFFIX}\.?[ \t]+\d{{1,5}}[A-Za-z]?\b\.?"
    rf"|\d{{1,5}}[ \t]+{_W}[ \t]+(?:Str\.|St\.|Rd\.|Ave\.)"
    rf")(?:,?[ \t]+(?:Apt\.?|Suite|Unit|Flat)[ \t]?\d{{1,5}})?", re.UNICODE)
MILITARY_ADDRESS = re.compile(
    r"(?:(?:PSC|Unit|CMR)[ \t]\d{3,5},?[ \t]Box[ \t]\d{3,5}|(?:USNS|USNV|USS|USCGC)[ \t][A-Z][\w'’-]+)"
    r"[ \t]*\n?[ \t]*(?:APO|FPO|DPO)[ \t](?:AA|AE|AP)[ \t]\d{5}")
PO_BOX = re.compile(r"\b(?:P\.?O\.?|Post Office)[ \t]Box[ \t]\d{1,6}\b", re.IGNORECASE)


@register
class InternationalAddressRecogniser(PatternRecogniser):
    name = "intl_address"
    entity_type = "ADDRESS"
    pattern = INTL_ADDRESS
    score = 0.6
    context = ADDRESS_CONTEXT
    context_boost = 0.2
    languages = frozenset({"en"})

    def validate(self, m: re.Match[str]) -> bool | tuple[int, int]:
        return m.start(), with_tail(m, m.end())


# A street written without a street word between two numbers, as many countries do:
# "03220 Augsburger Strasse 36", "692 Kuuse 53", "6614 Luite tee 87". Taken only when address parts
# follow it (", Suite 250, Lippenhuizen") or an address cue comes before it.
NUMBERED_STREET = re.compile(
    rf"(?<![\w.,-])\d{{1,6}}[ \t]+(?:{_CAPITAL}[\w'’.-]*[ \t]+){{0,3}}{_CAPITAL}[\w'’-]*(?:[ \t]+[a-zà-ÿ]{{1,5}})?"
    r"[ \t]+\d{1,5}[A-Za-z]?\b\.?(?:[ \t]+(?:Apt\.?|Apartment|Suite|Ste\.?|Unit|Flat)[ \t]?[A-Z0-9-]{1,6})?")
# Numbered parts of a document ("Table 1 Results 2019", "Chapter 3 Part 2"), which look like such streets.
_DOCUMENT_PARTS = (r"table|figure|fig\.|chapter|section|sec\.|page|part|item|schedule|annex|appendix|article|"
                   r"clause|rule|paragraph|para\.|grade|level|version|release|phase|stage|step|round|volume|vol\.|"
                   r"issue|no\.|number|year|years|class|group|division|question|q\.|point|list|case")
_NUMBERED_PART = re.compile(rf"\b(?:{_DOCUMENT_PARTS})\b", re.IGNORECASE)
_NUMBERED_BEFORE = re.compile(rf"\b(?:{_DOCUMENT_PARTS})[ \t]*$", re.IGNORECASE)


@register
class NumberedStreetRecogniser(PatternRecogniser):
    name = "numbered_street"
    entity_type = "ADDRESS"
    pattern = NUMBERED_STREET
    score = 0.45
    context = ADDRESS_CONTEXT
    context_boost = 0.2
    languages = frozenset({"en"})

    def base_score(self, m: re.Match[str]) -> float:
        return 0.65 if ADDRESS_TAIL.match(m.string, m.end()) else self.score

    def validate(self, m: re.Match[str]) -> bool | tuple[int, int]:
        # "Table 1 Results 2019, Appendix 3", "Chapter 3 Part 2, Division 1": numbered parts of a
        # document, not a street.
        if _NUMBERED_PART.search(m.group(0)) or _NUMBERED_BEFORE.search(m.string, 0, m.start()):
            return False
        return m.start(), with_tail(m, m.end())


@register
class PostalBoxRecogniser(PatternRecogniser):
    """Military (PSC 1437, Box 3833 APO AA 66791) and post-office box addresses."""

    name = "postal_box"
    entity_type = "ADDRESS"
    pattern = re.compile(f"{MILITARY_ADDRESS.pattern}|{PO_BOX.pattern}", re.IGNORECASE)
    score = 0.7
    context = ADDRESS_CONTEXT
    context_boost = 0.2
    languages = frozenset({"en"})
