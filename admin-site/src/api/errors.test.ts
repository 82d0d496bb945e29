import { describe, expect, it } from 'vitest';
import { toApiError } from './errors';

describe('API errors', () => {
  it('maps the 422 shape to messages per field, without the body./query. prefix', () => {
    const error = toApiError(422, { error: { code: 'validation_error', message: 'Invalid request: check name', details: { fields: [
      { field: 'name', message: 'String should have at least 1 character', type: 'string_too_short' },
      { field: 'participants.0.email', message: 'Value error, not a valid e-mail address', type: 'value_error' },
      { field: 'query.q', message: 'too short', type: 'string_too_short' },
    ] } } });
    expect(error.status).toBe(422);
    expect(error.code).toBe('validation_error');
    expect(error.fields).toEqual({ name: 'String should have at least 1 character', 'participants.0.email': 'Value error, not a valid e-mail address', q: 'too short' });
  });

  it('keeps the message of an error without fields', () => {
    const error = toApiError(409, { error: { code: 'conflict', message: 'A department with that name exists', details: null } });
    expect(error.message).toBe('A department with that name exists');
    expect(error.fields).toEqual({});
  });
});
