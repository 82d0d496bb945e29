import { useEffect, useState } from 'react';
import type { MagicLinkPreview } from '../api';
import { useApi } from '../RuntimeProvider';

export type PreviewState =
  | { status: 'loading' }
  | { status: 'ready'; preview: MagicLinkPreview }
  | { status: 'failed'; error: unknown };

/** The public preview of an invitation (meeting title, time, organiser) before the password. */
export function useMagicLinkPreview(token: string | null): PreviewState & { retry: () => void } {
  const api = useApi();
  const [state, setState] = useState<PreviewState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!token) return;
    const controller = new AbortController();
    setState({ status: 'loading' });
    api
      .getMagicLinkPreview(token, controller.signal)
      .then((preview) => setState({ status: 'ready', preview }))
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setState({ status: 'failed', error });
      });
    return () => controller.abort();
  }, [api, token, attempt]);

  return { ...state, retry: () => setAttempt((n) => n + 1) };
}
