"""Tables of the text core: per-department glossaries and their terms."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ai_toolbox.storage.base import Base, utcnow


class GlossaryRecord(Base):
    __tablename__ = "text_glossaries"
    __table_args__ = (UniqueConstraint("department_id", "name", name="uq_text_glossaries_department_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    terms: Mapped[list[GlossaryTermRecord]] = relationship(
        back_populates="glossary", cascade="all, delete-orphan", order_by="GlossaryTermRecord.id")


class GlossaryTermRecord(Base):
    __tablename__ = "text_glossary_terms"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    glossary_id: Mapped[int] = mapped_column(ForeignKey("text_glossaries.id", ondelete="CASCADE"), index=True)
    en: Mapped[str] = mapped_column(String(300), default="")
    zh_hant: Mapped[str] = mapped_column(String(300), default="")
    zh_hans: Mapped[str] = mapped_column(String(300), default="")
    protect: Mapped[bool] = mapped_column(Boolean, default=False)
    glossary: Mapped[GlossaryRecord] = relationship(back_populates="terms")
