import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api';
import { loadJoinSession } from '../joinSession';
import { fakeApi, preview, renderApp, TOKEN, validation } from '../test/render';

const joinUrl = `/join#token=${TOKEN}`;

async function typePassword(password: string) {
  await userEvent.type(await screen.findByTestId('password-input'), password);
  await userEvent.click(screen.getByTestId('join-button'));
}

afterEach(() => {
  sessionStorage.clear();
  localStorage.clear();
  vi.useRealTimers();
});

describe('join page (staging area)', () => {
  it('shows the meeting from the public preview', async () => {
    const { api } = renderApp(joinUrl);
    expect(await screen.findByTestId('staging-area')).toBeInTheDocument();
    expect(api.getMagicLinkPreview).toHaveBeenCalledWith(TOKEN, expect.any(AbortSignal));
    expect(screen.getByRole('heading', { name: preview.room.title })).toBeInTheDocument();
    expect(screen.getByText('Organised by Dra. Ana Souza')).toBeInTheDocument();
    expect(screen.getByTestId('meeting-time')).toHaveTextContent(/2026/);
  });

  it('tells the participant before joining that the meeting is recorded, only when it is', async () => {
    const recorded = { ...preview, room: { ...preview.room, recorded: true } };
    const { unmount } = renderApp(joinUrl, { api: fakeApi({ getMagicLinkPreview: vi.fn().mockResolvedValue(recorded) }) });
    const notice = await screen.findByTestId('recording-notice');
    expect(notice).toHaveTextContent('This meeting is recorded');
    expect(notice).toHaveTextContent('recorded from the moment you join');
    unmount();
    renderApp(joinUrl, { api: fakeApi({ getMagicLinkPreview: vi.fn().mockResolvedValue(recorded) }), language: 'pt-BR' });
    expect(await screen.findByTestId('recording-notice')).toHaveTextContent('Esta reunião é gravada');
  });

  it('says nothing about recording when the meeting is not recorded', async () => {
    renderApp(joinUrl);
    expect(await screen.findByTestId('staging-area')).toBeInTheDocument();
    expect(screen.queryByTestId('recording-notice')).toBeNull();
  });

  it('shows the server error for a wrong password and stays on the page', async () => {
    const api = fakeApi({
      validateMagicLink: vi.fn(async () => {
        throw new ApiError(401, 'invalid_credentials', 'Invalid token or password');
      }),
    });
    renderApp(joinUrl, { api });
    await typePassword('12345678');
    expect(await screen.findByTestId('password-error')).toHaveTextContent('That password is not right');
    expect(api.validateMagicLink).toHaveBeenCalledWith(TOKEN, '12345678');
    expect(screen.getByTestId('location')).toHaveTextContent(joinUrl);
  });

  it('shows the server message for errors it has no words of its own for', async () => {
    const api = fakeApi({
      validateMagicLink: vi.fn(async () => {
        throw new ApiError(422, 'validation_error', 'password must be 8 digits');
      }),
    });
    renderApp(joinUrl, { api });
    await typePassword('12345678');
    expect(await screen.findByTestId('password-error')).toHaveTextContent('password must be 8 digits');
  });

  it('locks the prompt after too many attempts and says for how many minutes', async () => {
    const api = fakeApi({
      validateMagicLink: vi.fn(async () => {
        throw new ApiError(429, 'too_many_attempts', 'Too many attempts', { retry_after: 900 }, 900);
      }),
    });
    renderApp(joinUrl, { api });
    await typePassword('12345678');
    expect(await screen.findByTestId('password-error')).toHaveTextContent('try again in 15 minutes');
    expect(screen.getByTestId('join-button')).toBeDisabled();
  });

  it('rounds a lock of a few seconds up to one minute (singular)', async () => {
    const api = fakeApi({
      validateMagicLink: vi.fn(async () => {
        throw new ApiError(429, 'too_many_attempts', 'Too many attempts', null, 20);
      }),
    });
    renderApp(joinUrl, { api, language: 'pt-BR' });
    await typePassword('12345678');
    expect(await screen.findByTestId('password-error')).toHaveTextContent('tente novamente em 1 minuto.');
  });

  it('keeps the join token for this tab and enters the room', async () => {
    const { api } = renderApp(joinUrl);
    await typePassword('87654321');
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(`/room#token=${TOKEN}`));
    expect(api.validateMagicLink).toHaveBeenCalledWith(TOKEN, '87654321');
    expect(loadJoinSession(TOKEN)).toMatchObject({
      joinToken: validation.join_token,
      roomId: validation.room.id,
      roomTitle: validation.room.title,
    });
  });
});

describe('error pages', () => {
  const failing = (error: ApiError) =>
    fakeApi({
      getMagicLinkPreview: vi.fn(async () => {
        throw error;
      }),
    });

  it.each([
    [new ApiError(404, 'not_found', 'Magic link not found'), 'invalid_link', 'This invitation link is not valid', 'Error 404'],
    [new ApiError(410, 'link_expired', 'Expired'), 'link_expired', 'This invitation link has expired', 'Error 410'],
    [new ApiError(409, 'room_cancelled', 'Cancelled'), 'room_cancelled', 'This meeting was cancelled', 'Error 409'],
    [new ApiError(409, 'room_finished', 'Finished'), 'room_finished', 'This meeting has ended', 'Error 409'],
  ])('%s gives the %s page', async (error, kind, title, status) => {
    renderApp(joinUrl, { api: failing(error) });
    const page = await screen.findByTestId('error-page');
    expect(page).toHaveAttribute('data-kind', kind);
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent(title);
    expect(page).toHaveTextContent(status);
    expect(screen.getByRole('link', { name: 'Go to the start page' })).toHaveAttribute('href', '/');
    expect(screen.queryByTestId('password-input')).not.toBeInTheDocument();
  });

  it('speaks Portuguese too', async () => {
    renderApp(joinUrl, { api: failing(new ApiError(410, 'link_expired', 'Expired')), language: 'pt-BR' });
    expect(await screen.findByRole('heading', { level: 1 })).toHaveTextContent('Este link de convite expirou');
  });

  it('accepts a link sent before the token moved to the fragment, once, and takes the token out of the address', async () => {
    const { api } = renderApp(`/join?token=${TOKEN}&utm_source=mail`);
    expect(await screen.findByTestId('staging-area')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(`/join?utm_source=mail#token=${TOKEN}`));
    expect(screen.getByTestId('location').textContent).not.toContain('?token=');
    expect(api.getMagicLinkPreview).toHaveBeenCalledTimes(1);
    expect(api.getMagicLinkPreview).toHaveBeenCalledWith(TOKEN, expect.any(AbortSignal));
  });

  it('treats a link without a token as invalid', async () => {
    renderApp('/join');
    expect(await screen.findByTestId('error-page')).toHaveAttribute('data-kind', 'invalid_link');
  });

  it('shows the cancelled page when the password check finds the meeting cancelled', async () => {
    const api = fakeApi({
      validateMagicLink: vi.fn(async () => {
        throw new ApiError(409, 'room_cancelled', 'Cancelled');
      }),
    });
    renderApp(joinUrl, { api });
    await typePassword('12345678');
    expect(await screen.findByTestId('error-page')).toHaveAttribute('data-kind', 'room_cancelled');
  });

  it('offers a retry when the server could not be reached', async () => {
    const preview = vi
      .fn()
      .mockRejectedValueOnce(new ApiError(0, 'network_error', 'Failed to fetch'))
      .mockResolvedValueOnce((await import('../test/render')).preview);
    renderApp(joinUrl, { api: fakeApi({ getMagicLinkPreview: preview }) });
    await userEvent.click(await screen.findByRole('button', { name: 'Try again' }));
    expect(await screen.findByTestId('staging-area')).toBeInTheDocument();
  });

  it('has a page for unknown addresses', async () => {
    renderApp('/nowhere');
    expect(await screen.findByTestId('error-page')).toHaveAttribute('data-kind', 'page_not_found');
  });
});
