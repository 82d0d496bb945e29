import { useMessages } from '../i18n/I18nProvider';

/** On/off switch for camera or microphone before joining; the state is in aria-pressed too. */
export function MediaToggle({
  device,
  enabled,
  onToggle,
  testId,
}: {
  device: string;
  enabled: boolean;
  onToggle: (enabled: boolean) => void;
  testId?: string;
}) {
  const m = useMessages();
  return (
    <button
      type="button"
      data-testid={testId}
      aria-pressed={enabled}
      aria-label={enabled ? m.devices.turnOff(device) : m.devices.turnOn(device)}
      onClick={() => onToggle(!enabled)}
      className={`btn ${enabled ? 'bg-slate-800 text-white hover:bg-slate-700' : 'bg-red-600 text-white hover:bg-red-700'}`}
    >
      <span>{device}</span>
      <span aria-hidden="true" className="text-xs uppercase opacity-80">
        {enabled ? m.devices.on : m.devices.off}
      </span>
    </button>
  );
}
