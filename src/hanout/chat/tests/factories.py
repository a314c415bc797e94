"""Test helpers of the chat: files of each kind, made in memory."""

from __future__ import annotations

import array
import io
import math

from django.core.files.uploadedfile import SimpleUploadedFile


def png(name="photo.png", size=(64, 48)) -> SimpleUploadedFile:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, "orange").save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def recording(fmt="webm", codec="libopus", seconds=2.0, silent_first=0.0) -> bytes:
    """A real recording, encoded by PyAV: a 440 Hz tone, silent for its first `silent_first` s."""
    import av

    rate, step = 48000, 960
    out_buf = io.BytesIO()
    with av.open(out_buf, "w", format=fmt) as out:
        stream = out.add_stream(codec, rate=rate, layout="mono")
        total = int(rate * seconds)
        for start in range(0, total, step):
            n = min(step, total - start)
            amp = 0.0 if start < silent_first * rate else 0.5
            wave = array.array(
                "f", (amp * math.sin(2 * math.pi * 440 * (start + k) / rate) for k in range(n))
            )
            frame = av.AudioFrame(format="flt", layout="mono", samples=n)
            frame.planes[0].update(wave.tobytes())
            frame.sample_rate, frame.pts = rate, start
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return out_buf.getvalue()


def webm(name="voice.webm", seconds=2.0, silent_first=0.0) -> SimpleUploadedFile:
    """A WebM/Opus voice message as Chrome and Firefox record them."""
    body = recording("webm", "libopus", seconds, silent_first)
    return SimpleUploadedFile(name, body, content_type="audio/webm")


def m4a(name="voice.mp4", seconds=2.0) -> SimpleUploadedFile:
    """An MP4/AAC voice message as Safari records them."""
    body = recording("mp4", "aac", seconds)
    return SimpleUploadedFile(name, body, content_type="audio/mp4")


def document(name="notes.txt", body=b"hello, world\n", content_type="text/plain"):
    return SimpleUploadedFile(name, body, content_type=content_type)
