"""Search indexes behind one small protocol: lexical (BM25) and dense (cosine) scores per passage.

`LocalIndex` keeps everything in a directory: bm25s's sparse matrix and a float32 vector matrix,
both memory-mapped on load, plus the passage records. Another backend (pgvector) implements the
same `Index` protocol and registers itself in `BACKENDS`.
"""

from __future__ import annotations

import json
import logging
import math
import shutil
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

from ai_toolbox.assistant.embed import Embedder, EmbeddingCache
from ai_toolbox.assistant.textutil import tokenize

FORMAT_VERSION = 1


@dataclass(frozen=True)
class Passage:
    """A retrievable unit of a knowledge base, with what a citation needs."""

    id: str
    text: str
    title: str = ""
    source: str = ""
    page: int | None = None
    section: str = ""
    meta: dict = field(default_factory=dict)

    def embed_text(self) -> str:
        """What the embedder sees: the heading gives a short passage its topic."""
        head = self.section or self.title
        return f"{head}\n{self.text}" if head and head not in self.text[:200] else self.text

    def lexical_text(self) -> str:
        head = self.section or self.title
        return f"{head} {self.text}" if head else self.text


class Index(Protocol):
    """Scores for every passage of one knowledge base."""

    passages: Sequence[Passage]

    def lexical_scores(self, tokens: Sequence[str]) -> np.ndarray: ...

    def dense_scores(self, query_vector: np.ndarray) -> np.ndarray: ...

    def idf(self, token: str) -> float: ...

    def __len__(self) -> int: ...


def sentence_units(passages: Sequence[Passage], max_units: int = 12) -> tuple[list[str], np.ndarray]:
    """Sentences (at most `max_units` per passage, the rest merged into the last) and CSR offsets."""
    from ai_toolbox.assistant.textutil import split_sentences

    texts: list[str] = []
    ptr = [0]
    for p in passages:
        sents = [s.text for s in split_sentences(p.text)] or [p.text]
        if len(sents) > max_units:
            sents = sents[: max_units - 1] + ["".join(sents[max_units - 1 :])]
        texts.extend(sents)
        ptr.append(len(texts))
    return texts, np.asarray(ptr, dtype=np.int64)


BACKENDS: dict[str, Callable[..., Index]] = {}


class LocalIndex:
    """BM25 (bm25s) and dense vectors (numpy, memory-mapped) in one directory."""

    def __init__(  # type: ignore[no-untyped-def]
        self, directory: Path, passages: list[Passage], bm25, vectors: np.ndarray, doc_freq: dict[str, int]
    ) -> None:
        self.directory = directory
        self.doc_freq = doc_freq
        self.passages = passages
        self._bm25 = bm25
        self._vocab = bm25.vocab_dict if bm25 is not None else {}
        self.vectors = vectors
        self.sentence_vectors: np.ndarray | None = None
        self.sentence_ptr: np.ndarray | None = None
        self._positions: dict[str, int] | None = None

    def __len__(self) -> int:
        return len(self.passages)

    def lexical_scores(self, tokens: Sequence[str]) -> np.ndarray:
        known = [t for t in tokens if t in self._vocab]
        if not known or self._bm25 is None:
            return np.zeros(len(self.passages), np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)

    def known_sentence_vectors(self, passages: Sequence[Passage]) -> dict[str, np.ndarray]:
        """The stored vectors of these passages' sentences, by sentence text (to skip re-embedding)."""
        if self.sentence_vectors is None or self.sentence_ptr is None:
            return {}
        if self._positions is None:
            self._positions = {p.id: i for i, p in enumerate(self.passages)}
        out: dict[str, np.ndarray] = {}
        for p in passages:
            i = self._positions.get(p.id)
            if i is None:
                continue
            texts, _ = sentence_units([p])
            start, end = int(self.sentence_ptr[i]), int(self.sentence_ptr[i + 1])
            if len(texts) == end - start:  # the same split as when the index was built
                out.update(zip(texts, np.asarray(self.sentence_vectors[start:end]), strict=True))
        return out

    def knows(self, token: str) -> bool:
        """Whether some passage contains `token`."""
        return token in self._vocab

    def sentence_max(self, query_vector: np.ndarray, candidates: np.ndarray) -> np.ndarray | None:
        """Best sentence cosine of each candidate passage (None without sentence vectors)."""
        if self.sentence_vectors is None or self.sentence_ptr is None or len(candidates) == 0:
            return None
        ptr = self.sentence_ptr
        starts, ends = ptr[candidates], ptr[candidates + 1]
        rows = np.concatenate([np.arange(a, b) for a, b in zip(starts, ends, strict=True)])
        sims = np.asarray(self.sentence_vectors[rows]) @ query_vector
        owner = np.repeat(np.arange(len(candidates)), ends - starts)
        best = np.full(len(candidates), -1.0, np.float32)
        np.maximum.at(best, owner, sims)
        return best

    def idf(self, token: str) -> float:
        df = self.doc_freq.get(token, 0)
        n = len(self.passages)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def dense_scores(self, query_vector: np.ndarray) -> np.ndarray:
        if len(self.passages) == 0:
            return np.zeros(0, np.float32)
        return self.vectors @ query_vector

    # -- building and loading -------------------------------------------------------------

    @classmethod
    def build(
        cls,
        directory: Path,
        passages: list[Passage],
        embedder: Embedder,
        cache: EmbeddingCache | None,
        *,
        progress: Callable[[int], None] | None = None,
        tokens: list[list[str]] | None = None,
        sentence_vectors: bool = True,
    ) -> LocalIndex:
        """Tokenise and embed `passages` and write the index to `directory` (replaced atomically)."""
        texts = [p.embed_text() for p in passages]
        empty = np.zeros((0, embedder.dim), np.float32)
        if cache is not None:
            vectors = cache.get_or_embed(texts, embedder.embed_passages, progress=progress)
        else:
            vectors = embedder.embed_passages(texts) if texts else empty
            if progress:
                progress(len(texts))
        sent = None
        if sentence_vectors:
            sent_texts, ptr = sentence_units(passages)
            if cache is not None:
                svec = cache.get_or_embed(sent_texts, embedder.embed_passages)
            else:
                svec = embedder.embed_passages(sent_texts) if sent_texts else empty
            sent = (svec, ptr)
        if tokens is None:
            tokens = [tokenize(p.lexical_text()) for p in passages]
        return cls.write(directory, passages, vectors, tokens, sent, model=getattr(embedder, "name", "?"))

    @classmethod
    def write(
        cls,
        directory: Path,
        passages: list[Passage],
        vectors: np.ndarray,
        tokens: list[list[str]],
        sentences: tuple[np.ndarray, np.ndarray] | None = None,
        model: str = "?",
    ) -> LocalIndex:
        """Write an index from vectors and tokens already computed (replaces `directory` atomically)."""
        import bm25s

        directory = Path(directory)
        staging = directory.with_name(directory.name + ".building")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        np.save(staging / "vectors.npy", np.ascontiguousarray(vectors, dtype=np.float32))
        if sentences is not None:
            np.save(staging / "sentence_vectors.npy", np.ascontiguousarray(sentences[0], dtype=np.float32))
            np.save(staging / "sentence_ptr.npy", sentences[1])
        if any(tokens):
            bm25 = bm25s.BM25()
            logging.getLogger("bm25s").setLevel(logging.WARNING)
            bm25.index(tokens, show_progress=False)
            bm25.save(str(staging / "bm25"), show_progress=False)
        doc_freq: dict[str, int] = {}
        for toks in tokens:
            for t in set(toks):
                doc_freq[t] = doc_freq.get(t, 0) + 1
        (staging / "doc_freq.json").write_text(json.dumps(doc_freq, ensure_ascii=False), "utf-8")
        with open(staging / "passages.jsonl", "w", encoding="utf-8") as f:
            for p in passages:
                f.write(json.dumps(asdict(p), ensure_ascii=False) + "\n")
        (staging / "meta.json").write_text(
            json.dumps({"format": FORMAT_VERSION, "model": model, "n": len(passages)}), "utf-8"
        )
        old = directory.with_name(directory.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if directory.exists():
            directory.rename(old)
        staging.rename(directory)
        shutil.rmtree(old, ignore_errors=True)
        return cls.load(directory)

    @classmethod
    def load(cls, directory: Path) -> LocalIndex:
        import bm25s

        directory = Path(directory)
        passages = []
        with open(directory / "passages.jsonl", encoding="utf-8") as f:
            for line in f:
                passages.append(Passage(**json.loads(line)))
        vectors = np.load(directory / "vectors.npy", mmap_mode="r")
        bm25 = None
        if (directory / "bm25").exists():
            bm25 = bm25s.BM25.load(str(directory / "bm25"), mmap=True, show_progress=False)
        doc_freq = json.loads((directory / "doc_freq.json").read_text("utf-8"))
        index = cls(directory, passages, bm25, vectors, doc_freq)
        if (directory / "sentence_vectors.npy").exists():
            index.sentence_vectors = np.load(directory / "sentence_vectors.npy", mmap_mode="r")
            index.sentence_ptr = np.load(directory / "sentence_ptr.npy")
        return index


BACKENDS["local"] = LocalIndex.load
