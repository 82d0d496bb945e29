import { useId } from 'react';
import { useMessages } from '../i18n/I18nProvider';

/** A labelled list of one kind of device (cameras, microphones or speakers). */
export function DevicePicker({
  label,
  devices,
  value,
  onChange,
  testId,
}: {
  label: string;
  devices: Pick<MediaDeviceInfo, 'deviceId' | 'label'>[];
  value: string;
  onChange: (deviceId: string) => void;
  testId?: string;
}) {
  const m = useMessages();
  const id = useId();
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <select
        id={id}
        data-testid={testId}
        className="field mt-1"
        value={value}
        disabled={devices.length === 0}
        onChange={(event) => onChange(event.target.value)}
      >
        {devices.length === 0 ? <option value="">{m.devices.systemDefault}</option> : null}
        {devices.map((device, index) => (
          <option key={device.deviceId} value={device.deviceId}>
            {device.label || m.devices.unnamed(label, index + 1)}
          </option>
        ))}
      </select>
    </div>
  );
}
