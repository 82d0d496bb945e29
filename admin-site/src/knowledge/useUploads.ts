import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { idempotencyHeaders } from '../api/client';
import { ApiError, errorMessage, unwrap } from '../api/errors';
import { keys } from '../hooks/queries';
import { useApi } from '../Runtime';
import { uploadToS3 } from './uploadToS3';

export const MAX_BYTES = 25 * 1024 * 1024;

export interface Upload {
  id: string;
  filename: string;
  /** requesting → uploading → (the ingestion job's) pending/processing → completed | failed */
  phase: 'requesting' | 'uploading' | 'uploaded' | 'failed';
  progress: number;
  jobId?: string;
  error?: string;
}

export function isPdf(file: File): boolean {
  return file.type === 'application/pdf' || file.name.toLowerCase().endsWith('.pdf');
}

/** PDFs on their way: ask the API for a presigned POST, send the bytes to S3 with progress, then
 * the ingestion job takes over (its status is polled by useJob). */
export function useUploads(entityId: string | undefined, departmentId: string | undefined) {
  const api = useApi();
  const qc = useQueryClient();
  const [uploads, setUploads] = useState<Upload[]>([]);
  const patch = useCallback((id: string, change: Partial<Upload>) =>
    setUploads((list) => list.map((u) => (u.id === id ? { ...u, ...change } : u))), []);

  const start = useCallback(async (file: File) => {
    const id = `${file.name}-${Date.now()}-${Math.random().toString(16).slice(2)}`;
    setUploads((list) => [{ id, filename: file.name, phase: 'requesting', progress: 0 }, ...list]);
    try {
      const accepted = unwrap(await api.POST('/api/v1/knowledge-base/uploads', {
        body: {
          filename: file.name, size_bytes: file.size, content_type: 'application/pdf',
          ...(entityId ? { entity_id: entityId } : {}), ...(departmentId ? { department_id: departmentId } : {}),
        },
        headers: idempotencyHeaders(),
      }));
      patch(id, { phase: 'uploading', jobId: accepted.job_id });
      void qc.invalidateQueries({ queryKey: keys.documents(entityId) });
      await uploadToS3(accepted.upload as { url: string; fields: Record<string, string> }, file,
        (fraction) => patch(id, { progress: fraction * 100 }));
      patch(id, { phase: 'uploaded', progress: 100 });
    } catch (error) {
      // A refused upload names its field (size_bytes, filename…): say what the API said about it.
      const field = error instanceof ApiError ? Object.values(error.fields)[0] : undefined;
      patch(id, { phase: 'failed', error: field || errorMessage(error) });
    }
  }, [api, qc, entityId, departmentId, patch]);

  const dismiss = useCallback((id: string) => setUploads((list) => list.filter((u) => u.id !== id)), []);
  return { uploads, start, dismiss };
}
