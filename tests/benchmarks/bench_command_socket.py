"""The command socket under a flood, and its memory over many connections.

    python tests/benchmarks/bench_command_socket.py [--source SRC] [--seconds 8] [--connections 10000]

Starts a real seesay command server in its own process (tests/fixtures/command_server.py, offscreen)
and prints: the longest stall of its event loop while 12 senders flood it (1 MB lines, lines that
never end, idle connections, unknown commands), whether a real command still gets through during
the flood, and its resident memory before and after N one-line connections, twice. ``--source``
runs another checkout's seesay (for example an export of an older commit's src/) for comparison.
"""

from __future__ import annotations

import argparse
import os
import platform
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SERVER = HERE.parent / "fixtures" / "command_server.py"


def cpu() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


class Server:
    def __init__(self, source: Path, runtime: Path) -> None:
        env = {**os.environ, "XDG_RUNTIME_DIR": str(runtime), "DISPLAY": ":bench", "QT_QPA_PLATFORM": "offscreen",
               "PYTHONPATH": os.pathsep.join(filter(None, (str(source), os.environ.get("PYTHONPATH"))))}
        self.path = str(runtime / "seesay" / "instance-_bench.sock")
        self.process = subprocess.Popen([sys.executable, str(SERVER), "--files", "1024"], env=env,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout.readline().strip() == "listening"

    def ask(self, what: str) -> str:
        self.process.stdin.write(what + "\n")
        self.process.stdin.flush()
        while True:
            line = self.process.stdout.readline()
            if not line:
                return "gone"
            if line.startswith(what):
                return line.split()[1]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()  # by its PID
        self.process.wait(10)


def send(path: str, payload: bytes, wait_answer: bool = True, timeout: float = 3) -> bytes:
    with socket.socket(socket.AF_UNIX) as client:
        client.settimeout(timeout)
        try:
            client.connect(path)
            client.sendall(payload)
            return client.recv(16) if wait_answer else b""
        except OSError:
            return b""


def flood(server: Server, seconds: float, holders: int) -> tuple[float, int, int]:
    """Returns (longest loop stall in ms, commands answered during the flood, flood connections made)."""
    stop = threading.Event()
    made = [0]
    big = b'{"command": "ask", "question": "' + b"a" * 1_000_000 + b'"}\n'
    endless = b"x" * 4_000_000
    unknown = b'{"command": "' + b"w" * 3000 + b'"}\n'

    def sender(payload: bytes, wait: bool) -> None:
        while not stop.is_set():
            send(server.path, payload, wait, timeout=1)
            made[0] += 1

    def holder() -> None:
        held = []
        while not stop.is_set():
            client = socket.socket(socket.AF_UNIX)
            client.setblocking(False)
            try:
                client.connect(server.path)
                held.append(client)
                if len(held) > 2000:  # this process's own open-file limit
                    held.pop(0).close()
            except OSError:
                client.close()
                time.sleep(0.01)
            made[0] += 1
        for client in held:
            client.close()

    kinds = [(big, False)] * 4 + [(endless, False)] * 3 + [(unknown, True)] * 3
    threads = [threading.Thread(target=sender, args=kind) for kind in kinds]
    threads += [threading.Thread(target=holder) for _ in range(holders)]
    server.ask("gap")  # start measuring now
    for thread in threads:
        thread.start()
    answered, started = 0, time.monotonic()
    while time.monotonic() - started < seconds:
        answered += send(server.path, b'{"command": "stop"}\n', timeout=5).strip() == b"ok"
        time.sleep(0.2)
    gap = server.ask("gap")
    stop.set()
    for thread in threads:
        thread.join()
    return float(gap) if gap != "gone" else float("nan"), answered, made[0]


def churn(server: Server, count: int) -> float:
    started = time.monotonic()
    for _ in range(count):
        send(server.path, b'{"command": "ping"}\n')
    return time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", type=Path, default=HERE.parents[1] / "src")
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--connections", type=int, default=10_000)
    args = parser.parse_args()
    print(f"CPU: {cpu()}, {os.cpu_count()} cores; seesay from {args.source}")
    with tempfile.TemporaryDirectory() as folder:
        runtime = Path(folder) / "runtime"
        runtime.mkdir(mode=0o700)
        server = Server(args.source, runtime)
        try:
            rss = [int(server.ask("rss"))]
            for _ in range(2):
                seconds = churn(server, args.connections)
                rss.append(int(server.ask("rss")))
                print(f"{args.connections} connections in {seconds:.1f} s; RSS {rss[-2] / 1024:.1f} -> "
                      f"{rss[-1] / 1024:.1f} MiB")
            for holders, what in ((0, "long, endless and unknown lines"), (2, "the same, and idle connections held")):
                gap, answered, made = flood(server, args.seconds, holders)
                alive = server.process.poll() is None and os.path.exists(server.path)
                print(f"flood of {what} for {args.seconds:.0f} s ({made} hostile connections): longest event-loop "
                      f"stall {gap:.0f} ms; {answered} real commands answered; still listening: {alive}")
            rss.append(int(server.ask("rss")) if alive else 0)
            print(f"RSS after the floods: {rss[-1] / 1024:.1f} MiB")
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
