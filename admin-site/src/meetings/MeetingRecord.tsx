import type { RoomDetail } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import { AgentUsage } from './AgentUsage';
import { Recordings } from './Recordings';
import { Summary } from './Summary';
import { Transcript } from './Transcript';

/** What a meeting leaves behind: summary, transcript, recordings and the assistant's cost. */
export function MeetingRecord({ room }: { room: RoomDetail }) {
  const m = useI18n().messages;
  return (
    <div className="space-y-6" data-testid="meeting-record">
      <h2 className="text-xl font-bold">{m.record.title}</h2>
      <Summary roomId={room.id} timeZone={room.timezone} />
      <Transcript room={room} />
      <Recordings roomId={room.id} recorded={room.record} timeZone={room.timezone} />
      <AgentUsage roomId={room.id} timeZone={room.timezone} />
    </div>
  );
}
