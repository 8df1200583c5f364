"""What a model folder must be before anything is built from it.

Loading trusts the folder's files: a config that asks for a million layers is built layer by
layer until memory runs out, a processor that asks for 30000x30000 pictures fills memory at the
first picture, and a weights file that is a link leads wherever the link points. So before
transformers sees a folder, seesay checks, cheaply (no weights are read, only their headers):

- every file is in the folder (a link may point only inside it; the shared Hugging Face cache's
  snapshot links into its own ``blobs`` folder are the one exception) and is a regular file;
- a downloaded model still has every file the completion marker lists, at the size it had;
- each safetensors file is as long as its own header says (a cut-off copy is found at once);
- the configs' sizes are whole numbers within generous bounds that every real BLIP model meets,
  and the layers they describe fit in the weights that are there.

Each problem is a ``ModelNotAvailableError`` naming the folder, the file and the value.
"""

from __future__ import annotations

import json
import stat
import struct
from pathlib import Path

from seesay.core.errors import ModelNotAvailableError
from seesay.core.i18n import _

COMPLETE_MARKER = ".seesay-complete"
#: Config files larger than this are not configs (BLIP's are about 5 KB).
MAX_CONFIG_BYTES = 4 * 1024 * 1024
#: As the safetensors library itself allows.
MAX_SAFETENSORS_HEADER = 100_000_000
#: The highest value seesay accepts for each size in config.json, wherever it appears. BLIP-large
#: has 24 layers of width 1024, 384-pixel pictures and 30524 words; these leave room for far more.
CONFIG_BOUNDS = {
    "num_hidden_layers": 256,
    "num_attention_heads": 256,
    "hidden_size": 16384,
    "encoder_hidden_size": 16384,
    "intermediate_size": 65536,
    "projection_dim": 16384,
    "image_text_hidden_size": 16384,
    "vocab_size": 1_000_000,
    "max_position_embeddings": 65536,
    "image_size": 4096,
    "patch_size": 4096,
    "num_channels": 16,
}
#: Picture sizes in an image processor's config (``size``, ``crop_size``: a number or a mapping).
PICTURE_KEYS = ("size", "crop_size", "image_size")
MAX_PICTURE_SIDE = 4096
#: Patches of one picture the image encoder attends over (BLIP: 24x24 = 576).
MAX_PATCHES = 4096


def refuse(folder: Path, detail: str, hint: str | None = None) -> ModelNotAvailableError:
    return ModelNotAvailableError(
        _("The model in {folder} cannot be used: {detail}").format(folder=folder, detail=detail),
        hint or _("Use an unchanged copy of the model (seesay download fetches one)."),
        spoken=_("The model in that folder cannot be used: {detail}").format(detail=detail) + " " + (
            hint or _("Use an unchanged copy of the model: download it again.")))


def check_files_inside(folder: Path) -> None:
    """Every visible entry of ``folder`` resolves inside it and is a regular file or a folder."""
    allowed = [folder.resolve()]
    if folder.parent.name == "snapshots" and folder.parent.parent.name.startswith("models--"):
        allowed.append((folder.parent.parent / "blobs").resolve())  # the Hugging Face cache's layout
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith("."):
            continue  # seesay's marker and partial files; transformers reads none of them
        target = entry.resolve()
        if not any(target == root or root in target.parents for root in allowed):
            raise refuse(folder, _("{file} points outside the model folder (to {target}).").format(
                file=entry.name, target=target), _("Copy the file into the model folder instead of linking to it."))
        try:
            mode = entry.stat().st_mode
        except OSError:
            continue  # a broken link: reported as missing if the model needs it
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            raise refuse(folder, _("{file} is not a regular file.").format(file=entry.name))


def read_marker(folder: Path) -> dict | None:
    """The completion marker's content, ``{}`` for an unreadable one, None when there is none."""
    marker = folder / COMPLETE_MARKER
    if not marker.is_file():
        return None
    try:
        data = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def marked_files(marker: dict) -> dict[str, dict]:
    """``{name: {"size": …, "sha256": …}}`` from a marker; empty for one written by an older seesay."""
    files = marker.get("files")
    if not isinstance(files, dict):
        return {}
    return {name: entry for name, entry in files.items()
            if isinstance(name, str) and "/" not in name and isinstance(entry, dict)}


def damaged_by_size(folder: Path, marker: dict) -> dict[str, str]:
    """Files the marker lists that are missing or not the size it recorded: ``{name: what is wrong}``."""
    damaged = {}
    for name, entry in sorted(marked_files(marker).items()):
        path = folder / name
        if not path.is_file():
            damaged[name] = _("{file}: missing").format(file=name)
        elif path.stat().st_size != entry.get("size"):
            damaged[name] = _("{file}: {size} of {expected} bytes").format(
                file=name, size=path.stat().st_size, expected=entry.get("size"))
    return damaged


def damage_error(folder: Path, damaged: list[str], marker: dict) -> ModelNotAvailableError:
    model = marker.get("model")
    hint = (_("Repair it with: seesay download {model}").format(model=model) if isinstance(model, str)
            else _("Copy or download the model again."))
    return ModelNotAvailableError(
        _("The model in {folder} is damaged: {files}.").format(folder=folder, files="; ".join(damaged)), hint,
        spoken=_("The model in that folder is damaged: {files}.").format(files="; ".join(damaged)) + " "
        + _("Copy or download the model again."))


def check_safetensors_whole(folder: Path, weights: Path) -> int:
    """Raise when ``weights`` is shorter or longer than its header says; return its length."""
    size = weights.stat().st_size
    try:
        with weights.open("rb") as file:
            (header_length,) = struct.unpack("<Q", file.read(8))
            if header_length > min(MAX_SAFETENSORS_HEADER, size - 8):
                raise ValueError("header longer than the file")
            header = json.loads(file.read(header_length))
        ends = [entry["data_offsets"][1] for key, entry in header.items() if key != "__metadata__"]
        expected = 8 + header_length + max(ends, default=0)
    except (OSError, ValueError, RecursionError, struct.error, TypeError, KeyError, IndexError, AttributeError):
        expected = None
    if expected != size:
        raise damage_error(folder, [_("{file}: not a whole safetensors file").format(file=weights.name)],
                           read_marker(folder) or {})
    return size


def read_config(folder: Path, name: str) -> dict:
    path = folder / name
    try:
        if path.stat().st_size > MAX_CONFIG_BYTES:
            raise ValueError("too large")
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        raise refuse(folder, _("{file} cannot be read as a configuration.").format(file=name)) from None
    if not isinstance(data, dict):
        raise refuse(folder, _("{file} cannot be read as a configuration.").format(file=name))
    return data


def _mappings(value, depth: int = 0):
    """Every mapping inside a parsed JSON value (configs nest two or three deep)."""
    if isinstance(value, dict) and depth < 8:
        yield value
        for inner in value.values():
            yield from _mappings(inner, depth + 1)


def _out_of_bounds(folder: Path, file: str, key: str, value, limit: int) -> ModelNotAvailableError:
    shown = json.dumps(value)[:40] if not isinstance(value, str) else repr(value[:40])
    return refuse(folder, _("{file} sets {key} to {value}; seesay accepts whole numbers from 1 to {limit}.").format(
        file=file, key=key, value=shown, limit=limit))


def _whole(value, limit: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= limit


def check_config_bounds(folder: Path, weights_bytes: int, weights_names: list[str]) -> None:
    """config.json's sizes within ``CONFIG_BOUNDS``, pictures and patches within reach, and no more
    layers than the weights can hold. Read before anything is built."""
    config = read_config(folder, "config.json")
    least_weights = 0
    for section in _mappings(config):
        for key, limit in CONFIG_BOUNDS.items():
            if key in section and section[key] is not None and not _whole(section[key], limit):
                raise _out_of_bounds(folder, "config.json", key, section[key], limit)
        if isinstance(section.get("image_size"), int) and isinstance(section.get("patch_size"), int):
            patches = (section["image_size"] // section["patch_size"]) ** 2
            if patches > MAX_PATCHES:
                raise refuse(folder, _("config.json asks for {patches} patches per picture (image_size {size}, "
                                       "patch_size {patch}); seesay accepts at most {limit}.").format(
                    patches=patches, size=section["image_size"], patch=section["patch_size"], limit=MAX_PATCHES))
        if isinstance(section.get("num_hidden_layers"), int) and isinstance(section.get("hidden_size"), int):
            # each layer holds at least its four attention matrices; a weight takes at least half a byte
            least_weights += section["num_hidden_layers"] * 4 * section["hidden_size"] ** 2
    if least_weights > 2 * weights_bytes:
        raise refuse(folder, _("config.json describes at least {needed} million weights, but {files} hold "
                               "only {size} MB.").format(needed=least_weights // 1_000_000,
                                                          files=", ".join(weights_names),
                                                          size=round(weights_bytes / 1e6, 1)))
    for name in ("preprocessor_config.json", "processor_config.json"):
        if (folder / name).is_file():
            _check_picture_sizes(folder, name, read_config(folder, name))


def _check_picture_sizes(folder: Path, name: str, config: dict) -> None:
    processor = config.get("image_processor", config) if name == "processor_config.json" else config
    for section in _mappings(processor):
        for key in PICTURE_KEYS:
            value = section.get(key)
            if value is None:
                continue
            sides = value.values() if isinstance(value, dict) else [value]
            for side in sides:
                if side is not None and not _whole(side, MAX_PICTURE_SIDE):
                    raise _out_of_bounds(folder, name, key, value, MAX_PICTURE_SIDE)
