"""Personal names: English (titles, cues, known given names, HK-style SURNAME Given) and Chinese
(surname + one or two characters next to cues such as 先生/女士/姓名：)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ai_toolbox.text.pii import PiiSpan, Recogniser, register

DATA = Path(__file__).parent.parent / "data"


@lru_cache(maxsize=1)
def _lists() -> tuple[list[str], frozenset[str], frozenset[str]]:
    zh = []
    for line in (DATA / "surnames_zh.txt").read_text("utf-8").splitlines():
        if not line.startswith("#"):
            zh.extend(line.split())
    given: set[str] = set()
    surnames: set[str] = set()
    target = given
    for line in (DATA / "names_en.txt").read_text("utf-8").splitlines():
        if line.startswith("# surnames"):
            target = surnames
            continue
        if line.startswith("# ambiguous"):
            break
        if not line.startswith("#"):
            target.update(line.split())
    return sorted(set(zh), key=len, reverse=True), frozenset(given), frozenset(surnames)


_UP = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĖĘĚĜĞĠĢĤĦĨĪĮİĶĹĻĽŁŃŅŇŌŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ"
_LOW = "a-zß-öø-ÿāăąćĉċčďđēėęěĝğġģĥħĩīįıķĺļľłńņňōőœŕŗřśŝşšţťŧũūŭůűųŵŷźżžð"


@lru_cache(maxsize=1)
def _places() -> frozenset[str]:
    """Countries and regions (lower-case): after "to" / "from" these are where, not who."""
    lines = (DATA / "places_en.txt").read_text("utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def _is_place_after_to(cue: str, name: str, known: frozenset[str], header: bool) -> bool:
    """'flew to France', 'back from STAXROITH', 'returned to Altoona': in running text, after "to" /
    "from", a known place, a single word in capitals, or a single word that is no listed given name
    or surname is a place. 'To: Smith' (a letter's header), 'to Chan Tai Man', 'from Mary' stay names."""
    if cue.lower() not in ("to", "from"):
        return False
    words = name.split()
    if name.lower() in _places() or " ".join(words[:2]).lower() in _places():
        return True
    return not header and len(words) == 1 and (name.isupper() or name not in known)


@lru_cache(maxsize=1)
def _ambiguous() -> frozenset[str]:
    """Given names that are also ordinary words (May, Grace, Will): names only next to another name."""
    text = (DATA / "names_en.txt").read_text("utf-8")
    section = text.split("# ambiguous", 1)[1] if "# ambiguous" in text else ""
    return frozenset(w for line in section.splitlines() if not line.startswith("#") for w in line.split())


_CAP = rf"[{_UP}][{_LOW}]+(?:[-'’][{_UP}]?[{_LOW}]+)?"
_TITLE = r"(?:Mr|Mrs|Ms|Miss|Mdm|Madam|Dr|Prof|Professor|Sir|Dame|Lady|Lord|Rev|Hon|Mister|Doctor|Judge|Justice)"
_EN_TITLED = re.compile(rf"\b{_TITLE}\.?[ \t]+((?:{_CAP}|[A-Z]\.)(?:[ \t]+(?:{_CAP}|[A-Z]\.|[A-Z]{{2,}})){{0,3}})")
_EN_CUE = re.compile(r"(?i:\b(name|full name|applicant|contact person|contact|signed|signature|complainant|"
                     r"patient|tenant|employee|officer in charge|attention|attn|dear|from|prepared by|to))"
                     r"[ \t]*[:：,]?[ \t]+"
                     rf"((?:{_CAP}|[A-Z]{{2,}})(?:[ \t]+(?:{_CAP}|[A-Z]{{2,}}|[A-Z]\.)){{0,3}})")
# A lookahead, so that "Yesterday Wong Tai Man" is also tried from "Wong".
_EN_PAIR = re.compile(rf"(?<![\w-])(?=({_CAP}|[A-Z]{{2,}})((?:[ \t]+(?:[A-Z]\.|{_CAP}|[A-Z]{{2,}})){{1,3}}))")
_EN_SINGLE = re.compile(rf"(?<![\w-])({_CAP})(?![\w-])")
# Endings of surnames in many European languages, for pairs whose given name is not listed.
_SURNAME_END = re.compile(r"(?:sen|son|ssen|sson|ski|ska|sky|skiy|ov|ova|ová|ev|eva|ich|vich|ić|vić|ez|es|ner|mann|"
                          r"berg|stein|ini|elli|etti|ucci|escu|opoulos|ides|yan|ian|enko|chuk|czyk|wicz|ak|ek|ik|ó|á|"
                          r"é|ý|dóttir|dottir|ás|és|ay|ey|ley|ton|ford|well|wood|field|worth)$")
_SENTENCE_WORDS = frozenset([
    "The", "This", "That", "These", "Those", "There", "Then", "When", "Where", "What", "Which", "Who", "Why", "How",
    "Please", "Dear", "From", "To", "For", "With", "Our", "Your", "Their", "His", "Her", "Its", "And", "But", "Or",
    "If", "In", "On", "At", "By", "Of", "As", "It", "We", "You", "They", "He", "She", "I", "A", "An", "Hong",
    "Kong", "Kowloon", "Street", "Road", "Department", "Office", "Bureau", "Monday", "Tuesday", "Wednesday",
    "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December", "Government", "Centre", "Building"
])

ZH_CUES = ("姓名", "名字", "申請人", "申请人", "聯絡人", "联络人", "聯系人", "联系人", "投訴人", "投诉人", "收件人",
           "負責人", "负责人", "當事人", "当事人", "患者", "病人", "租客", "業主", "业主", "僱員", "雇员", "簽署",
           "签署", "持有人", "受款人", "客戶", "客户", "學生", "学生", "員工", "员工", "戶主", "户主",
           "登記人", "登记人", "致")
ZH_TITLES = ("先生", "女士", "小姐", "太太", "博士", "醫生", "医生", "教授", "議員", "议员", "律師", "律师", "主席",
             "經理", "经理", "同學", "同学", "老師", "老师", "校長", "校长", "主任", "督察", "警員", "警员", "伯伯",
             "婆婆", "師傅", "师傅", "夫人")
@lru_cache(maxsize=1)
def _zh_words() -> tuple[tuple[str, ...], frozenset[str]]:
    """Verbs that follow a name in case notes (陳大文表示), and words that only look like names."""
    sections: dict[str, list[str]] = {}
    current = ""
    for line in (DATA / "names_zh.txt").read_text("utf-8").splitlines():
        if line.startswith("# ["):
            current = line[3:line.index("]")]
        elif line.strip() and not line.startswith("#"):
            sections.setdefault(current, []).extend(line.split())
    return tuple(sections.get("verbs", [])), frozenset(sections.get("not_names", []))


# Characters that end a given name early: particles and verbs that follow names in running text.
_ZH_STOP = set("的是在了和與与及跟同提交於于向到說说等將将已被把為为請请因從从由曾並并也都就還还要會会說話话稱称表示"
               "指出今昨明前後后曰道於今年月日時时先女太博醫医教議议律主經经同老校督警伯婆師师夫，。、；：！？ ")


@register
class EnglishNameRecogniser(Recogniser):
    name = "en_person"
    entity_types = frozenset({"PERSON"})
    languages = frozenset({"en", "zh-Hant", "zh-Hans"})

    def analyze(self, text: str):
        _, given, surnames = _lists()
        ambiguous = _ambiguous()
        for m in _EN_TITLED.finditer(text):
            yield self._span(text, m.start(1), m.end(1), 0.85)
        known = given | surnames
        for m in _EN_CUE.finditer(text):
            first = m.group(2).split()[0]
            header = ":" in m.group(0) or "：" in m.group(0)
            if first in _SENTENCE_WORDS or _is_place_after_to(m.group(1), m.group(2), known, header):
                continue
            yield self._span(text, m.start(2), m.end(2), 0.7)
        taken: list[tuple[int, int]] = []
        for m in _EN_PAIR.finditer(text):
            first = m.group(1)
            rest = m.group(2).split()
            if first in _SENTENCE_WORDS:
                continue
            known_first = first in given or (first.isupper() and first.title() in surnames)
            # Keep the following capitalised words that look like names, stop at sentence words.
            end = m.end(1)
            kept = 0
            for w in rest:
                if w in _SENTENCE_WORDS:
                    break
                end = text.index(w, end) + len(w)
                kept += 1
            if kept == 0:
                continue
            last = rest[kept - 1]
            looks_surname = last in surnames or last.title() in surnames or bool(_SURNAME_END.search(last))
            if known_first:
                score = 0.75 if (looks_surname or first.isupper()) else 0.6
            elif looks_surname and (first in surnames or _SURNAME_END.search(first) is None) and kept <= 2:
                score = 0.55  # an unlisted given name before a surname-shaped word
            elif first in surnames and kept == 2 and all(len(w) <= 5 for w in rest[:2]):
                score = 0.6  # Hong Kong order: Chan Tai Man
            else:
                continue
            taken.append((m.start(1), end))
            yield self._span(text, m.start(1), end, score)
        for m in _EN_SINGLE.finditer(text):
            word = m.group(1)
            if (word in given and word not in ambiguous and word not in _SENTENCE_WORDS
                    and not any(a <= m.start() < b for a, b in taken)):
                yield self._span(text, m.start(1), m.end(1), 0.55)

    def _span(self, text: str, start: int, end: int, score: float) -> PiiSpan:
        return PiiSpan(start=start, end=end, type="PERSON", score=score, text=text[start:end], recogniser=self.name)


@register
class ChineseNameRecogniser(Recogniser):
    name = "zh_person"
    entity_types = frozenset({"PERSON"})
    languages = frozenset({"zh-Hant", "zh-Hans"})

    def __init__(self) -> None:
        self._re: tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]] | None = None

    def _patterns(self) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
        if self._re is None:
            zh, _, _ = _lists()
            sur = "|".join(map(re.escape, zh))
            cues = "|".join(map(re.escape, sorted(ZH_CUES, key=len, reverse=True)))
            titles = "|".join(map(re.escape, sorted(ZH_TITLES, key=len, reverse=True)))
            cue = re.compile(rf"(?:{cues})\s*(?:[:：]|是|為|为)?\s*((?:{sur})[\u4e00-\u9fff]{{1,2}})")
            titled = re.compile(rf"(?=((?:{sur})[\u4e00-\u9fff]{{1,2}}?)(?:{titles}))")
            verbs = "|".join(map(re.escape, _zh_words()[0]))
            before_verb = re.compile(rf"(?<![\u4e00-\u9fff])((?:{sur})[\u4e00-\u9fff]{{1,2}}?)(?:{verbs})"
                                     rf"|(?<=[昨今明前]日|[昨今明]天|早上|下午|晚上)((?:{sur})[\u4e00-\u9fff]{{1,2}}?)(?:{verbs})")
            self._re = (cue, titled, before_verb)
        return self._re

    def analyze(self, text: str):
        cue, titled, before_verb = self._patterns()
        for m in before_verb.finditer(text):
            group = 1 if m.group(1) else 2
            start, end = m.span(group)
            name = text[start:end]
            not_names = _zh_words()[1]
            if name in not_names or name[:2] in not_names or any(c in _ZH_STOP for c in name[1:]):
                continue
            yield PiiSpan(start=start, end=end, type="PERSON", score=0.6, text=name, recogniser=self.name)
        for m in cue.finditer(text):
            start, end = m.span(1)
            name = text[start:end]
            if len(name) == 3 and name[2] in _ZH_STOP:
                end -= 1
            if end - start >= 2 and text[end - 1] not in _ZH_STOP:
                yield PiiSpan(start=start, end=end, type="PERSON", score=0.85, text=text[start:end],
                              recogniser=self.name)
        for m in titled.finditer(text):
            start, end = m.span(1)
            name = text[start:end]
            if any(c in _ZH_STOP for c in name[1:]):
                continue
            # A surname alone before a title (陳先生) is left as is: it names no one by itself.
            if end - start >= 2:
                score = 0.8 if end - start == 3 else 0.7
                yield PiiSpan(start=start, end=end, type="PERSON", score=score, text=name, recogniser=self.name)
