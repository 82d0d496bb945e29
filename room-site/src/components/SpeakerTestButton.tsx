import { useState } from 'react';
import { playTestTone } from '../devices/speakerTest';
import { useMessages } from '../i18n/I18nProvider';

export function SpeakerTestButton({ speakerId }: { speakerId: string | null }) {
  const m = useMessages();
  const [playing, setPlaying] = useState(false);
  return (
    <button
      type="button"
      className="btn-secondary text-sm"
      disabled={playing}
      onClick={() => {
        setPlaying(true);
        playTestTone(speakerId)
          .catch(() => undefined)
          .finally(() => setPlaying(false));
      }}
    >
      {m.devices.testSpeaker}
    </button>
  );
}
