import { useEffect, useId, useRef, useState, type DragEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { ProgressBar } from '../components/Feedback';
import { keys, useJob } from '../hooks/queries';
import { useMessages } from '../i18n/I18nProvider';
import { isPdf, MAX_BYTES, type Upload } from './useUploads';

function UploadItem({ upload, entityId }: { upload: Upload; entityId: string | undefined }) {
  const m = useMessages();
  const qc = useQueryClient();
  const job = useJob(upload.phase === 'uploaded' || upload.phase === 'uploading' ? upload.jobId : undefined);
  const status = upload.phase === 'failed' ? 'failed' : upload.phase === 'uploaded' ? job.data?.status ?? 'pending' : upload.phase;
  const final = status === 'completed' || status === 'failed';
  useEffect(() => {
    if (final) void qc.invalidateQueries({ queryKey: keys.documents(entityId) });
  }, [final, qc, entityId]);
  const message = upload.phase === 'failed' ? m.knowledge.failedBecause(upload.error ?? '')
    : status === 'completed' && job.data ? m.knowledge.ready(job.data.chunk_count, job.data.page_count)
    : status === 'failed' ? m.knowledge.failedBecause(job.data?.reason ?? '') : m.knowledge.status[status] ?? status;
  return (
    <li className="rounded-lg border border-slate-200 bg-white p-3" data-testid="upload-item" data-status={status}>
      <div className="mb-2 flex justify-between gap-3 text-sm">
        <span className="font-medium">{upload.filename}</span>
        <span role="status" className={status === 'failed' ? 'text-red-700' : 'text-slate-700'} data-testid="upload-status">{message}</span>
      </div>
      <ProgressBar value={upload.progress} label={`${m.knowledge.uploading} ${upload.filename}`} />
    </li>
  );
}

/** Drop PDFs here (or choose them): each goes straight to S3 with a progress bar, then shows
 * its ingestion job's status until it is ready or failed with the reason. */
export function UploadArea({ uploads, onFiles, entityId }: { uploads: Upload[]; onFiles: (files: File[]) => void; entityId: string | undefined }) {
  const m = useMessages();
  const inputId = useId();
  const hintId = `${inputId}-hint`;
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);
  const take = (list: FileList | null) => {
    const files = Array.from(list ?? []);
    const bad = files.flatMap((f) => (!isPdf(f) ? [m.knowledge.notPdf(f.name)] : f.size > MAX_BYTES ? [m.knowledge.tooBig(f.name)] : []));
    setProblems(bad);
    const good = files.filter((f) => isPdf(f) && f.size <= MAX_BYTES);
    if (good.length) onFiles(good);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    take(e.dataTransfer.files);
  };
  return (
    <div className="space-y-3">
      <div
        onDragOver={(e) => { e.preventDefault(); setOver(true); }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        className={`rounded-xl border-2 border-dashed p-8 text-center ${over ? 'border-sky-600 bg-sky-50' : 'border-slate-300 bg-white'}`}
        data-testid="drop-zone"
      >
        <p>
          {m.knowledge.drop}{' '}
          {/* A real button: keyboard users reach it with Tab and open the file chooser with Enter. */}
          <button type="button" className="font-semibold text-sky-800 underline" onClick={() => input.current?.click()}
            aria-describedby={hintId} data-testid="choose-files">
            {m.knowledge.browse}
          </button>
        </p>
        <input ref={input} id={inputId} type="file" accept="application/pdf,.pdf" multiple className="sr-only" tabIndex={-1} aria-hidden="true"
          aria-label={m.knowledge.browse} data-testid="file-input" onChange={(e) => { take(e.target.files); e.target.value = ''; }} />
        <p id={hintId} className="mt-2 text-sm text-slate-600">{m.knowledge.dropHint}</p>
      </div>
      {problems.length > 0 && <ul role="alert" className="field-error">{problems.map((p) => <li key={p}>{p}</li>)}</ul>}
      {uploads.length > 0 && <ul className="space-y-2" aria-label={m.knowledge.uploadsLabel}>{uploads.map((u) => <UploadItem key={u.id} upload={u} entityId={entityId} />)}</ul>}
    </div>
  );
}
