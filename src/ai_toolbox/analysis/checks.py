"""`ai-toolbox doctor` checks for data analysis: the query engine and the chart font."""

from __future__ import annotations

from ai_toolbox import doctor


@doctor.check("analysis")
def analysis_engine() -> doctor.Finding:
    try:
        import duckdb
        import sqlglot
    except ImportError as exc:
        return doctor.Finding("analysis", False, f"{exc.name} is missing: install the 'analysis' extra")
    return doctor.Finding("analysis", True, f"DuckDB {duckdb.__version__}, sqlglot {sqlglot.__version__}")


@doctor.check("analysis-font")
def chart_font() -> doctor.Finding:
    from ai_toolbox.analysis.charts import font_status

    ok, detail = font_status()
    return doctor.Finding("analysis charts", ok, detail)
