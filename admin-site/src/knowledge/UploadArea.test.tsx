import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ENTITY_ID, json, renderApp } from '../test/render';

const DOC = '0f7a1c2e-0000-4000-8000-0000000000d1';
const S3 = 'http://s3.test/knowledge-bucket';

/** XMLHttpRequest as uploadToS3 uses it, driven by the test: progress events, then the answer. */
class FakeXhr {
  static sent: FakeXhr[] = [];
  upload: { onprogress: ((e: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  status = 0;
  method = '';
  url = '';
  body: FormData | null = null;
  open(method: string, url: string) { this.method = method; this.url = url; }
  send(body: FormData) { this.body = body; FakeXhr.sent.push(this); }
  progress(loaded: number, total: number) { act(() => this.upload.onprogress?.({ lengthComputable: true, loaded, total })); }
  answer(status: number) { act(() => { this.status = status; this.onload?.(); }); }
}

function pdf(name = 'protocol.pdf', bytes = 1000) {
  return new File([new Uint8Array(bytes)], name, { type: 'application/pdf' });
}

function api(job: () => object) {
  return {
    [`GET /api/v1/entities/${ENTITY_ID}/departments`]: () => json(200, []),
    'GET /api/v1/knowledge-base/documents': () => json(200, { items: [], total: 0, page: 1, limit: 100 }),
    'POST /api/v1/knowledge-base/uploads': () => json(202, {
      document_id: DOC, job_id: DOC, status: 'pending',
      upload: { url: S3, fields: { key: `kb/${DOC}.pdf`, 'Content-Type': 'application/pdf', policy: 'p', 'x-amz-signature': 's' } },
    }),
    [`GET /api/v1/knowledge-base/jobs/${DOC}`]: () => json(200, {
      id: DOC, document_id: DOC, status: 'pending', reason: null, chunk_count: 0, page_count: null, attempts: 0,
      created_at: '2026-12-02T10:00:00Z', processing_started_at: null, completed_at: null, ...job(),
    }),
  };
}

beforeEach(() => {
  FakeXhr.sent = [];
  vi.stubGlobal('XMLHttpRequest', FakeXhr);
});
afterEach(() => vi.unstubAllGlobals());

describe('UploadArea', () => {
  it('shows the bytes leaving as a progressbar with aria-valuenow, then the job until it is ready', async () => {
    let status = 'processing';
    const { calls } = renderApp('/knowledge', { routes: api(() => (status === 'completed'
      ? { status, chunk_count: 7, page_count: 4, completed_at: '2026-12-02T10:00:05Z' } : { status })) });
    fireEvent.drop(await screen.findByTestId('drop-zone'), { dataTransfer: { files: [pdf()] } });

    await waitFor(() => expect(FakeXhr.sent).toHaveLength(1));
    const xhr = FakeXhr.sent[0];
    expect(xhr.method).toBe('POST');
    expect(xhr.url).toBe(S3);
    const names = [...xhr.body!.keys()];
    expect(names.at(-1)).toBe('file'); // S3 reads the policy fields first
    expect(xhr.body!.get('key')).toBe(`kb/${DOC}.pdf`);
    const upload = calls.find((c) => c.url.endsWith('/api/v1/knowledge-base/uploads'))!;
    expect(await upload.json()).toMatchObject({ filename: 'protocol.pdf', size_bytes: 1000, content_type: 'application/pdf' });

    const bar = await screen.findByRole('progressbar', { name: 'Uploading protocol.pdf' });
    expect(bar).toHaveAttribute('aria-valuemin', '0');
    expect(bar).toHaveAttribute('aria-valuemax', '100');
    expect(bar).toHaveAttribute('aria-valuenow', '0');
    xhr.progress(300, 1000);
    await waitFor(() => expect(bar).toHaveAttribute('aria-valuenow', '30'));
    xhr.progress(725, 1000);
    await waitFor(() => expect(bar).toHaveAttribute('aria-valuenow', '73'));
    expect(screen.getByText('73%')).toBeInTheDocument();
    xhr.answer(204);
    await waitFor(() => expect(bar).toHaveAttribute('aria-valuenow', '100'));

    const item = screen.getByTestId('upload-item');
    await waitFor(() => expect(item).toHaveAttribute('data-status', 'processing'));
    expect(within(item).getByRole('status')).toHaveTextContent('Processing');
    status = 'completed';
    await waitFor(() => expect(item).toHaveAttribute('data-status', 'completed'), { timeout: 5000 });
    expect(within(item).getByRole('status')).toHaveTextContent('Ready: 7 passages from 4 pages.');
  });

  it('shows failed with the reason when the file cannot be read', async () => {
    renderApp('/knowledge', { routes: api(() => ({ status: 'failed', reason: 'The PDF is damaged and cannot be read.' })) });
    await userEvent.setup().upload(await screen.findByTestId('file-input'), pdf('corrupt.pdf'));
    await waitFor(() => expect(FakeXhr.sent).toHaveLength(1));
    FakeXhr.sent[0].answer(204);
    const item = screen.getByTestId('upload-item');
    await waitFor(() => expect(item).toHaveAttribute('data-status', 'failed'));
    expect(within(item).getByRole('status')).toHaveTextContent('Failed: The PDF is damaged and cannot be read.');
  });

  it('shows failed when the storage refuses the bytes', async () => {
    renderApp('/knowledge', { routes: api(() => ({})) });
    await userEvent.setup().upload(await screen.findByTestId('file-input'), pdf());
    await waitFor(() => expect(FakeXhr.sent).toHaveLength(1));
    FakeXhr.sent[0].answer(403);
    const item = screen.getByTestId('upload-item');
    await waitFor(() => expect(item).toHaveAttribute('data-status', 'failed'));
    expect(within(item).getByRole('status')).toHaveTextContent('Failed: storage refused the upload (HTTP 403)');
  });

  it('refuses a file that is not a PDF before asking the API, and says why', async () => {
    const { calls } = renderApp('/knowledge', { routes: api(() => ({})) });
    fireEvent.drop(await screen.findByTestId('drop-zone'), {
      dataTransfer: { files: [new File(['hello'], 'notes.txt', { type: 'text/plain' })] },
    });
    expect(await screen.findByRole('alert')).toHaveTextContent('notes.txt is not a PDF.');
    expect(calls.some((c) => c.url.endsWith('/uploads'))).toBe(false);
    expect(FakeXhr.sent).toHaveLength(0);
  });

  it('opens the file chooser from a button a keyboard can reach', async () => {
    const user = userEvent.setup();
    renderApp('/knowledge', { routes: api(() => ({})) });
    const button = await screen.findByRole('button', { name: 'choose files' });
    const input = screen.getByTestId('file-input') as HTMLInputElement;
    const opened = vi.fn();
    input.addEventListener('click', opened);
    button.focus();
    await user.keyboard('{Enter}');
    expect(opened).toHaveBeenCalledTimes(1);
    expect(input).toHaveAttribute('tabindex', '-1'); // one tab stop, and one button for screen readers, for one action
    expect(input).toHaveAttribute('aria-hidden', 'true');
  });
});

describe('UploadArea and the API', () => {
  it('shows what the API said about the refused field', async () => {
    const routes = api(() => ({}));
    routes['POST /api/v1/knowledge-base/uploads'] = () => json(422, { error: { code: 'validation_error', message: 'Invalid request',
      details: { fields: [{ field: 'body.filename', message: 'The file name must end in .pdf' }] } } });
    renderApp('/knowledge', { routes });
    fireEvent.drop(await screen.findByTestId('drop-zone'), { dataTransfer: { files: [pdf('odd.pdf')] } });
    const item = await screen.findByTestId('upload-item');
    await waitFor(() => expect(item).toHaveAttribute('data-status', 'failed'));
    expect(within(item).getByRole('status')).toHaveTextContent('Failed: The file name must end in .pdf');
    expect(FakeXhr.sent).toHaveLength(0);
  });
});
