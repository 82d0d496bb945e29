import { useCallback, useState } from 'react';
import { loadDevicePreferences, saveDevicePreferences, type DevicePreferences } from './devicePreferences';

export function useDevicePreferences() {
  const [preferences, setPreferences] = useState<DevicePreferences>(() => loadDevicePreferences());

  const updatePreferences = useCallback((change: Partial<DevicePreferences>) => {
    setPreferences((current) => {
      const next = { ...current, ...change };
      saveDevicePreferences(next);
      return next;
    });
  }, []);

  return { preferences, updatePreferences };
}
