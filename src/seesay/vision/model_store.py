"""Where description models live: naming, finding, downloading and verifying them.

A model is named by a Hugging Face hub id (``Salesforce/blip-image-captioning-base``), a
short alias (``base``, ``large``) or a local folder. Only safetensors weights are ever
loaded, and no code from a model folder is ever run.

Finding a model never touches the network: seesay's own store is looked at first (a folder
per model with a completion marker written after the last byte arrived, so a half-finished
download is never used), then the shared Hugging Face cache. Only ``ModelStore.download`` goes
online: it checks every file against the hub's published checksum, resumes an interrupted file
from the byte it reached, and repairs a damaged model (``download.py``). Every folder is checked
before use (``model_checks.py``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from seesay.core.errors import ModelNotAvailableError
from seesay.core.i18n import _
from seesay.vision.download import (
    DOWNLOAD_PATTERNS,
    DownloadError,
    ProgressCallback,
    fetch_files,
    file_checksums,
    published_files,
)
from seesay.vision.model_checks import (
    COMPLETE_MARKER,
    check_config_bounds,
    check_files_inside,
    check_safetensors_whole,
    damage_error,
    damaged_by_size,
    marked_files,
    read_marker,
)

__all__ = ["ALIASES", "COMPLETE_MARKER", "DOWNLOAD_PATTERNS", "ModelRef", "ModelStore", "ProgressCallback",
           "parse_model_name", "verify_model_folder"]

ALIASES = {
    "base": "Salesforce/blip-image-captioning-base",
    "large": "Salesforce/blip-image-captioning-large",
    "vqa": "Salesforce/blip-vqa-base",
}
DEFAULT_MODEL = "base"
#: What a model folder must hold to be loadable: each entry is satisfied by any one of its files
#: (hub models carry preprocessor_config.json and vocab.txt; transformers 5 writes the others).
REQUIRED_FILES = (
    ("config.json",),
    ("preprocessor_config.json", "processor_config.json"),
    ("tokenizer.json", "vocab.txt"),
)


@dataclass(frozen=True)
class ModelRef:
    """A model as the user named it, resolved to a hub id or a local folder."""

    name: str
    hub_id: str | None
    folder: Path | None

    @property
    def display_name(self) -> str:
        return self.hub_id or str(self.folder)


def parse_model_name(name: str | os.PathLike | None) -> ModelRef:
    """Turn what the user typed into a ``ModelRef``: an alias, an existing folder, ``owner/name``."""
    text = (os.fspath(name) if name else DEFAULT_MODEL).strip()
    if text in ALIASES:
        return ModelRef(name=text, hub_id=ALIASES[text], folder=None)
    path = Path(text).expanduser()
    owner, _slash, repo = text.partition("/")
    is_hub_id = owner and repo and "/" not in repo and not text.startswith((".", "~")) and "\\" not in text
    if path.exists() or not is_hub_id:
        return ModelRef(name=text, hub_id=None, folder=path.resolve())
    return ModelRef(name=text, hub_id=text, folder=None)


class ModelStore:
    """seesay's model folder (``root``) plus read-only use of the Hugging Face cache."""

    def __init__(self, root: Path, hf_cache: Path | None = None) -> None:
        self.root = Path(root)
        self.hf_cache = hf_cache

    def folder_for(self, hub_id: str) -> Path:
        return self.root / hub_id.replace("/", "--")

    def locate(self, name: str | os.PathLike | None, setting: str = "model") -> Path:
        """The local folder of a usable model, without any network access, or a clear error.

        ``setting`` ("model", "vqa_model" or "itm_model") says which model it is, for the error."""
        ref = parse_model_name(name)
        if ref.folder is not None:
            return verify_model_folder(ref.folder)
        assert ref.hub_id is not None
        own = self.folder_for(ref.hub_id)
        if (own / COMPLETE_MARKER).is_file():
            return verify_model_folder(own)
        cached = self._from_hf_cache(ref.hub_id)
        if cached is not None:
            return cached
        raise self.not_available(ref, setting=setting)

    def is_available(self, name: str | os.PathLike | None) -> bool:
        try:
            self.locate(name)
        except ModelNotAvailableError:
            return False
        return True

    def not_available(self, ref: ModelRef, reason: str | None = None, setting: str = "model") -> ModelNotAvailableError:
        what = {"vqa_model": _("The question-answering model {model}"),
                "itm_model": _("The image-text matching model {model}")}.get(setting, _("The description model {model}"))
        message = _("{what} is not on this computer.").format(what=what.format(model=ref.display_name))
        if reason:
            message = f"{message} {reason}"
        hint = _(
            "Download it once with: seesay download {name}\n"
            "or use a model folder you already have: {flag} /path/to/folder\n"
            "Downloaded models are kept in {root}"
        ).format(name=ref.name, root=self.root, flag="--" + setting.replace("_", "-"))
        spoken = message + " " + _("Download it once, or choose a model folder you already have in Settings. "
                                   "The window shows how.")
        return ModelNotAvailableError(message, hint, spoken=spoken)

    def _from_hf_cache(self, hub_id: str) -> Path | None:
        try:
            from huggingface_hub import snapshot_download

            folder = snapshot_download(
                hub_id, cache_dir=self.hf_cache, local_files_only=True, allow_patterns=DOWNLOAD_PATTERNS
            )
        except Exception:  # not cached (LocalEntryNotFoundError) or a broken cache entry
            return None
        try:
            return verify_model_folder(Path(folder))
        except ModelNotAvailableError:
            return None

    def download(self, name: str | None, progress: ProgressCallback | None = None, endpoint: str | None = None,
                 notify: Callable[[str], None] | None = None,
                 verify: Callable[[Path], Path] | None = None) -> Path:
        """Fetch a hub model into the store, checked file by file, and mark it complete.

        A model already marked complete is checked first (every file's size and sha256 against
        the marker, without the network); damaged or missing files are fetched again from the
        revision the marker names. ``notify`` hears what was found damaged. ``verify``: what makes
        the folder usable and returns the folder to use (a translation model is checked and
        converted: ``seesay.translation.models``); by default ``verify_model_folder``."""
        verify = verify or verify_model_folder
        ref = parse_model_name(name)
        if ref.hub_id is None:
            raise ModelNotAvailableError(
                _("{folder} is a folder on this computer; there is nothing to download.").format(folder=ref.folder)
            )
        target = self.folder_for(ref.hub_id)
        marker = read_marker(target)
        revision, damaged = None, []
        if marker is not None and marked_files(marker):
            damaged = damaged_files(target, marker)
            if not damaged:
                return verify(target)
            if notify is not None:
                notify(_("Damaged or missing in {folder}: {files}; fetching again.").format(
                    folder=target, files="; ".join(damaged)))
            (target / COMPLETE_MARKER).unlink()
            revision = marker.get("revision") if isinstance(marker.get("revision"), str) else None
        try:
            commit, files = published_files(ref.hub_id, revision, endpoint)
        except Exception as error:  # network down, repository missing...
            if marker is not None and not damaged:
                return verify(target)  # marked by an older seesay: checked as far as it can be offline
            raise self._failed(ref, error, damaged) from None
        (target / COMPLETE_MARKER).unlink(missing_ok=True)  # files may change from here on
        try:
            target.mkdir(parents=True, exist_ok=True)
            recorded = fetch_files(target, ref.hub_id, commit, files, progress=progress, endpoint=endpoint)
        except Exception as error:  # a dropped connection, a file that is not what the hub published, cancelled...
            raise self._failed(ref, error, damaged) from None
        usable = verify(target)  # before it is marked: a model that cannot be loaded is never complete
        write_marker(target, ref.hub_id, commit, recorded)
        return usable

    def _failed(self, ref: ModelRef, error: Exception, damaged: list[str]) -> ModelNotAvailableError:
        reason = str(error) if isinstance(error, DownloadError) else _download_failure(error)
        if damaged:
            reason = _("Its files are damaged ({files}) and could not be fetched again. {reason}").format(
                files="; ".join(damaged), reason=reason)
        return self.not_available(ref, reason)

    def downloaded_models(self) -> list[tuple[str, Path, int]]:
        """(hub id, folder, size in bytes) for every completed download in the store."""
        found = []
        for marker in sorted(self.root.glob(f"*/{COMPLETE_MARKER}")):
            folder = marker.parent
            size = sum(f.stat().st_size for f in folder.iterdir() if f.is_file() and not f.name.startswith("."))
            found.append((folder.name.replace("--", "/", 1), folder, size))
        return found


def damaged_files(folder: Path, marker: dict) -> list[str]:
    """Files of a complete-marked model whose size or sha256 is not what the marker recorded, each
    with what is wrong."""
    damaged = damaged_by_size(folder, marker)
    for name, entry in sorted(marked_files(marker).items()):
        if name not in damaged and file_checksums(folder / name)[0] != entry.get("sha256"):
            damaged[name] = _("{file}: changed").format(file=name)
    return list(damaged.values())


def write_marker(folder: Path, hub_id: str, commit: str, files: dict[str, dict]) -> None:
    """The completion marker, written last and atomically: the model's name, revision and each file's
    size and sha256 (what ``seesay download`` checks a model against later)."""
    marker = folder / COMPLETE_MARKER
    temporary = marker.with_name(marker.name + ".new")
    temporary.write_text(json.dumps({"model": hub_id, "revision": commit, "files": files}, indent=1),
                         encoding="utf-8")
    os.replace(temporary, marker)


#: Beside a captioner's weights: the measurement that chose its confidence thresholds (see
#: ``measured_confidence``).
CONFIDENCE_FILE = "confidence.json"


def measured_confidence(folder: str | os.PathLike | None) -> dict | None:
    """The confidence measurement of the captioner in ``folder`` (``confidence.json``: how often its
    token probabilities were right, band by band), or None for a model never measured. Only a
    measured model's token probabilities may make seesay say "I can't tell"."""
    if not folder:
        return None
    try:
        measured = json.loads((Path(folder) / CONFIDENCE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return measured if isinstance(measured, dict) else None


def verify_model_folder(folder: Path) -> Path:
    """Check that ``folder`` holds a loadable model with safetensors weights, whole, with every file
    inside the folder and configs within bounds (see ``model_checks``). Reads no weights."""
    name = str(folder)
    if not folder.is_dir():
        raise ModelNotAvailableError(
            _("The model folder {folder} does not exist.").format(folder=name),
            _("Give --model a folder that holds config.json and model.safetensors."),
            spoken=_("That model folder does not exist. Choose a folder that holds a model."),
        )
    if not any((folder / name).is_file() for names in REQUIRED_FILES for name in names) and not any(
            folder.glob("*.safetensors")):
        raise ModelNotAvailableError(  # /tmp, a home folder...: no model, rather than a damaged one
            _("{folder} has no model in it.").format(folder=name),
            _("A model folder holds the files seesay download makes: config.json, model.safetensors and the "
              "processor's files ({files}). Choose such a folder, or leave --model out to use the downloaded "
              "model.").format(files=", ".join(" or ".join(names) for names in REQUIRED_FILES
                                               if "config.json" not in names)),
            spoken=_("That folder has no model in it. Choose a folder that holds a whole model, or leave the "
                     "model setting empty to use the downloaded one."),
        )
    check_files_inside(folder)
    marker = read_marker(folder)
    damaged = damaged_by_size(folder, marker) if marker else {}
    if damaged:
        raise damage_error(folder, list(damaged.values()), marker)
    missing = [" or ".join(names) for names in REQUIRED_FILES if not any((folder / n).is_file() for n in names)]
    weights = sorted(path for path in folder.glob("*.safetensors") if not path.name.startswith("."))
    if not weights:
        if any(folder.glob("*.bin")) or any(folder.glob("*.pt")) or any(folder.glob("*.ckpt")):
            raise ModelNotAvailableError(
                _("The model in {folder} has no safetensors weights; seesay does not load other formats, "
                  "because they can run code.").format(folder=name),
                _("Use a copy of the model saved as safetensors."),
            )
        missing.append("model.safetensors")
    if missing:
        raise ModelNotAvailableError(
            _("{folder} is not a complete model folder: {missing} missing.").format(
                folder=name, missing=", ".join(missing)
            ),
            _("Download the model again with: seesay download"),
            spoken=_("That model folder is not complete: {missing} missing. Download the model again.").format(
                missing=", ".join(missing)),
        )
    weights_bytes = sum(check_safetensors_whole(folder, path) for path in weights)
    check_config_bounds(folder, weights_bytes, [path.name for path in weights])
    return folder


def _download_failure(error: Exception) -> str:
    text = f"{type(error).__name__}: {error}"
    lowered = text.lower()
    if any(word in lowered for word in ("connect", "resolve", "network", "offline", "timed out", "timeout")):
        return _("It could not be downloaded: there is no connection to the model hub.")
    if "404" in lowered or "not found" in lowered or "repository" in lowered:
        return _("It could not be downloaded: the hub has no model by that name.")
    first_line = text.splitlines()[0][:120]
    return _("It could not be downloaded ({detail}).").format(detail=first_line)
