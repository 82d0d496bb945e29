import { useEffect, useState } from 'react';

/**
 * Loudness of a microphone stream between 0 and 1, sampled with a WebAudio analyser about
 * ten times a second (often enough to see speech, rare enough not to re-render constantly).
 */
export function useMicLevel(stream: MediaStream | null): number {
  const [level, setLevel] = useState(0);

  useEffect(() => {
    setLevel(0);
    const AudioContextClass =
      typeof window !== 'undefined'
        ? (window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext)
        : undefined;
    if (!stream || stream.getAudioTracks().length === 0 || !AudioContextClass) return;

    const context = new AudioContextClass();
    const source = context.createMediaStreamSource(stream);
    const analyser = context.createAnalyser();
    analyser.fftSize = 512;
    source.connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    // Autoplay policy may start the context suspended; resuming is allowed after the permission prompt.
    void context.resume().catch(() => undefined);

    const timer = window.setInterval(() => {
      analyser.getFloatTimeDomainData(samples);
      setLevel(loudness(samples));
    }, 100);

    return () => {
      window.clearInterval(timer);
      source.disconnect();
      void context.close().catch(() => undefined);
    };
  }, [stream]);

  return level;
}

/** RMS of the samples mapped so normal speech fills most of the meter. */
export function loudness(samples: Float32Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const sample of samples) sum += sample * sample;
  const rms = Math.sqrt(sum / samples.length);
  return Math.min(1, rms * 4);
}
