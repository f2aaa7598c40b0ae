"""The registry of datasets: one row per dataset a department loaded."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ai_toolbox.storage.base import Base, utcnow


class Dataset(Base):
    """A loaded table (or workbook of tables) in its own DuckDB file under the department's workspace."""

    __tablename__ = "analysis_datasets"
    __table_args__ = (UniqueConstraint("department_id", "name", name="uq_analysis_datasets_dept_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    file_key: Mapped[str] = mapped_column(String(64))
    source_name: Mapped[str] = mapped_column(String(255), default="")
    format: Mapped[str] = mapped_column(String(16))
    encoding: Mapped[str | None] = mapped_column(String(32), nullable=True)
    tables: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    row_count: Mapped[int] = mapped_column(BigInteger, default=0)
    size_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    created_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
