import { useMessages } from '../i18n/I18nProvider';
import { useMicLevel } from '../devices/useMicLevel';

const BARS = 12;

/** Bars that light up as the participant speaks, so they know the right microphone is on. */
export function MicLevelMeter({ stream }: { stream: MediaStream | null }) {
  const m = useMessages();
  const level = useMicLevel(stream);
  const percent = Math.round(level * 100);
  const lit = Math.round(level * BARS);
  return (
    <div
      role="meter"
      aria-label={m.devices.micLevel}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      data-testid="mic-level"
      className="flex h-4 items-end gap-0.5"
    >
      {Array.from({ length: BARS }, (_, i) => (
        <span
          key={i}
          aria-hidden="true"
          className={`w-2 rounded-sm ${i < lit ? 'bg-emerald-500' : 'bg-slate-300'}`}
          style={{ height: `${40 + (60 * i) / BARS}%` }}
        />
      ))}
    </div>
  );
}
