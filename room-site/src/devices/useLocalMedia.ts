import { useEffect, useRef, useState } from 'react';
import { classifyMediaError, mediaDevicesSupported, type MediaProblem } from './mediaProblems';

export interface LocalMedia {
  stream: MediaStream | null;
  problem: MediaProblem | null;
  /** The device actually opened (may differ from the preferred one if that is gone). */
  deviceId: string | null;
}

/**
 * Opens one camera or microphone for the staging preview while `enabled`, and closes it when
 * disabled, switched or unmounted. A remembered device that has since disappeared falls back
 * to the browser's default instead of failing.
 */
export function useLocalMedia(
  kind: 'video' | 'audio',
  enabled: boolean,
  preferredDeviceId: string | null,
  onOpened?: () => void,
): LocalMedia {
  const [media, setMedia] = useState<LocalMedia>({ stream: null, problem: null, deviceId: null });
  // onOpened is a notification only: the latest one is called, and a new one does not reopen the
  // device (that would flicker).
  const onOpenedRef = useRef(onOpened);
  useEffect(() => {
    onOpenedRef.current = onOpened;
  });

  useEffect(() => {
    if (!enabled) {
      setMedia({ stream: null, problem: null, deviceId: null });
      return;
    }
    if (!mediaDevicesSupported()) {
      setMedia({ stream: null, problem: 'unsupported', deviceId: null });
      return;
    }
    let cancelled = false;
    let opened: MediaStream | null = null;
    const base: MediaTrackConstraints =
      kind === 'video' ? { width: { ideal: 1280 }, height: { ideal: 720 } } : { echoCancellation: true, noiseSuppression: true };
    const open = (deviceId: string | null) =>
      navigator.mediaDevices.getUserMedia({
        [kind]: deviceId ? { ...base, deviceId: { exact: deviceId } } : base,
      });

    (async () => {
      try {
        let stream: MediaStream;
        try {
          stream = await open(preferredDeviceId);
        } catch (error) {
          const problem = classifyMediaError(error);
          if (!preferredDeviceId || problem !== 'not_found') throw error;
          stream = await open(null);
        }
        if (cancelled) {
          stream.getTracks().forEach((track) => track.stop());
          return;
        }
        opened = stream;
        const track = stream.getTracks()[0];
        setMedia({ stream, problem: null, deviceId: track?.getSettings().deviceId ?? preferredDeviceId });
        onOpenedRef.current?.();
      } catch (error) {
        if (!cancelled) setMedia({ stream: null, problem: classifyMediaError(error), deviceId: null });
      }
    })();

    return () => {
      cancelled = true;
      opened?.getTracks().forEach((track) => track.stop());
    };
  }, [kind, enabled, preferredDeviceId]);

  return media;
}
