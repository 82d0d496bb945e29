/** Participant rows of the schedule form, checked as the API checks them
 * (doctorlive/validation.py): a name, and an e-mail or an E.164 phone number or both. */
export interface ParticipantRow {
  key: string;
  name: string;
  email: string;
  phone: string;
}

export type RowProblem = Partial<Record<'name' | 'email' | 'phone', 'required' | 'contactNeeded' | 'badEmail' | 'badPhone'>>;

const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
const E164 = /^\+[1-9]\d{6,14}$/;

let counter = 0;
export function emptyRow(): ParticipantRow {
  counter += 1;
  return { key: `row-${counter}`, name: '', email: '', phone: '' };
}

export function compactPhone(phone: string): string {
  return phone.replace(/[\s().-]/g, '');
}

export function isEmail(value: string): boolean {
  const v = value.trim();
  return EMAIL.test(v) && v.split('@')[0].length <= 64 && !v.includes('..') && v.length <= 254;
}

export function isPhone(value: string): boolean {
  return E164.test(compactPhone(value));
}

/** A row nobody typed in is ignored, not an error. */
export function isBlank(row: ParticipantRow): boolean {
  return !row.name.trim() && !row.email.trim() && !row.phone.trim();
}

export function checkRow(row: ParticipantRow): RowProblem {
  const problem: RowProblem = {};
  if (!row.name.trim()) problem.name = 'required';
  if (row.email.trim() && !isEmail(row.email)) problem.email = 'badEmail';
  if (row.phone.trim() && !isPhone(row.phone)) problem.phone = 'badPhone';
  if (!row.email.trim() && !row.phone.trim()) problem.email = 'contactNeeded';
  return problem;
}

export function toParticipants(rows: ParticipantRow[]) {
  return rows.filter((r) => !isBlank(r)).map((r) => ({
    name: r.name.trim(),
    email: r.email.trim() || null,
    phone: r.phone.trim() ? compactPhone(r.phone) : null,
  }));
}
