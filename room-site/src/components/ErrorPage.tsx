import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { useMessages } from '../i18n/I18nProvider';
import { STATUS_OF_KIND, type ErrorKind } from '../meetingErrors';

/** Why the participant cannot get into the meeting, in plain words, and where to go next. */
export function ErrorPage({ kind, onRetry }: { kind: ErrorKind; onRetry?: () => void }) {
  const m = useMessages();
  const text = m.errors.kinds[kind];
  const status = STATUS_OF_KIND[kind];
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    heading.current?.focus(); // screen readers start from the news, not the page header
  }, [kind]);

  return (
    <section data-testid="error-page" data-kind={kind} aria-labelledby="error-title" className="card mx-auto max-w-xl text-center">
      {status ? <p className="text-sm font-medium text-slate-500">{m.errors.status(status)}</p> : null}
      <h1 id="error-title" ref={heading} tabIndex={-1} className="mt-2 text-2xl font-semibold">
        {text.title}
      </h1>
      <p className="mt-3 text-slate-700">{text.body}</p>
      <div className="mt-6 flex flex-wrap justify-center gap-3">
        {onRetry ? (
          <button type="button" className="btn-primary" onClick={onRetry}>
            {m.errors.retry}
          </button>
        ) : null}
        <Link to="/" className={onRetry ? 'btn-secondary' : 'btn-primary'}>
          {m.errors.home}
        </Link>
      </div>
    </section>
  );
}
