import { describe, expect, it } from 'vitest';
import { joinPath, leftPath, roomPath, tokenFromInvitation } from './invitation';

describe('tokenFromInvitation', () => {
  const token = 'f0e1d2c3-b4a5-4000-8000-123456789abc';

  it.each([
    [token, token],
    [`  ${token}\n`, token],
    [`https://room.doctor-live.example/join#token=${token}`, token],
    [`https://room.doctor-live.example/join?lang=pt#token=${token}`, token],
    [`https://room.doctor-live.example/room#token=${token}`, token],
    [`https://room.doctor-live.example/join?token=${token}`, token],
    [`https://room.doctor-live.example/join?lang=pt&token=${token}#x`, token],
    [`room.doctor-live.example/join?token=${token}`, token],
    [`http://127.0.0.1:5174/room/${token}`, token],
    [`https://room.doctor-live.example/join/${token}`, token],
  ])('reads %j', (input, expected) => {
    expect(tokenFromInvitation(input)).toBe(expected);
  });

  it.each(['', 'hello world', 'https://example.com/', 'https://example.com/join', 'abc'])('rejects %j', (input) => {
    expect(tokenFromInvitation(input)).toBeNull();
  });
});

describe('the site\'s own addresses', () => {
  it('carry the token in the fragment only', () => {
    for (const path of [joinPath('tok_EN-1'), roomPath('tok_EN-1'), leftPath('tok_EN-1')]) {
      expect(path).toMatch(/^\/[a-z/]+#token=tok_EN-1$/);
    }
  });
});
