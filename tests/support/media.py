"""A small real recording (MP4: H.264 video + AAC audio) made with PyAV, so a browser test can
check that a recording actually plays, not just that a link exists."""
from __future__ import annotations

import io
import math


def tiny_mp4(seconds: float = 2.0, width: int = 320, height: int = 180, fps: int = 10) -> bytes:
    import av  # only the browser tests need it
    import numpy as np

    out = io.BytesIO()
    with av.open(out, mode="w", format="mp4") as container:
        video = container.add_stream("libx264", rate=fps)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        audio = container.add_stream("aac", rate=48000)
        audio.layout = "mono"
        for i in range(int(seconds * fps)):
            shade = int(40 + 180 * i / (seconds * fps))
            frame = np.full((height, width, 3), (14, 116, shade), dtype=np.uint8)
            for packet in video.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
                container.mux(packet)
        for packet in video.encode():
            container.mux(packet)
        samples, chunk = int(seconds * 48000), 1024
        for start in range(0, samples, chunk):
            n = min(chunk, samples - start)
            tone = np.array([[0.2 * math.sin(2 * math.pi * 440 * (start + k) / 48000) for k in range(n)]], dtype=np.float32)
            frame = av.AudioFrame.from_ndarray(tone, format="fltp", layout="mono")
            frame.sample_rate, frame.pts = 48000, start
            for packet in audio.encode(frame):
                container.mux(packet)
        for packet in audio.encode():
            container.mux(packet)
    return out.getvalue()
