/**
 * The device a picker should show as selected: the remembered one if it is still plugged in,
 * else the one the browser actually opened, else the first listed.
 */
export function selectedDeviceId(
  devices: Pick<MediaDeviceInfo, 'deviceId'>[],
  preferred: string | null,
  active: string | null = null,
): string {
  const present = (id: string | null): id is string => !!id && devices.some((device) => device.deviceId === id);
  if (present(preferred)) return preferred;
  if (present(active)) return active;
  return devices[0]?.deviceId ?? '';
}
