import type { UsageRow } from '../api/types';
import { Empty, ErrorAlert, Loading } from '../components/Feedback';
import { useRoomUsage } from '../hooks/queries';
import { formatDateTime, formatNumber, formatSeconds, formatUsd } from '../i18n/format';
import { useI18n } from '../i18n/I18nProvider';

type Part = { model?: string; tokens?: number; seconds?: number; usd?: string };
const PARTS = ['llm_input', 'llm_output', 'stt', 'embeddings'];

export function Figure({ label, value, sub, testId }: { label: string; value: string; sub?: string; testId: string }) {
  return (
    <div className="rounded-lg bg-slate-50 p-3 ring-1 ring-slate-200" data-testid={testId}>
      <dt className="text-sm text-slate-600">{label}</dt>
      <dd className="mt-1 text-xl font-bold tabular-nums" data-testid={`${testId}-value`}>{value}</dd>
      {sub && <dd className="text-sm text-slate-600">{sub}</dd>}
    </div>
  );
}

/** One assistant session's cost, part by part, as the price table made it. */
function Breakdown({ row, n, timeZone }: { row: UsageRow; n: number; timeZone: string }) {
  const { messages: m, language } = useI18n();
  const parts = PARTS.map((key) => [key, row.cost_breakdown[key] as Part | undefined] as const).filter(([, p]) => p);
  const unpriced = (row.cost_breakdown.unpriced_models as string[] | undefined) ?? [];
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm" data-testid="usage-breakdown">
        <caption className="mb-1 text-left font-medium text-slate-800">{m.record.session(n, formatDateTime(row.started_at, language, timeZone))}</caption>
        <thead className="bg-slate-100 text-slate-700">
          <tr>
            <th scope="col" className="p-2">{m.record.part}</th>
            <th scope="col" className="p-2">{m.record.model}</th>
            <th scope="col" className="p-2 text-right">{m.record.quantity}</th>
            <th scope="col" className="p-2 text-right">{m.record.cost}</th>
          </tr>
        </thead>
        <tbody>
          {parts.map(([key, p]) => (
            <tr key={key} className="border-t border-slate-200">
              <th scope="row" className="p-2 font-normal">{m.record.parts[key] ?? key}</th>
              <td className="p-2 text-slate-700">{p!.model ?? m.common.none}</td>
              <td className="p-2 text-right tabular-nums">
                {p!.seconds !== undefined ? formatSeconds(p!.seconds) : `${formatNumber(p!.tokens ?? 0, language)} ${m.record.tokens.toLowerCase()}`}
              </td>
              <td className="p-2 text-right tabular-nums">{formatUsd(p!.usd ?? '0', language)}</td>
            </tr>
          ))}
          <tr className="border-t border-slate-300 font-semibold">
            <th scope="row" className="p-2" colSpan={3}>{m.record.cost}</th>
            <td className="p-2 text-right tabular-nums">{formatUsd(row.cost_usd, language)}</td>
          </tr>
        </tbody>
      </table>
      {unpriced.length > 0 && <p className="mt-1 text-sm text-amber-800">{m.record.unpriced(unpriced.join(', '))}</p>}
    </div>
  );
}

/** The meeting's AI usage: the API's totals, then each session's cost breakdown. */
export function AgentUsage({ roomId, timeZone }: { roomId: string; timeZone: string }) {
  const { messages: m, language } = useI18n();
  const usage = useRoomUsage(roomId);
  return (
    <section className="card space-y-4" aria-labelledby="usage-title" data-testid="meeting-usage">
      <h2 id="usage-title" className="text-lg font-semibold">{m.record.usage}</h2>
      {usage.isPending ? <Loading /> : usage.isError ? <ErrorAlert error={usage.error} onRetry={() => usage.refetch()} />
        : usage.data.items.length === 0 ? <Empty>{m.record.noUsage}</Empty> : (
          <>
            <dl className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
              <Figure testId="usage-cost" label={m.record.cost} value={formatUsd(usage.data.totals.cost_usd, language)}
                sub={`${m.record.sessions}: ${usage.data.totals.sessions}`} />
              <Figure testId="usage-tokens" label={m.record.tokens} value={formatNumber(usage.data.totals.total_tokens, language)}
                sub={m.record.tokensDetail(formatNumber(usage.data.totals.prompt_tokens, language), formatNumber(usage.data.totals.completion_tokens, language))} />
              <Figure testId="usage-speech" label={m.record.speech} value={formatSeconds(usage.data.totals.stt_seconds)} />
              <Figure testId="usage-embeddings" label={m.record.embeddings} value={formatNumber(usage.data.totals.embedding_tokens, language)} />
            </dl>
            <h3 className="font-semibold">{m.record.breakdown}</h3>
            <div className="space-y-4">
              {usage.data.items.map((row, i) => <Breakdown key={row.id} row={row} n={i + 1} timeZone={timeZone} />)}
            </div>
          </>
        )}
    </section>
  );
}
