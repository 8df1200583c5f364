"""The folder job on Ray (issue 18, part 3): `seesay describe --ray ADDRESS --recursive`, against a Ray
started by this module on this computer (2 CPUs, loopback only), with the trained scene model. It
must say and write exactly what the local job does, resume the same way, and report what fails."""

from __future__ import annotations

import importlib.util
import json
import os
import random
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fixtures.scenes import draw_random_scene
from fixtures.wayland import _alive, _descendants
from seesay.describe.ray_actor import Describer

if importlib.util.find_spec("ray") is None:
    pytest.skip("Ray is not installed: pip install -e '.[cluster]' (make test installs it)", allow_module_level=True)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ray_cluster(tmp_path_factory):
    """A Ray on this computer for the whole module (starting one takes seconds): its address. Its
    session folder is this test's; at the end Ray is shut down and every process it started is
    checked to be gone (ended by PID, and the test fails, if one is not)."""
    home = tmp_path_factory.mktemp("ray-home")
    with pytest.MonkeyPatch.context() as patch:
        # what Ray's own processes inherit: a private home, no network, and what seesay sets for a local Ray
        for name, value in {"HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"),
                            "XDG_DATA_HOME": str(home / ".local" / "share"), "HF_HOME": str(home / "hf"),
                            "HF_ENDPOINT": "http://127.0.0.1:9", "LANGUAGE": "en",
                            "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0",  # Ray's "loopback only" switch
                            "RAY_USAGE_STATS_ENABLED": "0", "RAY_AUTH_MODE": "token",
                            "RAY_AUTH_TOKEN": secrets.token_hex(32)}.items():
            patch.setenv(name, value)
        import ray

        context = ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
                           _temp_dir=str(tmp_path_factory.mktemp("ray")))  # short: Ray's socket paths
        started = [process.process.pid for processes in ray._private.worker._global_node.all_processes.values()
                   for process in processes]
        try:
            yield context.address_info["gcs_address"]
        finally:
            ours = started + [child for pid in started for child in _descendants(pid)]
            ray.shutdown()
            left = _still_running(ours, seconds=15)
            for pid in left:
                os.kill(pid, 9)
            assert not left, f"Ray left processes running: {left}"


def _still_running(pids: list[int], seconds: float) -> list[int]:
    deadline = time.monotonic() + seconds
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    return [pid for pid in pids if _alive(pid)]


def seesay(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "seesay", *args], capture_output=True, text=True, timeout=300,
                          env=os.environ.copy())


def json_lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def draw_tree(root: Path, count: int, seed: int) -> dict[str, str]:
    """``count`` drawn scenes in nested folders, a copy of the first and a damaged file; path -> caption."""
    rng = random.Random(seed)
    truth = {}
    for number in range(count):
        scene, image = draw_random_scene(rng, (160, 120))
        folder = root / ("" if number % 2 else "trip") / ("deeper" if number % 3 == 0 else "")
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"scene {number:02d} é.png"
        image.save(path)
        truth[str(path)] = scene.caption
    first = next(iter(truth))
    shutil.copyfile(first, root / "copy of the first.png")
    truth[str(root / "copy of the first.png")] = truth[first]
    (root / "damaged.png").write_bytes(Path(first).read_bytes()[:200])
    return truth


def comparable(records: list[dict]) -> list[dict]:
    """The records without the seconds each took (which differ from run to run)."""
    return [{key: value for key, value in record.items() if key != "seconds"} for record in records]


def sidecars(root: Path) -> dict[str, str]:
    return {str(path): path.read_text(encoding="utf-8") for path in sorted(root.rglob("*.alt.txt"))}


def test_the_ray_job_says_and_writes_what_the_local_job_does_and_a_second_run_does_nothing_new(
        ray_cluster, scene_model, tmp_path):
    root = tmp_path / "photos"
    truth = draw_tree(root, 7, seed=1803)
    here = seesay("describe", "-r", "--format", "jsonl", "--sidecar", "--batch", "4", "--index",
                  str(tmp_path / "here.sqlite3"), "--model", str(scene_model), str(root))
    assert here.returncode == 1, here.stderr  # the damaged file
    written_here = sidecars(root)
    for path in written_here:
        os.unlink(path)

    on_ray = seesay("describe", "--ray", ray_cluster, "-r", "--format", "jsonl", "--sidecar", "--batch", "4",
                    "--index", str(tmp_path / "ray.sqlite3"), "--model", str(scene_model), str(root))
    assert on_ray.returncode == 1, on_ray.stderr
    assert "Traceback" not in on_ray.stderr
    assert f"Describing on Ray at {ray_cluster}: 1 model worker on CPUs." in on_ray.stderr
    records = json_lines(on_ray.stdout)
    assert comparable(records) == comparable(json_lines(here.stdout))  # the same order, words and errors
    described = {record["path"]: record for record in records if "error" not in record}
    assert set(described) == set(truth)
    assert sum(described[path]["caption"] == caption for path, caption in truth.items()) >= len(truth) - 1
    copies = [record["path"] for record in records if record["path"] in (str(root / "copy of the first.png"),
                                                                          next(iter(truth)))]
    assert [record["path"] for record in records if record.get("from_index")] == copies[1:]  # found first: described
    errors = {Path(record["path"]).name: record["error"] for record in records if "error" in record}
    assert list(errors) == ["damaged.png"] and "damaged" in errors["damaged.png"]
    assert "7 described, 1 already in the index, 1 could not be described" in on_ray.stderr
    assert sidecars(root) == written_here and len(written_here) == len(truth)
    for index in ("here", "ray"):  # the same pictures, found by the same words, in both indexes
        found = seesay("search", "--index", str(tmp_path / f"{index}.sqlite3"), "--limit", "50", "background")
        assert sorted(found.stdout.splitlines()) == sorted(str(Path(path).resolve()) for path in truth), (
            index, found.stderr)

    (root / "damaged.png").unlink()  # else tried again, as the local job does
    again = seesay("describe", "--ray", ray_cluster, "-r", "--format", "jsonl", "--index",
                   str(tmp_path / "ray.sqlite3"), "--model", str(scene_model), str(root))
    assert again.returncode == 0, again.stderr
    assert "0 described, 8 already in the index, 0 could not be described" in again.stderr
    assert [record["said"] for record in json_lines(again.stdout) if "error" not in record] == [
        record["said"] for record in records if "error" not in record]


class FailingOnPoison(Describer):
    """A model actor whose batch fails when it holds a picture named poison: as a worker that dies."""

    def __call__(self, batch):
        if any("poison" in str(path) for path in batch["path"]):
            raise RuntimeError("this worker failed")
        return super().__call__(batch)


def test_a_batch_whose_worker_fails_is_reported_and_the_others_are_described(ray_cluster, scene_model, tmp_path):
    import io

    from seesay.core import settings
    from seesay.describe.folders import FolderOptions, describe_folders
    from seesay.describe.ray_job import RayOptions

    rng = random.Random(7)
    truth = {}
    for name in ("a", "b", "c-poison", "d", "e"):  # in batches of two: [a, b], [c-poison, d], [e]
        scene, image = draw_random_scene(rng, (120, 96))
        image.save(tmp_path / f"{name}.png")
        truth[str(tmp_path / f"{name}.png")] = scene.caption
    out, err = io.StringIO(), io.StringIO()
    import ray.cloudpickle

    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the workers cannot import this module
    status = describe_folders([str(tmp_path)], settings.resolve({"model": str(scene_model)}),
                              FolderOptions(output="jsonl", batch=2, use_index=False,
                                            ray=RayOptions(address=ray_cluster, describer=FailingOnPoison)),
                              out=out, err=err)
    assert status == 1, err.getvalue()
    records = json_lines(out.getvalue())
    assert [Path(record["path"]).stem for record in records] == ["a", "b", "c-poison", "d", "e"]
    errors = {Path(record["path"]).stem: record["error"] for record in records if "error" in record}
    assert set(errors) == {"c-poison", "d"}
    assert "A worker of the Ray cluster failed while describing" in errors["c-poison"]
    assert "A worker of the Ray cluster failed: 2 pictures were not described; the others go on." in err.getvalue()
    assert {record["path"]: record["caption"] for record in records if "error" not in record} == {
        path: caption for path, caption in truth.items() if Path(path).stem in ("a", "b", "e")}


def test_an_address_where_no_ray_answers_is_said_at_once(tmp_path, scene_model):
    import socket

    with socket.socket() as closed:  # a port nothing listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    draw_random_scene(random.Random(1), (96, 96))[1].save(tmp_path / "one.png")
    started = time.monotonic()
    result = seesay("describe", "--ray", f"127.0.0.1:{port}", "-r", "--no-index", "--model", str(scene_model),
                    str(tmp_path))
    assert result.returncode == 1
    assert f"The Ray cluster at 127.0.0.1:{port} could not be reached" in result.stderr
    assert "ray://HOST:10001" in result.stderr and "Traceback" not in result.stderr
    assert time.monotonic() - started < 30


def test_ctrl_c_stops_the_ray_job_cleanly_and_the_next_run_goes_on(ray_cluster, scene_model, tmp_path):
    import selectors
    import signal

    rng = random.Random(18)
    for number in range(40):
        draw_random_scene(rng, (320, 240))[1].save(tmp_path / f"{number:02d}.png")
    command = [sys.executable, "-m", "seesay", "describe", "--ray", ray_cluster, "-r", "--format", "jsonl", "--batch",
               "2", "--index", str(tmp_path / "index.sqlite3"), "--model", str(scene_model), str(tmp_path)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy())
    try:
        selector = selectors.DefaultSelector()
        selector.register(process.stdout, selectors.EVENT_READ)
        first = process.stdout.readline() if selector.select(timeout=120) else ""
        assert first, process.stderr.read() if process.poll() is not None else "no output in time"
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
        printed, errors = json_lines(first + process.stdout.read()), process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 130, errors
    assert "Stopped. What was described is kept in the index" in errors and "Traceback" not in errors
    assert 1 <= len(printed) < 40 and all("error" not in record for record in printed)

    resumed = seesay(*command[3:])
    assert resumed.returncode == 0, resumed.stderr
    records = json_lines(resumed.stdout)
    assert len(records) == 40
    assert [record["path"] for record in records if record["from_index"]] == [record["path"] for record in printed]


def test_the_ray_job_in_german_says_a_missing_language_pair_once_and_describes_in_german_with_it(
        ray_cluster, scene_model, tmp_path):
    """The workers translate as the local job does; a pair missing there is told once (not once a
    worker or a picture), and with it the same pictures are described again, in German."""
    from fixtures.scene_translations import caption_in
    from fixtures.scenes import Scene

    rng = random.Random(1712)
    truth: dict[str, Scene] = {}
    for number in range(5):
        scene, image = draw_random_scene(rng, (160, 120))
        image.save(tmp_path / f"{number:02d}.png")
        truth[str(tmp_path / f"{number:02d}.png")] = scene
    store, index = str(tmp_path / "store"), str(tmp_path / "index.sqlite3")
    missing = seesay("describe", "--ray", ray_cluster, "-r", "--format", "jsonl", "--batch", "2", "--index", index,
                     "--language", "de", "--model", str(scene_model), "--model-dir", store, str(tmp_path))
    assert missing.returncode == 0, missing.stderr
    assert missing.stderr.count("seesay download Helsinki-NLP/opus-mt-en-de") == 1, missing.stderr
    records = json_lines(missing.stdout)
    # English captions (a scene's shape edge may add a word read as text after it)
    assert all(record["said"].startswith(scene.caption) for record, scene in zip(records, truth.values())), records
    assert {record["language"] for record in records} == {"de+en"}

    pair = Path(__file__).resolve().parents[1] / "fixtures" / "models" / "scenes-translate-en-de"
    german = seesay("describe", "--ray", ray_cluster, "-r", "--format", "jsonl", "--batch", "2", "--index", index,
                    "--language", "de", "--model", str(scene_model), "--model-dir", store, "--translation-model",
                    str(pair), str(tmp_path))
    assert german.returncode == 0, german.stderr
    records = json_lines(german.stdout)
    assert not any(record["from_index"] for record in records)
    assert sum(record["said"].startswith(caption_in("de", scene)) for record, scene in zip(records, truth.values())) >= 4
