"""FAQ-gap report: questions the assistant handed off, grouped by meaning for the editors."""

from __future__ import annotations

from datetime import datetime

import numpy as np
from pydantic import BaseModel
from sqlalchemy import select

from ai_toolbox.accounts import Perm, Principal
from ai_toolbox.assistant.embed import get_embedder
from ai_toolbox.assistant.kb import find_kb
from ai_toolbox.assistant.models import KbQuestion
from ai_toolbox.storage.db import session_scope

# e5 query-query cosines above this are paraphrases of one question in practice.
SAME_TOPIC = 0.9


class GapCluster(BaseModel):
    representative: str
    count: int
    questions: list[str]
    languages: list[str]
    last_asked: datetime | None = None


def cluster(questions: list[str], vectors: np.ndarray, threshold: float = SAME_TOPIC) -> list[list[int]]:
    """Greedy single-pass clustering: each question joins the closest cluster centre above threshold."""
    centres: list[np.ndarray] = []
    members: list[list[int]] = []
    for i, v in enumerate(vectors):
        if centres:
            sims = np.array([float(c @ v) / (np.linalg.norm(c) or 1.0) for c in centres])
            j = int(sims.argmax())
            if sims[j] >= threshold:
                members[j].append(i)
                centres[j] = centres[j] + v
                continue
        centres.append(v.copy())
        members.append([i])
    return sorted(members, key=len, reverse=True)


def faq_gaps(principal: Principal, kb_name: str | int, limit: int = 2000) -> list[GapCluster]:
    with session_scope() as s:
        kb = find_kb(s, principal, kb_name, Perm.MANAGE_KB)
        rows = s.scalars(select(KbQuestion).where(KbQuestion.kb_id == kb.id, KbQuestion.handoff.is_(True))
                         .order_by(KbQuestion.id.desc()).limit(limit)).all()
        items = [(r.question, r.language, r.created_at) for r in rows]
    if not items:
        return []
    vecs = get_embedder().embed_queries([q for q, _, _ in items])
    out = []
    for group in cluster([q for q, _, _ in items], vecs):
        qs = [items[i] for i in group]
        out.append(GapCluster(representative=qs[-1][0], count=len(qs), questions=[q for q, _, _ in qs][:20],
                              languages=sorted({lang for _, lang, _ in qs}), last_asked=max(t for _, _, t in qs)))
    return out
