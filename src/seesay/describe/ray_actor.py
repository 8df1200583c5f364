"""The model actor of the Ray folder job (``describe.ray_job``): runs on the cluster's workers.

It loads the models once, through seesay's own loader, and describes each batch Ray Data gives it
exactly as the local job describes pictures (``FolderJob.describe``: ``pipeline.look``, the batch's
pictures in hand together so their captions are made in one batch). What comes back is plain data:
the record as JSON, the embedding's bytes, or an error's kind and words.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from seesay.core.errors import ImageError, SeesayError
from seesay.describe.folder_job import FolderJob

log = logging.getLogger("seesay.describe")


class Describer:
    """A model actor: loads the models once (seesay's own loader) and describes each batch it is
    given, the batch's pictures in hand together as in the local job. Runs on a Ray worker."""

    def __init__(self, values: Mapping[str, Any], batch: int, device: str, language: str,
                 shared_files: bool) -> None:
        from seesay.core import i18n
        from seesay.describe.folders import FolderOptions

        i18n.use_language(language)  # messages in the person's language, as here
        self.shared_files = shared_files
        #: a translation model missing or failing here, given back with the next answer
        self.notices: list[str] = []
        self.job = FolderJob([], {**values, "device": device}, FolderOptions(batch=batch, use_index=False), None,
                             lambda message: log.info("%s", message), tell_translation=self.notices.append)
        self.error: SeesayError | None = None
        try:
            self.job._models()  # once, before the first batch
        except SeesayError as error:  # said for each picture: the driver stops at the first
            self.error = error
        if device == "cpu":
            _threads_to_assigned_cpus()
        self.threads = ThreadPoolExecutor(max_workers=max(1, batch), thread_name_prefix="seesay-ray")

    def __call__(self, batch: dict[str, Any]) -> dict[str, list]:
        answers = list(self.threads.map(self._one, batch["path"], batch["data"]))
        return {"number": [int(number) for number in batch["number"]],
                **{key: [answer.get(key) for answer in answers] for key in
                   ("record", "vector", "model", "kind", "error", "hint", "notice")}}

    def _one(self, path, data) -> dict[str, Any]:
        path = str(path)
        if self.error is not None:
            return {"kind": "model", "error": self.error.message, "hint": self.error.hint}
        try:
            record, vector = self.job.describe(path, None if self.shared_files or data is None else bytes(data))
        except ImageError as error:
            return {"kind": "image", "error": error.message, "hint": error.hint}
        except SeesayError as error:
            return {"kind": "model", "error": error.message, "hint": error.hint}
        except Exception as error:  # noqa: BLE001 - this picture failed; the others are still described
            from seesay.describe.files import _failure

            failure = _failure(path, error, "a picture on a Ray worker")
            return {"kind": "other", "error": failure.message, "hint": failure.hint}
        notices = [self.notices.pop(0) for _ in range(len(self.notices))]
        return {"record": json.dumps(record), "vector": vector, "model": self.job.model_name,
                "notice": "\n".join(notices) or None}


def _threads_to_assigned_cpus() -> None:
    """torch uses the CPUs Ray gave this actor, not every core of its machine."""
    import ray

    from seesay.vision.device import use_threads

    cpus = ray.get_runtime_context().get_assigned_resources().get("CPU")
    if cpus:
        use_threads(max(1, int(cpus)))
