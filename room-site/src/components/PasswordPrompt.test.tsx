import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { I18nProvider } from '../i18n/I18nProvider';
import { PasswordPrompt } from './PasswordPrompt';

function renderPrompt(props: Partial<Parameters<typeof PasswordPrompt>[0]> = {}) {
  const onSubmit = vi.fn();
  render(
    <I18nProvider initialLanguage="en">
      <PasswordPrompt onSubmit={onSubmit} {...props} />
    </I18nProvider>,
  );
  return { onSubmit };
}

describe('PasswordPrompt', () => {
  it('is a labelled numeric field', () => {
    renderPrompt();
    const input = screen.getByLabelText('Meeting password (8 digits)');
    expect(input).toHaveAttribute('inputmode', 'numeric');
    expect(input).toHaveAttribute('data-testid', 'password-input');
    expect(screen.getByRole('button', { name: 'Join meeting' })).toHaveAttribute('data-testid', 'join-button');
  });

  it.each(['1234567', '123456789', 'abcdefgh', '1234 567x', ''])('refuses %j without calling the server', async (typed) => {
    const { onSubmit } = renderPrompt();
    if (typed) await userEvent.type(screen.getByTestId('password-input'), typed);
    await userEvent.click(screen.getByTestId('join-button'));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByRole('alert')).toHaveTextContent('The password has exactly 8 digits');
    expect(screen.getByTestId('password-input')).toHaveAttribute('aria-invalid', 'true');
  });

  it('accepts 8 digits, also pasted with a space, and submits with Enter', async () => {
    const { onSubmit } = renderPrompt();
    await userEvent.type(screen.getByTestId('password-input'), '1234 5678{Enter}');
    expect(onSubmit).toHaveBeenCalledWith('1234 5678');
    expect(screen.getByTestId('password-error')).toBeEmptyDOMElement();
  });

  it('shows the server error text in the live error region', () => {
    renderPrompt({ serverError: 'Wrong password, 2 attempts left' });
    const error = screen.getByTestId('password-error');
    expect(error).toHaveAttribute('role', 'alert');
    expect(error).toHaveTextContent('Wrong password, 2 attempts left');
  });

  it('cannot be submitted while locked', () => {
    renderPrompt({ locked: true, serverError: 'locked' });
    expect(screen.getByTestId('join-button')).toBeDisabled();
  });
});
