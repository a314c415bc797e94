"""Voice messages decoded on the server (chat.audio): length, waveform, the playable copy."""

from __future__ import annotations

import io

import pytest

from hanout.chat import audio
from hanout.chat.tests.factories import recording


@pytest.mark.parametrize(
    ("fmt", "codec", "ours", "copied"),
    [
        ("webm", "libopus", "webm", True),  # Chrome, Firefox
        ("ogg", "libopus", "ogg", True),  # Firefox on some systems
        ("wav", "pcm_s16le", "wav", True),
        ("mp4", "aac", "mp4", False),  # Safari: plays everywhere already
        ("mp3", "libmp3lame", "mp3", False),
    ],
)
def test_every_recorder_format_is_measured_and_made_playable(fmt, codec, ours, copied):
    voice = audio.inspect(io.BytesIO(recording(fmt, codec, 1.5)), ours, max_ms=60_000)
    assert 1500 <= voice.duration_ms <= 1560  # AAC and MP3 add a frame of padding
    assert len(voice.waveform) == 64 and max(voice.waveform) == 100
    assert (voice.playable is not None) is copied
    if copied:
        again = audio.inspect(io.BytesIO(voice.playable), "mp4", max_ms=60_000)
        assert again.playable is None  # AAC in MP4: plays everywhere
        assert abs(again.duration_ms - voice.duration_ms) <= 50


def test_the_waveform_follows_the_sound():
    voice = audio.inspect(
        io.BytesIO(recording(seconds=2.0, silent_first=1.0)), "webm", max_ms=60_000
    )
    assert voice.waveform[:30] == [0] * 30
    assert min(voice.waveform[34:]) >= 90


def test_waveform_shape():
    assert audio.waveform_of([]) == []
    assert audio.waveform_of([0.0] * 500) == [0] * 64  # silence stays flat
    assert audio.waveform_of([0.1, 0.4]) == [50, 100]  # fewer blocks than bars
    bars = audio.waveform_of([i / 1000 for i in range(1000)])
    assert len(bars) == 64 and bars == sorted(bars) and bars[-1] == 100


def test_too_long_and_not_audio_are_refused():
    with pytest.raises(audio.AudioRefused, match="at most"):
        audio.inspect(io.BytesIO(recording(seconds=2.0)), "webm", max_ms=1000)
    with pytest.raises(audio.AudioRefused, match="damaged or empty"):
        audio.inspect(io.BytesIO(b"\x1a\x45\xdf\xa3" + b"\x00" * 300), "webm", max_ms=60_000)
    with pytest.raises(audio.AudioRefused):
        audio.inspect(io.BytesIO(recording("mp4", "aac")[:400]), "mp4", max_ms=60_000)
