import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ENTITY_ID, json, renderWithApi } from '../test/render';
import { DepartmentsSection } from './DepartmentsSection';
import { EntityForm, INSTRUCTIONS_MAX } from './EntityForm';

const counterOf = (field: HTMLElement) =>
  document.getElementById(field.getAttribute('aria-describedby')!.split(' ').find((id) => id.endsWith('-counter'))!)!;

describe('the 8 000-character live counter on AI instructions', () => {
  it('counts as the admin types on the entity form, and refuses to submit past the limit', async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn();
    renderWithApi(<EntityForm schema="EntityCreate" pending={false} error={null} submitLabel="Create" onSubmit={onSubmit} />);
    await user.type(screen.getByLabelText('Name'), 'Clínica Norte');
    await user.type(screen.getByLabelText('Type'), 'medical_clinic');
    const field = screen.getByLabelText('Default AI instructions');
    const counter = counterOf(field);
    expect(counter).toHaveTextContent('0 / 8,000 characters');
    expect(counter).toHaveAttribute('aria-live', 'polite'); // read out as it changes
    await user.type(field, 'Be brief.');
    expect(counter).toHaveTextContent('9 / 8,000 characters');

    await user.clear(field);
    await user.click(field);
    await user.paste('x'.repeat(INSTRUCTIONS_MAX + 1));
    expect(counter).toHaveTextContent('8,001 / 8,000 characters');
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByText('At most 8,000 characters.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Create' }));
    expect(onSubmit).not.toHaveBeenCalled();

    await user.type(field, '{Backspace}');
    expect(counter).toHaveTextContent('8,000 / 8,000 characters');
    expect(field).not.toHaveAttribute('aria-invalid');
    await user.click(screen.getByRole('button', { name: 'Create' }));
    expect(onSubmit).toHaveBeenCalledTimes(1);
    expect(onSubmit.mock.calls[0][0].default_instructions).toHaveLength(INSTRUCTIONS_MAX);
  });

  it('counts on the department form in pt-BR, and sends nothing past the limit', async () => {
    const user = userEvent.setup();
    const posted: unknown[] = [];
    const { calls } = renderWithApi(<DepartmentsSection entityId={ENTITY_ID} />, {
      language: 'pt-BR',
      routes: {
        [`GET /api/v1/entities/${ENTITY_ID}/departments`]: () => json(200, []),
        [`POST /api/v1/entities/${ENTITY_ID}/departments`]: async (r) => {
          const body = await r.json();
          posted.push(body);
          return json(201, { id: 'd-1', entity_id: ENTITY_ID, name: body.name, instructions: body.instructions, active: true,
            created_at: '2026-12-02T10:00:00Z', updated_at: '2026-12-02T10:00:00Z' });
        },
      },
    });
    const form = await screen.findByTestId('department-form');
    await user.type(within(form).getByLabelText('Nome do departamento'), 'Cardiologia');
    const field = within(form).getByLabelText('Instruções de IA do departamento');
    const counter = counterOf(field);
    expect(counter).toHaveTextContent('0 / 8.000 caracteres');
    await user.click(field);
    await user.paste('a'.repeat(8001));
    expect(counter).toHaveTextContent('8.001 / 8.000 caracteres');
    await user.click(within(form).getByRole('button', { name: 'Adicionar departamento' }));
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);

    await user.type(field, '{Backspace}');
    expect(counter).toHaveTextContent('8.000 / 8.000 caracteres');
    await user.click(within(form).getByRole('button', { name: 'Adicionar departamento' }));
    await waitFor(() => expect(posted).toHaveLength(1));
    expect(posted[0]).toMatchObject({ name: 'Cardiologia' });
    expect((posted[0] as { instructions: string }).instructions).toHaveLength(8000);
  });
});
