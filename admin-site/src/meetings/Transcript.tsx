import { memo, useMemo, useState } from 'react';
import type { RoomDetail, TranscriptSegment } from '../api/types';
import { Empty, ErrorAlert, Loading } from '../components/Feedback';
import { TextField } from '../components/Field';
import { useTranscript } from '../hooks/queries';
import { useDebounced } from '../hooks/useDebounced';
import { formatOffset, formatTime } from '../i18n/format';
import { useI18n } from '../i18n/I18nProvider';
import { Highlight } from './highlight';

/** The passages (memoised: typing in the search box does not redraw a long transcript). */
const Segments = memo(function Segments({ segments, q, start, timeZone }: { segments: TranscriptSegment[]; q: string; start: string; timeZone: string }) {
  const { messages: m, language } = useI18n();
  return (
    <ol className="divide-y divide-slate-200" aria-label={m.record.transcript}>
      {segments.map((s) => (
        <li key={s.id} className="grid gap-1 py-2 sm:grid-cols-[7rem_12rem_1fr] sm:gap-3" data-testid="segment">
          <span className="text-sm tabular-nums text-slate-600">
            <time dateTime={s.started_at} title={m.record.fromStart}>{formatOffset(s.started_at, start)}</time>
            <span className="ml-2 text-xs text-slate-500">{formatTime(s.started_at, language, timeZone)}</span>
          </span>
          <span className="font-medium text-slate-800" data-testid="speaker">{s.speaker_name}</span>
          <p className="whitespace-pre-wrap" data-testid="segment-text"><Highlight text={s.text} query={q} /></p>
        </li>
      ))}
    </ol>
  );
});

/** What was said, in order: speaker, time since the meeting started (and clock time), text.
 * The search box asks the API for the passages containing the words and marks them. */
export function Transcript({ room }: { room: RoomDetail }) {
  const m = useI18n().messages;
  const [search, setSearch] = useState('');
  const transcript = useTranscript(room.id, useDebounced(search.trim(), 300));
  const loaded = transcript.data?.pages;
  const pages = useMemo(() => loaded ?? [], [loaded]);
  const q = pages[0]?.q ?? ''; // the search the shown passages answer
  const segments = useMemo(() => pages.flatMap((p) => p.items), [pages]);
  const total = pages.at(-1)?.total ?? 0;
  const start = room.started_at ?? segments[0]?.started_at ?? room.scheduled_start;
  const nothingAtAll = !q && !search && total === 0;
  return (
    <section className="card space-y-4" aria-labelledby="transcript-title" data-testid="transcript">
      <h2 id="transcript-title" className="text-lg font-semibold">{m.record.transcript}</h2>
      {transcript.isPending ? <Loading /> : transcript.isError ? <ErrorAlert error={transcript.error} onRetry={() => transcript.refetch()} /> : nothingAtAll ? (
        <Empty>{m.record.noTranscript}</Empty>
      ) : (
        <>
          <div role="search">
            <TextField label={m.record.transcriptSearch} type="search" value={search} maxLength={200} className="max-w-md"
              hint={m.record.transcriptSearchHint} onChange={(e) => setSearch(e.target.value)} data-testid="transcript-search" />
          </div>
          <p className="text-sm text-slate-600" aria-live="polite" data-testid="transcript-count">
            {q ? m.record.matches(total) : m.record.segmentsShown(segments.length, total)}
          </p>
          {q && total === 0 ? <Empty>{m.record.noMatches(q)}</Empty> : (
            <Segments segments={segments} q={q} start={start} timeZone={room.timezone} />
          )}
          {transcript.hasNextPage && (
            <button type="button" className="btn-secondary" disabled={transcript.isFetchingNextPage}
              onClick={() => transcript.fetchNextPage()} data-testid="transcript-more">
              {m.record.loadMore}
            </button>
          )}
        </>
      )}
    </section>
  );
}
