"""Dates of birth (a valid date with birth context before it) and Hong Kong vehicle plates."""

from __future__ import annotations

import re
from datetime import date

from ai_toolbox.text.pii import PatternRecogniser, register

MONTHS = {m: i for i, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")], start=1) for m in names}
_MON = "|".join(sorted(MONTHS, key=len, reverse=True))
DOB_CONTEXT = ("date of birth", "dob", "d.o.b", "d.o.b.", "born", "birthday", "birth date", "出生日期", "出生",
               "生日", "出生年月日", "生於", "生于")


@register
class DateOfBirthRecogniser(PatternRecogniser):
    name = "date_of_birth"
    entity_type = "DATE_OF_BIRTH"
    pattern = re.compile(
        rf"(?<![A-Za-z0-9_])(?:(?P<y1>(?:19|20)\d{{2}})\s?[-/.年]\s?(?P<m1>\d{{1,2}})\s?[-/.月]\s?(?P<d1>\d{{1,2}})日?"
        rf"|(?P<d2>\d{{1,2}})[-/.](?P<m2>\d{{1,2}})[-/.](?P<y2>(?:19|20)\d{{2}})"
        rf"|(?P<d3>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m3>{_MON})\.?,?\s+(?P<y3>(?:19|20)\d{{2}})"
        rf"|(?P<m4>{_MON})\.?\s+(?P<d4>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y4>(?:19|20)\d{{2}}))(?![\d])",
        re.IGNORECASE)
    score = 0.5
    context = DOB_CONTEXT
    require_context = True

    def validate(self, m: re.Match[str]) -> bool:
        g = m.groupdict()
        for i in "1234":
            if g[f"y{i}"]:
                month = g[f"m{i}"]
                month_n = int(month) if month.isdigit() else MONTHS[month.lower()]
                day, year = int(g[f"d{i}"]), int(g[f"y{i}"])
                if i == "2" and month_n > 12 >= day:  # US order: 12/31/1980
                    day, month_n = month_n, day
                try:
                    return date(year, month_n, day) <= date.today()
                except ValueError:
                    return False
        return False


@register
class HkVehiclePlateRecogniser(PatternRecogniser):
    """Hong Kong registration marks: two letters (no I, O or Q) and 1 to 4 digits, near vehicle words."""

    name = "hk_vehicle_plate"
    entity_type = "VEHICLE_PLATE"
    pattern = re.compile(r"(?<![A-Za-z0-9])[A-HJ-NPR-Z]{2}\s?[1-9]\d{0,3}(?![A-Za-z0-9])")
    score = 0.35
    context_boost = 0.5
    context = ("車牌", "车牌", "車輛登記號碼", "车辆登记号码", "登記號碼", "registration mark", "vehicle", "plate",
               "licence plate", "license plate", "car", "私家車", "私家车", "的士", "taxi", "貨車", "货车", "車輛",
               "车辆")
