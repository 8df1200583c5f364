"""The Ray folder job's parts that need no Ray (``describe.ray_job``); the job itself is tested on a
local Ray in tests/integration/test_ray_folder_job.py."""

from __future__ import annotations

import os
import sys

from PIL import Image

from seesay import cli
from seesay.describe import ray_job


def test_without_ray_the_folder_job_says_how_to_install_it(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "ray", None)  # as where it is not installed: import ray fails
    Image.new("RGB", (16, 16), "red").save(tmp_path / "one.png")
    status = cli.main(["describe", "--ray", "local", "-r", "--no-index", str(tmp_path)])
    err = capsys.readouterr().err
    assert status == 1
    assert "Ray is not installed, so pictures cannot be described on a Ray cluster." in err
    assert 'Install it with: pip install "seesay[cluster]"' in err
    assert "Traceback" not in err


def test_the_ray_options_go_with_ray(tmp_path, capsys):
    status = cli.main(["describe", "--shared-files", "-r", "--no-index", str(tmp_path)])
    assert status == 1
    assert "--shared-files and --ray-workers go with --ray." in capsys.readouterr().err


def test_ray_core_log_lines_go_to_the_log_and_all_else_is_passed_on(caplog):
    reading, writing = os.pipe()
    kept_reading, kept_writing = os.pipe()
    os.write(writing, "12 pictures to describe.\n[2026-12-01 02:58:00,762 E 32224 32224] core_worker.cc:2465: Actor "
                      "with class name: 'MapWorker' has constructor arguments\nDone in 3 seconds: é".encode())
    os.close(writing)
    with caplog.at_level("INFO", logger="seesay.describe"):
        ray_job._forward_stderr(reading, kept_writing)
    os.close(kept_writing)
    with os.fdopen(kept_reading, "rb") as passed:
        assert passed.read().decode() == "12 pictures to describe.\nDone in 3 seconds: é"
    assert "core_worker.cc:2465" in caplog.text


def test_an_address_is_knocked_at_before_ray_is_asked():
    import socket

    import pytest

    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    for address in (f"127.0.0.1:{port}", f"ray://127.0.0.1:{port}"):
        with pytest.raises(OSError):
            ray_job._knock(address, seconds=2)
    ray_job._knock("auto")  # left to Ray
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        ray_job._knock(f"127.0.0.1:{listening.getsockname()[1]}")
