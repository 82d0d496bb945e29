import { useCallback, useState } from 'react';
import { loadMeetingPreferences, saveMeetingPreferences, type MeetingPreferences } from '../meetingPreferences';

export function useMeetingPreferences() {
  const [preferences, setPreferences] = useState<MeetingPreferences>(() => loadMeetingPreferences());
  const updatePreferences = useCallback((change: Partial<MeetingPreferences>) => {
    setPreferences((current) => {
      const next = { ...current, ...change };
      saveMeetingPreferences(next);
      return next;
    });
  }, []);
  return { preferences, updatePreferences };
}
