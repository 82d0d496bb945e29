type SinkableAudio = HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };

/** Plays a short, quiet tone on the chosen speaker so the participant can hear it works. */
export async function playTestTone(speakerId: string | null): Promise<void> {
  const context = new AudioContext();
  const oscillator = context.createOscillator();
  const gain = context.createGain();
  const destination = context.createMediaStreamDestination();
  oscillator.frequency.value = 660;
  gain.gain.value = 0.15;
  oscillator.connect(gain).connect(destination);

  const audio = new Audio() as SinkableAudio;
  audio.srcObject = destination.stream;
  try {
    if (speakerId && audio.setSinkId) await audio.setSinkId(speakerId);
    await audio.play();
    oscillator.start();
    oscillator.stop(context.currentTime + 0.7);
    await new Promise((resolve) => (oscillator.onended = resolve));
  } finally {
    audio.pause();
    audio.srcObject = null;
    await context.close().catch(() => undefined);
  }
}
