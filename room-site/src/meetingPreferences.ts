import { localStore } from './browserStorage';

/**
 * What a participant chose for the meeting screen, remembered in this browser across meetings:
 * live captions on or off (off until chosen), and the AI assistant's panel hidden for them.
 */
export interface MeetingPreferences {
  captions: boolean;
  assistantHidden: boolean;
}

export const MEETING_PREFERENCES_KEY = 'doctorlive.meetingPreferences.v1';

export const DEFAULT_MEETING_PREFERENCES: MeetingPreferences = { captions: false, assistantHidden: false };

export function loadMeetingPreferences(storage: Storage | null = localStore()): MeetingPreferences {
  try {
    const saved = JSON.parse(storage?.getItem(MEETING_PREFERENCES_KEY) ?? 'null') as Record<string, unknown> | null;
    return {
      captions: saved?.captions === true,
      assistantHidden: saved?.assistantHidden === true,
    };
  } catch {
    return { ...DEFAULT_MEETING_PREFERENCES };
  }
}

export function saveMeetingPreferences(preferences: MeetingPreferences, storage: Storage | null = localStore()): void {
  try {
    storage?.setItem(MEETING_PREFERENCES_KEY, JSON.stringify(preferences));
  } catch {
    // Quota or privacy errors only cost the convenience of remembering.
  }
}
