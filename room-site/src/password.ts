/** Meeting passwords are exactly 8 digits; people paste them with spaces or dashes. */
export const PASSWORD_LENGTH = 8;

export function normalizePassword(input: string): string {
  return input.replace(/[\s-]/g, '');
}

export function isWellFormedPassword(input: string): boolean {
  return new RegExp(`^\\d{${PASSWORD_LENGTH}}$`).test(normalizePassword(input));
}

/** Whole minutes left on a lock, rounded up so "0 minutes" is never shown while locked. */
export function minutesUntil(lockedUntilMs: number, nowMs: number): number {
  return Math.max(0, Math.ceil((lockedUntilMs - nowMs) / 60_000));
}
