import { ApiError, NETWORK_ERROR, type RoomStatus } from './api';

/** The situations a participant can land in instead of a meeting, each with its own page. */
export type ErrorKind =
  | 'invalid_link'
  | 'link_expired'
  | 'room_cancelled'
  | 'room_finished'
  | 'room_full'
  | 'page_not_found'
  | 'network'
  | 'unknown';

export function errorKindOf(error: unknown): ErrorKind {
  if (!(error instanceof ApiError)) return 'unknown';
  switch (error.code) {
    case 'not_found':
      return 'invalid_link';
    case 'link_expired':
    case 'room_cancelled':
    case 'room_finished':
    case 'room_full':
      return error.code;
    case NETWORK_ERROR:
      return 'network';
  }
  switch (error.status) {
    case 404:
      return 'invalid_link';
    case 410:
      return 'link_expired';
    case 409:
      return 'room_finished';
    default:
      return 'unknown';
  }
}

/** The HTTP status each page stands for, shown to help support conversations. */
export const STATUS_OF_KIND: Partial<Record<ErrorKind, number>> = {
  invalid_link: 404,
  link_expired: 410,
  room_cancelled: 409,
  room_finished: 409,
  room_full: 409,
};

/** A meeting that can no longer be joined, whatever the API said about the link itself. */
export function closedMeetingKind(status: RoomStatus): ErrorKind | null {
  if (status === 'CANCELLED') return 'room_cancelled';
  if (status === 'COMPLETED') return 'room_finished';
  return null;
}

/** A 401 from the join API means the join token is gone: ask for the password again. */
export function needsPasswordAgain(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}

/**
 * Whether an error means the link or meeting itself is unusable (show an error page) rather
 * than something the participant can fix in place (wrong password, lock, network).
 */
export function leadsToErrorPage(error: unknown): boolean {
  return error instanceof ApiError && [404, 409, 410].includes(error.status);
}
