import type { MediaProblem } from '../devices/mediaProblems';
import { useMessages } from '../i18n/I18nProvider';

/** What to do when the camera or microphone did not open, and that joining still works. */
export function DeviceGuidance({ camera, microphone }: { camera: MediaProblem | null; microphone: MediaProblem | null }) {
  const m = useMessages();
  const problems = [
    camera ? m.devices.problem.camera[camera] : null,
    microphone ? m.devices.problem.microphone[microphone] : null,
  ].filter((text): text is string => !!text);

  return (
    <div aria-live="polite" data-testid="device-guidance">
      {problems.length > 0 ? (
        <div className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
          <ul className="list-disc space-y-1 pl-5">
            {problems.map((text) => (
              <li key={text}>{text}</li>
            ))}
          </ul>
          <p className="mt-2 font-medium">{m.staging.joinWithout}</p>
        </div>
      ) : null}
    </div>
  );
}
