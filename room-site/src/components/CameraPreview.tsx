import { useEffect, useRef } from 'react';
import { useMessages } from '../i18n/I18nProvider';

/** The participant's own camera, mirrored like a mirror so moving left moves left. */
export function CameraPreview({ stream }: { stream: MediaStream | null }) {
  const m = useMessages();
  const video = useRef<HTMLVideoElement>(null);

  useEffect(() => {
    if (video.current) video.current.srcObject = stream;
  }, [stream]);

  return (
    <div className="relative aspect-video w-full overflow-hidden rounded-xl bg-slate-800">
      {stream ? (
        <video
          ref={video}
          data-testid="camera-preview"
          aria-label={m.staging.cameraPreview}
          className="h-full w-full -scale-x-100 object-cover"
          autoPlay
          muted
          playsInline
        />
      ) : (
        <p className="flex h-full items-center justify-center text-slate-200">{m.staging.cameraOffPreview}</p>
      )}
    </div>
  );
}
