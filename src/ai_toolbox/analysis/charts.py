"""Charts chosen from a result's shape, drawn with matplotlib (Agg) and a CJK font found at run time.

Shape rules: a label column and one number -> bar (line when the labels are dates or years; pie
when the question asks for a share, there are at most eight slices and they make up one whole);
two numbers -> scatter; whole records (five columns or more) -> no chart;
a single value or no number -> no chart.
"""

from __future__ import annotations

import io
import math
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from ai_toolbox.errors import InvalidInput

KINDS = ("bar", "line", "pie", "scatter")
_SHARE = re.compile(r"share|percent|proportion|breakdown|distribution|比例|占比|佔比|百分比|分布|分佈", re.I)
_NUMERIC = ("INT", "DOUBLE", "FLOAT", "DECIMAL", "REAL", "HUGEINT", "BIGINT")
FONT_FILES = (
    "NotoSansCJK-Regular.ttc",
    "NotoSansCJKtc-Regular.otf",
    "NotoSansCJKsc-Regular.otf",
    "NotoSerifCJK-Regular.ttc",
    "wqy-zenhei.ttc",
    "wqy-microhei.ttc",
    "DroidSansFallbackFull.ttf",
)
FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".local/share/fonts")


def _is_number(t: str) -> bool:
    return any(t.upper().startswith(n) or n in t.upper() for n in _NUMERIC)


_TIME_LABEL = re.compile(r"year|month|date|quarter|\bdays?\b|年|月|日期|季")


def choose(columns: list[str], types: list[str], rows: list[list[Any]], question: str = "") -> str | None:
    """The chart kind for this result, or None when a chart would not help."""
    if len(rows) < 2 or len(columns) < 2 or len(columns) > 4:
        return None  # more than a label, two measures and their change: records, better as a table
    nums = [i for i, t in enumerate(types) if _is_number(t)]
    if len(columns) == 2 and len(nums) == 2:
        # Years and a total ("年度, sum") are a trend; two measures of the same things a scatter.
        return "line" if _TIME_LABEL.search(columns[0].lower()) else "scatter"
    if not nums or nums == [0]:
        return None
    label_type = types[0].upper()
    label_name = columns[0].lower()
    if label_type.startswith(("DATE", "TIMESTAMP")) or _TIME_LABEL.search(label_name):
        return "line"
    if (
        len(columns) == 2
        and _SHARE.search(question)
        and len(rows) <= 8
        and all(isinstance(r[nums[0]], int | float) and r[nums[0]] >= 0 for r in rows)
        and _parts_of_a_whole(columns[nums[0]], [r[nums[0]] for r in rows])
    ):
        return "pie"
    return "bar"


def _parts_of_a_whole(column: str, values: list[float]) -> bool:
    """Slices of one pie: counts and totals are, and per cents that add up to 100 ("each channel's
    share"); per cents of different wholes ("spending as a percentage of budget by department")
    and ratios are not."""
    if column.lower() == "ratio":
        return False
    return column.lower() != "percent" or abs(sum(values) - 100) <= 1


@lru_cache(maxsize=1)
def cjk_font() -> Path | None:
    """A font file with Chinese glyphs (Debian fonts-noto-cjk), or None."""
    for d in FONT_DIRS:
        if not d.is_dir():
            continue
        for name in FONT_FILES:
            found = next(d.rglob(name), None)
            if found:
                return found
    try:
        from matplotlib import font_manager

        for f in font_manager.findSystemFonts():
            if re.search(r"cjk|wqy|droidsansfallback|notosanstc|notosanssc|notosanshk", f, re.I):
                return Path(f)
    except Exception:  # font cache problems must not stop a chart
        return None
    return None


def font_status() -> tuple[bool, str]:
    path = cjk_font()
    if path is None:
        return False, (
            "No CJK font found: Chinese labels in charts will show as boxes. "
            "Install Debian fonts-noto-cjk (scripts/system-deps.sh does)."
        )
    return True, f"CJK font: {path.name}"


def render(kind: str, columns: list[str], rows: list[list[Any]], *, title: str = "", fmt: str = "png") -> bytes:
    """PNG or SVG bytes of the chart."""
    if kind not in KINDS:
        raise InvalidInput(f"Unknown chart kind {kind!r}.", hint="Choose bar, line, pie or scatter.")
    if len(columns) < 2 or not rows:
        raise InvalidInput("This answer has no chart: it needs a label column and a number column.")
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    font = cjk_font()
    props = None
    if font is not None:
        font_manager.fontManager.addfont(str(font))
        props = font_manager.FontProperties(fname=str(font))
    if kind in ("bar", "line") and is_crosstab(columns, rows):
        return _render_crosstab(plt, props, kind, columns, rows, title=title, fmt=fmt)
    rows = rows[:50]
    labels = ["" if r[0] is None else str(r[0]) for r in rows]
    shown = plotted_column(kind, columns)
    values = [_to_float(r[shown]) for r in rows]
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=100)
    try:
        if kind == "bar":
            ax.bar(range(len(values)), values, color="#2f6fb0")
            ax.set_xticks(range(len(values)))
            ax.set_xticklabels(
                labels,
                rotation=45 if len(labels) > 6 else 0,
                ha="right" if len(labels) > 6 else "center",
                fontproperties=props,
            )
        elif kind == "line":
            ax.plot(labels, values, marker="o", color="#2f6fb0")
            for lbl in ax.get_xticklabels():
                if props is not None:
                    lbl.set_fontproperties(props)
            if len(labels) > 8:
                plt.setp(ax.get_xticklabels(), rotation=45, ha="right")
        elif kind == "pie":
            _, texts = ax.pie(values, labels=labels, startangle=90, counterclock=False)[:2]
            for tx in texts:
                if props is not None:
                    tx.set_fontproperties(props)
            ax.axis("equal")
        else:
            ax.scatter([_to_float(r[0]) for r in rows], values, color="#2f6fb0")
            ax.set_xlabel(columns[0], fontproperties=props)
        if kind != "pie":
            ax.set_ylabel(columns[shown], fontproperties=props)
            if kind != "scatter":
                ax.set_xlabel(columns[0], fontproperties=props)
        return _finish(fig, ax, props, title=title, fmt=fmt)
    finally:
        plt.close(fig)


def plotted_column(kind: str, columns: list[str]) -> int:
    """The column a one-series chart draws: of a label with several numbers ("部門, 2023, 2024,
    change") the last, which is the one computed; a scatter's y."""
    return len(columns) - 1 if kind in ("bar", "line", "pie") else 1


def _finish(fig: Any, ax: Any, props: Any, *, title: str, fmt: str) -> bytes:
    """The chart's title (with the CJK font), laid out and saved as PNG or SVG bytes."""
    if title:
        ax.set_title(title[:80], fontproperties=props)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt)
    return buf.getvalue()


MAX_SERIES = 8


def is_crosstab(columns: list[str], rows: list[list[Any]]) -> bool:
    """Two label columns and a number ("district, channel, sum"): one series per second label."""
    return len(columns) == 3 and bool(rows) and all(
        not isinstance(r[1], int | float) and isinstance(r[2], int | float | None) for r in rows
    )


def _render_crosstab(plt: Any, props: Any, kind: str, columns: list[str], rows: list[list[Any]], *,
                     title: str, fmt: str) -> bytes:
    """Grouped bars (or one line each) for the values of the second column, at most MAX_SERIES of
    them (the largest in total) over at most 50 labels of the first."""
    labels = list(dict.fromkeys("" if r[0] is None else str(r[0]) for r in rows))[:50]
    totals: dict[str, float] = {}
    for r in rows:
        totals[str(r[1])] = totals.get(str(r[1]), 0.0) + _to_float(r[2])
    series = sorted(totals, key=lambda k: -totals[k])[:MAX_SERIES]
    cell = {(str(r[0]), str(r[1])): _to_float(r[2]) for r in rows}
    fig, ax = plt.subplots(figsize=(9, 4.8), dpi=100)
    try:
        width = 0.8 / len(series)
        for k, name in enumerate(series):
            ys = [cell.get((lbl, name), math.nan) for lbl in labels]  # no such pair: no bar, a gap
            if kind == "bar":
                ax.bar([i - 0.4 + width * (k + 0.5) for i in range(len(labels))], ys, width, label=name)
            else:
                ax.plot(range(len(labels)), ys, marker="o", label=name)
        ax.set_xticks(range(len(labels)))
        ax.set_xticklabels(labels, rotation=45 if len(labels) > 6 else 0, ha="right" if len(labels) > 6 else "center",
                           fontproperties=props)
        ax.set_xlabel(columns[0], fontproperties=props)
        ax.set_ylabel(columns[2], fontproperties=props)
        ax.legend(title=columns[1], prop=props)
        return _finish(fig, ax, props, title=title, fmt=fmt)
    finally:
        plt.close(fig)


def _to_float(v: Any) -> float:
    try:
        return float(v)
    except (TypeError, ValueError):
        return 0.0
