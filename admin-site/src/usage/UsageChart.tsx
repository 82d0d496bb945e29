import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { MonthUsage } from '../api/types';
import { formatNumber, formatUsd } from '../i18n/format';
import { useI18n } from '../i18n/I18nProvider';
import { formatMonth, monthsBetween } from './months';

/** Cost (bars, USD) and tokens (line, thousands) per month of the range; months without usage
 * are drawn as zero. The per-month table next to it says the same in text. */
export function UsageChart({ months, from, to }: { months: MonthUsage[]; from: string; to: string }) {
  const { messages: m, language } = useI18n();
  const byMonth = new Map(months.map((x) => [x.month, x]));
  const keys = from && to ? monthsBetween(from, to) : months.map((x) => x.month);
  const data = keys.map((key) => {
    const x = byMonth.get(key);
    return { month: formatMonth(key, language), cost: Number(x?.cost_usd ?? 0), tokens: (x?.total_tokens ?? 0) / 1000, costText: x?.cost_usd ?? '0' };
  });
  return (
    <figure className="h-72 w-full" role="img" aria-label={m.usage.chartLabel} data-testid="usage-chart">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="month" tick={{ fontSize: 12 }} />
          <YAxis yAxisId="cost" tick={{ fontSize: 12 }} tickFormatter={(v: number) => formatUsd(v, language)} width={90} />
          <YAxis yAxisId="tokens" orientation="right" tick={{ fontSize: 12 }} tickFormatter={(v: number) => formatNumber(v, language, 1)} width={60} />
          <Tooltip formatter={(value, name, item) => (name === m.usage.chartCost
            ? formatUsd((item.payload as { costText: string }).costText, language)
            : formatNumber(Number(value), language, 1))} />
          <Legend />
          <Bar yAxisId="cost" dataKey="cost" name={m.usage.chartCost} fill="#0369a1" radius={[4, 4, 0, 0]} isAnimationActive={false} />
          <Line yAxisId="tokens" dataKey="tokens" name={m.usage.chartTokens} stroke="#d97706" strokeWidth={2} dot isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  );
}
