"""``--speech-dir``: every utterance as a numbered WAV file with a matching transcript."""

from __future__ import annotations

import re
import shutil
import threading
from pathlib import Path


class SpeechRecorder:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        numbers = [int(m.group(1)) for p in self.folder.iterdir() if (m := re.fullmatch(r"(\d+)\.txt", p.name))]
        self._next = max(numbers, default=0) + 1

    def record(self, text: str, wav: Path | None) -> Path:
        """Copy ``wav`` (if any) and write the transcript; returns the transcript's path."""
        with self._lock:
            number = self._next
            self._next += 1
        stem = self.folder / f"{number:04d}"
        if wav is not None:
            shutil.copyfile(wav, stem.with_suffix(".wav"))
        transcript = stem.with_suffix(".txt")
        transcript.write_text(text + "\n", encoding="utf-8")
        return transcript
