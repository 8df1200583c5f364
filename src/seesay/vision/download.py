"""Fetching a model's files from the hub, each checked against the checksum the hub publishes.

The hub lists every file of a model with its size and checksum: the sha256 of the content for
large (LFS) files, git's blob id for the small ones. A file is fetched into a partial file named
by that checksum (``.seesay-partial/<checksum>.part``), so an interrupted transfer, even one ended
by ``kill -9``, is resumed at the next download from the byte it reached (an HTTP range request),
and a partial file of another version is never mixed in. Only when the whole file is there and
its checksum is the published one is it moved into place; a file that does not match is deleted
and the download fails. huggingface_hub's own downloader checks only sizes and keeps partial files
of a failed run nowhere it will look again, so the transfer itself is done here over its HTTP
session (same proxies, token and user agent).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from seesay.core.i18n import _

#: What a download fetches: configs, tokenizer and safetensors weights; never pickles or code.
#: (``*.spm``: the SentencePiece models of OPUS-MT translation models, protocol buffers.)
DOWNLOAD_PATTERNS = ["*.json", "*.safetensors", "vocab.txt", "*.model", "*.spm"]
PARTIAL_FOLDER = ".seesay-partial"
#: What older seesay versions (huggingface_hub's snapshot download) left in a model folder.
OLD_BOOKKEEPING = Path(".cache") / "huggingface"
CHUNK_BYTES = 1024 * 1024
#: Disk space a download always leaves free, for everything else on the computer.
DISK_RESERVE_BYTES = 200 * 1024 * 1024
#: Seconds without a byte before a transfer is given up (the next download resumes it).
STALL_SECONDS = 60.0

#: ``progress(bytes_done, bytes_total)``; total is 0 while unknown.
ProgressCallback = Callable[[int, int], None]


class DownloadError(Exception):
    """The hub answered, but what it sent cannot be used; the message says why (translated)."""


@dataclass(frozen=True)
class RemoteFile:
    """One file as the hub publishes it."""

    name: str
    size: int
    #: sha256 of the content (LFS files) or None
    sha256: str | None
    #: git's blob id, sha1 of ``b"blob <size>\\0" + content`` (small files) or None
    blob_id: str | None

    @property
    def checksum(self) -> str:
        return self.sha256 or self.blob_id or ""


def published_files(hub_id: str, revision: str | None, endpoint: str | None) -> tuple[str, list[RemoteFile]]:
    """The commit and the files seesay fetches of ``hub_id``, with the hub's sizes and checksums."""
    from huggingface_hub import HfApi
    from huggingface_hub.utils import filter_repo_objects

    info = HfApi(endpoint=endpoint).model_info(hub_id, revision=revision, files_metadata=True)
    files = []
    # only the model's own top-level files: nothing in a subfolder, nothing hidden, no ".."
    siblings = [s for s in info.siblings or [] if not set("/\\") & set(s.rfilename)
                and not s.rfilename.startswith(".")]
    for sibling in filter_repo_objects(siblings, allow_patterns=DOWNLOAD_PATTERNS, key=lambda s: s.rfilename):
        sha256 = sibling.lfs.sha256 if sibling.lfs is not None else None
        if sibling.size is None or not (sha256 or sibling.blob_id):
            raise DownloadError(_("The hub published no checksum for {file}.").format(file=sibling.rfilename))
        files.append(RemoteFile(sibling.rfilename, int(sibling.size), sha256, None if sha256 else sibling.blob_id))
    if not info.sha or not files:
        raise DownloadError(_("The hub lists no model files for it."))
    return info.sha, files


def file_checksums(path: Path) -> tuple[str, str]:
    """(sha256, git blob id) of a file, read once."""
    sha256 = hashlib.sha256()
    blob = hashlib.sha1(b"blob %d\0" % path.stat().st_size)
    with path.open("rb") as file:
        while chunk := file.read(CHUNK_BYTES):
            sha256.update(chunk)
            blob.update(chunk)
    return sha256.hexdigest(), blob.hexdigest()


def matches(path: Path, remote: RemoteFile) -> str | None:
    """The file's sha256 when it is ``remote`` byte for byte, else None."""
    if not path.is_file() or path.is_symlink() or path.stat().st_size != remote.size:
        return None
    sha256, blob_id = file_checksums(path)
    return sha256 if (sha256 == remote.sha256 if remote.sha256 else blob_id == remote.blob_id) else None


def fetch_files(folder: Path, hub_id: str, commit: str, files: list[RemoteFile],
                progress: ProgressCallback | None = None, endpoint: str | None = None) -> dict[str, dict]:
    """Bring every file of ``files`` into ``folder``, checked; return ``{name: {"size", "sha256"}}``.

    Files already there and right are kept; partial files are resumed; leftovers of earlier
    downloads that no file needs any more are deleted."""
    from huggingface_hub import hf_hub_url

    partial = folder / PARTIAL_FOLDER
    partial.mkdir(parents=True, exist_ok=True)
    clean_leftovers(folder, keep={f"{remote.checksum}.part" for remote in files})
    _check_disk_space(folder, files)
    total = sum(remote.size for remote in files)
    done = 0
    recorded = {}
    for remote in files:
        target = folder / remote.name
        sha256 = matches(target, remote)
        if sha256 is None:
            if target.is_symlink() or target.exists():
                target.unlink()
            part = partial / f"{remote.checksum}.part"
            url = hf_hub_url(hub_id, remote.name, revision=commit, endpoint=endpoint)
            sha256 = _fetch_checked(url, part, remote, done, total, progress)
            os.replace(part, target)
        recorded[remote.name] = {"size": remote.size, "sha256": sha256}
        done += remote.size
        if progress is not None:
            progress(done, total)
    shutil.rmtree(partial, ignore_errors=True)
    return recorded


def _check_disk_space(folder: Path, files: list[RemoteFile]) -> None:
    """Refuse, before a byte is fetched, a model that would leave the disk (nearly) full."""
    needed = 0
    for remote in files:
        present = folder / remote.name
        if present.is_file() and present.stat().st_size == remote.size:
            continue
        part = folder / PARTIAL_FOLDER / f"{remote.checksum}.part"
        needed += remote.size - (part.stat().st_size if part.is_file() else 0)
    free = shutil.disk_usage(folder).free
    if needed + DISK_RESERVE_BYTES > free:
        raise DownloadError(_("It needs {needed} MB of disk space, and {free} MB are free in {folder}.").format(
            needed=round(needed / 1e6), free=round(free / 1e6), folder=folder))


def clean_leftovers(folder: Path, keep: set[str]) -> None:
    """Delete partial files no wanted file will resume, and what older seesay versions left."""
    shutil.rmtree(folder / OLD_BOOKKEEPING, ignore_errors=True)
    for part in (folder / PARTIAL_FOLDER).glob("*"):
        if part.name not in keep:
            part.unlink() if part.is_file() or part.is_symlink() else shutil.rmtree(part, ignore_errors=True)


def _fetch_checked(url: str, part: Path, remote: RemoteFile, done: int, total: int,
                   progress: ProgressCallback | None) -> str:
    """Complete ``part`` from ``url`` and return its sha256, or delete it if it is not ``remote``."""
    if part.is_symlink() or (part.exists() and part.stat().st_size > remote.size):
        part.unlink()
    have = part.stat().st_size if part.exists() else 0
    if have < remote.size:
        _transfer(url, part, have, remote, done, total, progress)
    sha256, blob_id = file_checksums(part)
    if (sha256 != remote.sha256) if remote.sha256 else (blob_id != remote.blob_id):
        part.unlink()
        raise DownloadError(_("{file} did not match the checksum the hub publishes for it, so it was not kept. "
                              "It may have been damaged or changed on the way; try again later.").format(
            file=remote.name))
    return sha256


def _transfer(url: str, part: Path, have: int, remote: RemoteFile, done: int, total: int,
              progress: ProgressCallback | None) -> None:
    """Append the bytes from ``have`` on to ``part``, or start again when the server ignores the range."""
    from huggingface_hub import get_session, hf_raise_for_status
    from huggingface_hub.utils import build_hf_headers

    headers = build_hf_headers()
    if have:
        headers["Range"] = f"bytes={have}-"
    with get_session().stream("GET", url, headers=headers, timeout=STALL_SECONDS, follow_redirects=True) as response:
        if response.status_code == 416:  # the range is past the end: the partial file is no good
            part.unlink()
            raise DownloadError(_("{file} could not be resumed; the next download starts it again.").format(
                file=remote.name))
        hf_raise_for_status(response)
        resumed = bool(have) and response.status_code == 206
        if resumed and not response.headers.get("Content-Range", "").startswith(f"bytes {have}-"):
            part.unlink()  # another range than the one asked for: start again next time
            raise DownloadError(_("{file} could not be resumed; the next download starts it again.").format(
                file=remote.name))
        if not resumed:
            have = 0  # the server sends the whole file
        with part.open("r+b" if resumed else "wb") as file:
            file.seek(have)
            for chunk in response.iter_bytes():  # as it arrives: a dropped connection loses nothing written
                if have + len(chunk) > remote.size:
                    raise DownloadError(_("{file} is longer than the hub says.").format(file=remote.name))
                file.write(chunk)
                have += len(chunk)
                if progress is not None:
                    progress(done + have, total)
            file.flush()
            os.fsync(file.fileno())
    if have != remote.size:
        raise DownloadError(_("{file} arrived incomplete; the next download resumes it.").format(file=remote.name))
