import { useId, useState, type FormEvent } from 'react';
import type { SearchHit } from '../api/types';
import { Empty, ErrorAlert, fieldError, Loading } from '../components/Feedback';
import { TextField } from '../components/Field';
import { useSearch } from '../hooks/queries';
import { useMessages } from '../i18n/I18nProvider';

const SHORT = 600;

/** A passage, cut at SHORT characters with a button to read all of it (the words that matched
 * may be further on). */
function Passage({ content }: { content: SearchHit['content'] }) {
  const m = useMessages();
  const id = useId();
  const [open, setOpen] = useState(false);
  const long = content.length > SHORT;
  return (
    <>
      <p id={id} className="mt-2 whitespace-pre-wrap text-slate-800" data-testid="hit-content">
        {long && !open ? `${content.slice(0, SHORT)}…` : content}
      </p>
      {long && (
        <button type="button" className="mt-1 text-sm font-medium text-sky-800 underline" aria-expanded={open} aria-controls={id}
          onClick={() => setOpen((o) => !o)}>
          {open ? m.knowledge.showLess : m.knowledge.showAll}
        </button>
      )}
    </>
  );
}

/** Semantic search: passages with their document, pages and similarity. */
export function SearchPanel({ entityId }: { entityId: string | undefined }) {
  const m = useMessages();
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const search = useSearch(entityId, query);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setQuery(text.trim());
  };
  return (
    <div className="space-y-4">
      <form onSubmit={submit} role="search" className="flex flex-wrap items-end gap-3" data-testid="search-form">
        <TextField label={m.knowledge.query} className="min-w-72 flex-1" value={text} minLength={2} maxLength={500}
          onChange={(e) => setText(e.target.value)} hint={m.knowledge.queryHint} error={fieldError(search.error, 'q')} />
        <button type="submit" className="btn-primary mb-7" disabled={text.trim().length < 2}>{m.common.search}</button>
      </form>
      {query.length >= 2 && (search.isPending ? <Loading /> : search.isError ? <ErrorAlert error={search.error} shownFields={['q']} /> : (
        <div data-testid="search-results">
          <h3 className="mb-2 font-semibold">{m.knowledge.hitsFor(search.data.query)}</h3>
          {search.data.hits.length === 0 ? <Empty>{m.knowledge.noHits}</Empty> : (
            <ol className="space-y-3">
              {search.data.hits.map((hit) => (
                <li key={hit.chunk_id} className="rounded-lg border border-slate-200 bg-white p-4" data-testid="search-hit">
                  <div className="flex flex-wrap justify-between gap-2 text-sm">
                    <span className="font-semibold" data-testid="hit-document">{hit.filename}</span>
                    <span className="text-slate-600">
                      <span data-testid="hit-pages">{m.knowledge.page(hit.page_start, hit.page_end)}</span>
                      {hit.department_name ? ` · ${hit.department_name}` : ''} ·{' '}
                      <span data-testid="hit-similarity">{m.knowledge.similarity(Math.round(hit.similarity * 100))}</span>
                    </span>
                  </div>
                  <Passage content={hit.content} />
                </li>
              ))}
            </ol>
          )}
          <p className="mt-2 text-xs text-slate-500">{m.knowledge.offline(search.data.embedding_model)}</p>
        </div>
      ))}
    </div>
  );
}
