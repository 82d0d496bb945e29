#!/usr/bin/env node
// A stand-in for the doctor-live API with the three calls this site makes, for working on the
// UI without the backend. Not used by tests or the build.
//
//   node dev/mock-api.mjs [port]          (default 8010; then set apiUrl in public/config.json)
//
// Tokens pick the scenario: "expired" → 410, "cancelled"/"finished" → 409, "unknown" → 404,
// anything else → a scheduled meeting. Password 12345678 passes, 00000000 triggers the 429 lock,
// other passwords get 401. The join call answers with MOCK_LIVEKIT_URL (default ws://127.0.0.1:7880)
// and MOCK_LIVEKIT_TOKEN, so the room page can be pointed at a real LiveKit server by hand.
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? process.env.MOCK_API_PORT ?? 8010);
const start = new Date(Date.now() + 10 * 60_000);
const room = (status = 'SCHEDULED') => ({
  id: '6d1c8f8e-0000-4000-8000-000000000001',
  title: 'Revisão de casos — cardiologia',
  description: 'Discussão dos casos da semana.',
  scheduled_start: start.toISOString(),
  scheduled_end: new Date(start.getTime() + 3_600_000).toISOString(),
  status,
  organizer_name: 'Dra. Ana Souza',
  entity_name: 'Clínica Vida',
});
const failure = (code, message, details = null) => ({ error: { code, message, details } });
const byToken = {
  expired: [410, failure('link_expired', 'This link has expired')],
  cancelled: [409, failure('room_cancelled', 'This meeting was cancelled')],
  finished: [409, failure('room_finished', 'This meeting has finished')],
  unknown: [404, failure('not_found', 'Magic link not found')],
};

function send(response, status, body, headers = {}) {
  response.writeHead(status, {
    'Content-Type': 'application/json',
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Headers': 'Authorization, Content-Type',
    'Access-Control-Expose-Headers': 'Retry-After',
    ...headers,
  });
  response.end(body === undefined ? undefined : JSON.stringify(body));
}

async function readBody(request) {
  let text = '';
  for await (const chunk of request) text += chunk;
  try {
    return JSON.parse(text || '{}');
  } catch {
    return {};
  }
}

createServer(async (request, response) => {
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (request.method === 'OPTIONS') return send(response, 204);

  if (request.method === 'POST' && url.pathname === '/api/v1/magic-link/preview') {
    const { token } = await readBody(request);
    const known = byToken[token];
    if (known) return send(response, ...known);
    return send(response, 200, { room: room(), participant: { name: 'João Lima' } });
  }

  if (request.method === 'POST' && url.pathname === '/api/v1/magic-link/validate') {
    const { token, password } = await readBody(request);
    if (byToken[token]) return send(response, ...byToken[token]);
    if (password === '00000000') {
      return send(response, 429, failure('too_many_attempts', 'Too many attempts', { retry_after: 600 }), { 'Retry-After': '600' });
    }
    if (password !== '12345678') return send(response, 401, failure('invalid_credentials', 'Invalid token or password'));
    return send(response, 200, { room: room(), participant: { id: 'p-1', name: 'João Lima' }, join_token: 'mock-join-token', expires_in: 3600 });
  }

  const join = url.pathname.match(/^\/api\/v1\/rooms\/([^/]+)\/join$/);
  if (request.method === 'POST' && join) {
    if (request.headers.authorization !== 'Bearer mock-join-token') {
      return send(response, 401, failure('unauthorized', 'Join token invalid or expired'));
    }
    return send(response, 200, {
      livekit_url: process.env.MOCK_LIVEKIT_URL ?? 'ws://127.0.0.1:7880',
      livekit_token: process.env.MOCK_LIVEKIT_TOKEN ?? 'mock-livekit-token',
      room_name: `room_${join[1]}`,
      participant_identity: 'participant_p-1',
    });
  }

  send(response, 404, failure('not_found', 'No such route'));
}).listen(port, '127.0.0.1', () => console.log(`mock doctor-live API on http://127.0.0.1:${port}`));
