"""Voice messages: measured on the server and made playable in every browser.

Browsers record in different formats: Chrome and Firefox make WebM/Opus,
Safari MP4/AAC. Older Safari cannot play WebM, and a WebM from MediaRecorder
carries no duration in its header. So every voice message is decoded here,
with the ffmpeg that PyAV bundles (no system package needed), which gives:

- its true length (samples decoded ÷ rate), whatever the recorder claimed;
- a waveform: the loudness of up to `BARS` equal slices, 0–100, scaled to the
  loudest slice so a quiet recording still shows its shape;
- unless it already plays everywhere (AAC in MP4, or MP3), a copy in AAC/MP4
  (`.m4a`, mono, 48 kHz, 48 kbit/s — about 6 KB a second), which Chrome,
  Firefox, Safari and Edge all play.

The container is opened with the format its first bytes announced, never by
letting ffmpeg guess, and decoding stops past the length limit.
"""

from __future__ import annotations

import array
import io
import math
from dataclasses import dataclass

import av
from django.utils.translation import gettext as _

RATE = 48000
BIT_RATE = 48000
BARS = 64
BLOCK = RATE // 100  # 10 ms of samples per loudness block

# our name of the recorder's format (files._audio_type) → ffmpeg's demuxer
DEMUXERS = {"webm": "matroska", "ogg": "ogg", "mp4": "mp4", "mp3": "mp3", "wav": "wav"}


class AudioRefused(ValueError):
    """The bytes are not a recording we can decode, or it is too long."""


@dataclass(frozen=True)
class Voice:
    duration_ms: int
    waveform: list[int]
    # AAC in MP4 when the original does not play everywhere, else None.
    playable: bytes | None


def _plays_everywhere(fmt: str, codec: str) -> bool:
    return (fmt == "mp4" and codec == "aac") or (fmt == "mp3" and codec.startswith("mp3"))


def waveform_of(peaks: list[float], bars: int = BARS) -> list[int]:
    """`peaks` (one per 10 ms block) as at most `bars` values 0–100, loudest = 100."""
    if not peaks:
        return []
    bars = min(bars, len(peaks))
    slices = [
        max(peaks[i * len(peaks) // bars : (i + 1) * len(peaks) // bars]) for i in range(bars)
    ]
    loudest = max(slices)
    if loudest <= 1e-4:  # silence: flat, not noise blown up
        return [0] * bars
    # square root: the ear hears loudness roughly so; quiet parts stay visible
    return [min(100, round(100 * math.sqrt(s / loudest))) for s in slices]


def inspect(data, fmt: str, *, max_ms: int) -> Voice:
    """Decode `data` (a file object) recorded as `fmt` (a DEMUXERS key)."""
    try:
        return _inspect(data, fmt, max_ms=max_ms)
    except AudioRefused:
        raise
    except (av.FFmpegError, ValueError, IndexError, OSError, EOFError) as exc:
        raise AudioRefused(_("This recording cannot be played: it is damaged or empty.")) from exc


def _inspect(data, fmt: str, *, max_ms: int) -> Voice:
    data.seek(0)
    max_samples = max_ms * RATE // 1000
    with av.open(data, mode="r", format=DEMUXERS[fmt]) as source:
        if not source.streams.audio:
            raise AudioRefused(_("This file holds no sound."))
        stream = source.streams.audio[0]
        keep = _plays_everywhere(fmt, stream.codec_context.name)
        resampler = av.AudioResampler(format="fltp", layout="mono", rate=RATE)
        out_buf = io.BytesIO()
        out = None if keep else av.open(out_buf, mode="w", format="mp4")
        try:
            encoder = None
            if out is not None:
                encoder = out.add_stream("aac", rate=RATE, layout="mono")
                encoder.bit_rate = BIT_RATE
            samples = 0
            pending = array.array("f")
            peaks: list[float] = []

            def take(frames) -> None:
                nonlocal samples
                for frame in frames:
                    n = frame.samples
                    if not n:
                        continue
                    samples += n
                    if samples > max_samples:
                        raise AudioRefused(
                            _("A voice message lasts at most %(seconds)d seconds.")
                            % {"seconds": max_ms // 1000}
                        )
                    chunk = array.array("f", bytes(frame.planes[0]))[:n]
                    pending.extend(chunk)
                    whole = len(pending) - len(pending) % BLOCK
                    for i in range(0, whole, BLOCK):
                        block = pending[i : i + BLOCK]
                        peaks.append(max(max(block), -min(block)))
                    del pending[:whole]
                    if encoder is not None:
                        frame.pts = None
                        for packet in encoder.encode(frame):
                            out.mux(packet)

            for frame in source.decode(stream):
                take(resampler.resample(frame))
            take(resampler.resample(None))
            if pending:
                peaks.append(max(max(pending), -min(pending)))
            if samples == 0:
                raise AudioRefused(_("This file holds no sound."))
            if encoder is not None:
                for packet in encoder.encode(None):
                    out.mux(packet)
        finally:
            if out is not None:
                out.close()
    return Voice(
        duration_ms=max(1, samples * 1000 // RATE),
        waveform=waveform_of(peaks),
        playable=None if keep else out_buf.getvalue(),
    )
