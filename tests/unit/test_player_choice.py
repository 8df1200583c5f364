"""Which program plays seesay's own voice: PipeWire's pw-play only where a PipeWire server runs.
Installing pipewire's tools starts none, and pw-play then fails every time ("pw_context_connect()
failed: Host is down") where ALSA's aplay would have played."""

from __future__ import annotations

import socket
import stat

from seesay.speech.players import choose_player


def tools(folder, *names):
    folder.mkdir()
    for name in names:
        path = folder / name
        path.write_text("#!/bin/sh\nexit 0\n")
        path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return folder


def test_pw_play_is_passed_over_without_a_pipewire_server(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tools(tmp_path / "bin", "pw-play", "aplay")))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))  # no pipewire-0 socket in it
    monkeypatch.delenv("PIPEWIRE_REMOTE", raising=False)
    monkeypatch.delenv("PIPEWIRE_RUNTIME_DIR", raising=False)
    player, problem = choose_player()
    assert problem is None and player.name == "aplay", player.name


def test_pw_play_plays_where_a_pipewire_server_listens(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tools(tmp_path / "bin", "pw-play", "aplay")))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    monkeypatch.delenv("PIPEWIRE_REMOTE", raising=False)
    monkeypatch.delenv("PIPEWIRE_RUNTIME_DIR", raising=False)
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(tmp_path / "pipewire-0"))
        player, problem = choose_player()
    finally:
        server.close()
    assert problem is None and player.name == "pw-play", player.name


def test_a_player_that_never_ends_is_given_up_with_the_reason(tmp_path, monkeypatch):
    """pw-play with a PipeWire server but no sound device waits for ever: seesay's speech, and the
    sound check of its start and of seesay doctor, hung with it."""
    import time
    import wave

    from seesay.speech import players

    monkeypatch.setattr(players, "PLAYBACK_SLACK", 1.0)
    stuck = tmp_path / "stuck-player"
    stuck.write_text("#!/bin/sh\nexec sleep 60\n")
    stuck.chmod(stuck.stat().st_mode | stat.S_IXUSR)
    sample = tmp_path / "beep.wav"
    with wave.open(str(sample), "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(22050)
        audio.writeframes(b"\0\0" * 1102)
    player = players.ProcessPlayer([str(stuck)])
    started = time.monotonic()
    assert player.play(sample) is False
    assert time.monotonic() - started < 5
    assert "did not finish playing in 1 second" in players.check_player(player)
