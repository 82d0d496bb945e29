import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../test/render';

async function choosePassword(calls: Request[]) {
  fireEvent.change(await screen.findByLabelText('New password'), { target: { value: 'a-long-new-password' } });
  fireEvent.change(screen.getByLabelText('Repeat the new password'), { target: { value: 'a-long-new-password' } });
  fireEvent.click(screen.getByRole('button', { name: 'Save password' }));
  await screen.findByText(/Password saved/);
  const sent = calls.find((c) => c.url.endsWith('/api/v1/auth/set-password'))!;
  return (await sent.json()) as { token: string };
}

describe('set-password link', () => {
  const routes = { 'POST /api/v1/auth/set-password': () => new Response(null, { status: 204 }) };

  it('reads the token from the fragment and posts it in the body', async () => {
    const { calls } = renderApp('/set-password#token=tok-from-fragment', { routes, as: null });
    expect((await choosePassword(calls)).token).toBe('tok-from-fragment');
    expect(calls.every((c) => !new URL(c.url).search.includes('tok-from-fragment'))).toBe(true);
  });

  it('accepts a link e-mailed with ?token= and moves the token out of the address at once', async () => {
    const { calls } = renderApp('/set-password?token=tok-from-query', { routes, as: null });
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/set-password'));
    expect((await choosePassword(calls)).token).toBe('tok-from-query');
  });
});
