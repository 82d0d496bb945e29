import { describe, expect, it } from 'vitest';
import { isoToZonedLocal, zonedLocalToIso } from './format';

describe('times in the entity time zone', () => {
  it('reads a wall-clock time in the given zone, whatever the browser zone', () => {
    expect(zonedLocalToIso('2026-12-03T14:30', 'America/Sao_Paulo')).toBe('2026-12-03T17:30:00.000Z');
    expect(zonedLocalToIso('2026-07-01T09:00', 'Europe/Lisbon')).toBe('2026-07-01T08:00:00.000Z');
    expect(zonedLocalToIso('nonsense', 'UTC')).toBeNull();
  });

  it('writes an instant as the wall-clock time of the zone', () => {
    expect(isoToZonedLocal('2026-12-03T17:30:00Z', 'America/Sao_Paulo')).toBe('2026-12-03T14:30');
  });
});
