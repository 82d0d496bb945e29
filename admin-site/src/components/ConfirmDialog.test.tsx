import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { I18nProvider } from '../i18n/I18nProvider';
import { ConfirmDialog } from './ConfirmDialog';

function Harness({ onConfirm = () => {} }: { onConfirm?: () => void }) {
  const [open, setOpen] = useState(false);
  const [count, setCount] = useState(0);
  return (
    <I18nProvider initialLanguage="en">
      <main id="main" tabIndex={-1}>
        <button type="button" onClick={() => setOpen(true)}>Delete protocol.pdf</button>
        <input aria-label="Behind the dialog" />
        {open && (
          <ConfirmDialog title="Delete protocol.pdf?" body="It cannot be undone." confirmLabel="Delete"
            // A new onCancel on every render, as pages pass them: focus must not jump back to Cancel.
            onCancel={() => setOpen(false)}
            onConfirm={() => { setCount((c) => c + 1); onConfirm(); }} />
        )}
        <output data-testid="count">{count}</output>
      </main>
    </I18nProvider>
  );
}

describe('ConfirmDialog', () => {
  it('takes focus to Cancel and keeps Tab and Shift+Tab inside the dialog', async () => {
    const user = userEvent.setup();
    render(<Harness />);
    await user.click(screen.getByRole('button', { name: 'Delete protocol.pdf' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Delete protocol.pdf?' });
    expect(dialog).toHaveAttribute('aria-modal', 'true');
    expect(dialog).toHaveAccessibleDescription('It cannot be undone.');
    const cancel = screen.getByRole('button', { name: 'Cancel' });
    const confirm = screen.getByRole('button', { name: 'Delete' });
    expect(cancel).toHaveFocus();
    await user.tab();
    expect(confirm).toHaveFocus();
    await user.tab(); // past the last button: back to the first, never to the page behind
    expect(cancel).toHaveFocus();
    await user.tab({ shift: true });
    expect(confirm).toHaveFocus();
    await user.tab({ shift: true });
    expect(cancel).toHaveFocus();
  });

  it('pulls focus back when something behind it is focused', async () => {
    const user = userEvent.setup();
    render(<Harness />);
    await user.click(screen.getByRole('button', { name: 'Delete protocol.pdf' }));
    screen.getByLabelText('Behind the dialog').focus();
    expect(screen.getByRole('button', { name: 'Cancel' })).toHaveFocus();
  });

  it('closes on Escape and returns focus to the button that opened it', async () => {
    const user = userEvent.setup();
    const onConfirm = vi.fn();
    render(<Harness onConfirm={onConfirm} />);
    const opener = screen.getByRole('button', { name: 'Delete protocol.pdf' });
    await user.click(opener);
    await user.tab(); // on Delete now
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(opener).toHaveFocus();
    expect(onConfirm).not.toHaveBeenCalled();
  });

  it('confirms with the keyboard alone', async () => {
    const user = userEvent.setup();
    render(<Harness />);
    screen.getByRole('button', { name: 'Delete protocol.pdf' }).focus();
    await user.keyboard('{Enter}');
    expect(screen.getByRole('alertdialog')).toBeInTheDocument();
    await user.tab();
    await user.keyboard('{Enter}');
    expect(screen.getByTestId('count')).toHaveTextContent('1');
    // The dialog stays open (the page closes it when the request settles) and focus stays put.
    expect(screen.getByRole('button', { name: 'Delete' })).toHaveFocus();
  });
});
