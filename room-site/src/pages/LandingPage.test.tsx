import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderApp, TOKEN } from '../test/render';

describe('landing page', () => {
  it('opens the staging area from a pasted invitation link', async () => {
    renderApp('/');
    await userEvent.type(screen.getByLabelText('Invitation link or code'), `https://room.example/join?token=${TOKEN}`);
    await userEvent.click(screen.getByRole('button', { name: 'Continue' }));
    expect(screen.getByTestId('location')).toHaveTextContent(`/join#token=${TOKEN}`);
    expect(await screen.findByTestId('staging-area')).toBeInTheDocument();
  });

  it('opens the staging area from a link with the token in its fragment', async () => {
    renderApp('/');
    await userEvent.type(screen.getByLabelText('Invitation link or code'), `https://room.example/join#token=${TOKEN}{Enter}`);
    expect(screen.getByTestId('location')).toHaveTextContent(`/join#token=${TOKEN}`);
    expect(await screen.findByTestId('staging-area')).toBeInTheDocument();
  });

  it('opens the staging area from a bare code', async () => {
    renderApp('/');
    await userEvent.type(screen.getByLabelText('Invitation link or code'), `${TOKEN}{Enter}`);
    expect(screen.getByTestId('location')).toHaveTextContent(`/join#token=${TOKEN}`);
  });

  it('explains what is wrong with something that is not an invitation', async () => {
    renderApp('/');
    await userEvent.click(screen.getByRole('button', { name: 'Continue' }));
    expect(screen.getByRole('alert')).toHaveTextContent('Paste your invitation link or code first.');
    await userEvent.type(screen.getByLabelText('Invitation link or code'), 'not an invitation{Enter}');
    expect(screen.getByRole('alert')).toHaveTextContent('does not look like an invitation');
    expect(screen.getByLabelText('Invitation link or code')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByTestId('location')).toHaveTextContent(/^\/$/);
  });
});
