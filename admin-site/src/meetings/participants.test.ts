import { describe, expect, it } from 'vitest';
import { checkRow, emptyRow, toParticipants } from './participants';

const row = (name: string, email = '', phone = '') => ({ ...emptyRow(), name, email, phone });

describe('participant rows, checked as the API checks them', () => {
  it('needs a name and an e-mail or a phone', () => {
    expect(checkRow(row(''))).toEqual({ name: 'required', email: 'contactNeeded' });
    expect(checkRow(row('Ana', 'ana@example.org'))).toEqual({});
    expect(checkRow(row('Ana', '', '+55 (11) 98765-4321'))).toEqual({});
  });

  it('refuses what the API refuses', () => {
    expect(checkRow(row('Ana', 'ana@example'))).toEqual({ email: 'badEmail' });
    expect(checkRow(row('Ana', 'a..b@example.org'))).toEqual({ email: 'badEmail' });
    expect(checkRow(row('Ana', '', '11987654321'))).toEqual({ phone: 'badPhone' });
  });

  it('sends compact phones, nulls for what is missing, and drops blank rows', () => {
    expect(toParticipants([row('Ana ', '', '+55 11 98765-4321'), row(''), row('Bruno', 'b@example.org')])).toEqual([
      { name: 'Ana', email: null, phone: '+5511987654321' },
      { name: 'Bruno', email: 'b@example.org', phone: null },
    ]);
  });
});
