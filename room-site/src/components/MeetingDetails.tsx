import type { MagicLinkPreview } from '../api';
import { useI18n } from '../i18n/I18nProvider';
import { formatMeetingTime } from '../i18n/format';

/** Title, time, organiser: what lets a participant recognise the meeting they were invited to. */
export function MeetingDetails({ preview }: { preview: MagicLinkPreview }) {
  const { language, messages: m } = useI18n();
  const { room, participant } = preview;
  return (
    <div>
      <p className="text-sm font-medium text-sky-800">{room.entity_name}</p>
      <h1 className="mt-1 text-2xl font-semibold" data-testid="meeting-title">
        {room.title}
      </h1>
      <dl className="mt-3 space-y-1 text-slate-700">
        <div>
          <dt className="sr-only">{m.staging.when}</dt>
          <dd data-testid="meeting-time">
            <time dateTime={room.scheduled_start}>
              {formatMeetingTime(room.scheduled_start, room.scheduled_end, language)}
            </time>
          </dd>
        </div>
        <div>
          <dd data-testid="meeting-organizer">{m.staging.organizedBy(room.organizer_name)}</dd>
        </div>
      </dl>
      {room.description ? <p className="mt-3 whitespace-pre-line text-slate-700">{room.description}</p> : null}
      {room.status === 'ACTIVE' ? <p className="mt-3 font-medium text-emerald-700">{m.staging.started}</p> : null}
      {participant.name ? <p className="mt-3 text-slate-700">{m.staging.joiningAs(participant.name)}</p> : null}
    </div>
  );
}
