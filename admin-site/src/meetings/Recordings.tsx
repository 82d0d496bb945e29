import { useEffect, useState } from 'react';
import type { Recording } from '../api/types';
import { Badge, Empty, ErrorAlert, Loading } from '../components/Feedback';
import { useRecordings } from '../hooks/queries';
import { formatBytes, formatDateTime, formatSeconds, formatTime } from '../i18n/format';
import { useI18n } from '../i18n/I18nProvider';

/** Whether a presigned URL's time is up (checked every few seconds while it is shown). */
function useExpired(at: string | null | undefined): boolean {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!at) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 5000);
    return () => clearInterval(timer);
  }, [at]);
  return Boolean(at && Date.parse(at) <= now);
}

function RecordingItem({ rec, n, timeZone, onRenew }: { rec: Recording; n: number; timeZone: string; onRenew: () => void }) {
  const { messages: m, language } = useI18n();
  const expired = useExpired(rec.download_expires_at);
  const label = m.record.recordingN(n);
  return (
    <li className="space-y-3 rounded-lg border border-slate-200 p-3" data-testid="recording">
      <div className="flex flex-wrap items-center gap-2">
        <h3 className="font-semibold">{label}</h3>
        {rec.status !== 'available' && <Badge tone="failed">{m.record.recordingFailed}</Badge>}
        {rec.started_at && <span className="text-sm text-slate-600">{formatDateTime(rec.started_at, language, timeZone)}</span>}
      </div>
      <dl className="grid gap-2 text-sm sm:grid-cols-3">
        <div><dt className="text-slate-600">{m.record.duration}</dt><dd data-testid="recording-duration">{rec.duration_seconds != null ? formatSeconds(rec.duration_seconds) : m.common.none}</dd></div>
        <div><dt className="text-slate-600">{m.record.size}</dt><dd data-testid="recording-size">{rec.file_size_bytes != null ? formatBytes(rec.file_size_bytes, language) : m.common.none}</dd></div>
        <div><dt className="text-slate-600">{m.record.purgeAt}</dt><dd data-testid="recording-purge">{rec.purge_at ? formatDateTime(rec.purge_at, language, timeZone) : m.common.none}</dd></div>
      </dl>
      {rec.download_url && !expired && (
        <>
          <video controls preload="metadata" src={rec.download_url} aria-label={label} className="w-full max-w-xl rounded-lg bg-slate-900" data-testid="recording-player" />
          <div className="flex flex-wrap items-center gap-3">
            <a href={rec.download_url} download className="btn-secondary" data-testid="recording-download">{m.record.download}</a>
            {rec.download_expires_at && <span className="text-sm text-slate-600">{m.record.downloadExpires(formatTime(rec.download_expires_at, language, timeZone))}</span>}
          </div>
        </>
      )}
      {rec.download_url && expired && (
        <p className="flex flex-wrap items-center gap-3 text-sm text-slate-700">
          {m.record.linkExpired}
          <button type="button" className="btn-secondary py-1" onClick={onRenew}>{m.record.newLink}</button>
        </p>
      )}
    </li>
  );
}

/** The meeting's recordings: a player and a download link (a presigned URL of a few minutes),
 * with the duration, size and the day the retention deletes them. */
export function Recordings({ roomId, recorded, timeZone }: { roomId: string; recorded: boolean; timeZone: string }) {
  const m = useI18n().messages;
  const recordings = useRecordings(roomId);
  return (
    <section className="card space-y-3" aria-labelledby="recordings-title" data-testid="recordings">
      <h2 id="recordings-title" className="text-lg font-semibold">{m.record.recordings}</h2>
      {recordings.isPending ? <Loading /> : recordings.isError ? <ErrorAlert error={recordings.error} onRetry={() => recordings.refetch()} />
        : recordings.data.length === 0 ? <Empty>{recorded ? m.record.noRecordings : m.record.notRecorded}</Empty> : (
          <ul className="space-y-3">
            {recordings.data.map((rec, i) => (
              <RecordingItem key={rec.id} rec={rec} n={i + 1} timeZone={timeZone} onRenew={() => recordings.refetch()} />
            ))}
          </ul>
        )}
    </section>
  );
}
