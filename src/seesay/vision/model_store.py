"""Where description models live: naming, finding, downloading and verifying them.

A model is named by a Hugging Face hub id (``Salesforce/blip-image-captioning-base``), a
short alias (``base``, ``large``) or a local folder. Only safetensors weights are ever
loaded, and no code from a model folder is ever run.

Finding a model never touches the network: seesay's own store is looked at first (a folder
per model with a completion marker written after the last byte arrived, so a half-finished
download is never used), then the shared Hugging Face cache. Only ``download_model`` goes
online, and it resumes where an interrupted download stopped.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from seesay.core.errors import ModelNotAvailableError
from seesay.core.i18n import _

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
#: What a download fetches: configs, tokenizer and safetensors weights; never pickles or code.
DOWNLOAD_PATTERNS = ["*.json", "*.safetensors", "vocab.txt", "*.model"]
COMPLETE_MARKER = ".seesay-complete"

#: ``progress(bytes_done, bytes_total)``; total is 0 while unknown.
ProgressCallback = Callable[[int, int], None]


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

        ``setting`` ("model" or "vqa_model") says which model it is, for the error."""
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
        what = _("The question-answering model {model}") if setting == "vqa_model" else _("The description model {model}")
        message = _("{what} is not on this computer.").format(what=what.format(model=ref.display_name))
        if reason:
            message = f"{message} {reason}"
        hint = _(
            "Download it once with: seesay download {name}\n"
            "or use a model folder you already have: {flag} /path/to/folder\n"
            "Downloaded models are kept in {root}"
        ).format(name=ref.name, root=self.root, flag="--" + setting.replace("_", "-"))
        return ModelNotAvailableError(message, hint)

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

    def download(self, name: str | None, progress: ProgressCallback | None = None, endpoint: str | None = None) -> Path:
        """Fetch a hub model into the store (resuming a partial download) and mark it complete."""
        ref = parse_model_name(name)
        if ref.hub_id is None:
            raise ModelNotAvailableError(
                _("{folder} is a folder on this computer; there is nothing to download.").format(folder=ref.folder)
            )
        target = self.folder_for(ref.hub_id)
        if (target / COMPLETE_MARKER).is_file():
            return verify_model_folder(target)
        target.mkdir(parents=True, exist_ok=True)
        try:
            from huggingface_hub import snapshot_download

            snapshot_download(
                ref.hub_id,
                local_dir=target,
                allow_patterns=DOWNLOAD_PATTERNS,
                tqdm_class=_progress_class(progress),
                endpoint=endpoint,
            )
        except Exception as error:  # network down, repository missing, disk full...
            raise self.not_available(ref, _download_failure(error)) from None
        folder = verify_model_folder(target)
        (target / COMPLETE_MARKER).write_text(json.dumps({"model": ref.hub_id}), encoding="utf-8")
        return folder

    def downloaded_models(self) -> list[tuple[str, Path, int]]:
        """(hub id, folder, size in bytes) for every completed download in the store."""
        found = []
        for marker in sorted(self.root.glob(f"*/{COMPLETE_MARKER}")):
            folder = marker.parent
            size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
            found.append((folder.name.replace("--", "/", 1), folder, size))
        return found


def verify_model_folder(folder: Path) -> Path:
    """Check that ``folder`` holds a loadable model with safetensors weights."""
    name = str(folder)
    if not folder.is_dir():
        raise ModelNotAvailableError(
            _("The model folder {folder} does not exist.").format(folder=name),
            _("Give --model a folder that holds config.json and model.safetensors."),
        )
    missing = [" or ".join(names) for names in REQUIRED_FILES if not any((folder / n).is_file() for n in names)]
    if not any(folder.glob("*.safetensors")):
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
        )
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


def _progress_class(progress: ProgressCallback | None):
    """A tqdm class for huggingface_hub that reports the bytes of the whole snapshot to ``progress``.

    huggingface_hub makes two byte bars: "Downloading bytes" (network transfer, whose total is
    a guess) and the snapshot bar whose total grows to the sum of the file sizes as each file
    starts; the latter is reported. The bars are disabled: nothing is drawn.
    """
    from tqdm.auto import tqdm

    if progress is None:
        return tqdm

    class _Reporting(tqdm):  # type: ignore[misc, valid-type]
        def __init__(self, *args, **kwargs):
            kwargs["disable"] = True
            self._reports = kwargs.get("unit") == "B" and not str(kwargs.get("desc", "")).startswith("Downloading")
            self._done = int(kwargs.get("initial") or 0)
            super().__init__(*args, **kwargs)

        def update(self, n=1):
            if self._reports and n:
                self._done += int(n)
                progress(self._done, int(self.total or 0))
            return super().update(n)

    return _Reporting
