import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ENTITY_ID, json, renderWithApi, session } from '../test/render';
import { ProfessionalsSection } from './ProfessionalsSection';

const OTHER = '6d1c8f8e-0000-4000-8000-00000000e002';
const THIRD = '6d1c8f8e-0000-4000-8000-00000000e003';
const pro = (id: string, name: string, home: string, entityIds: string[]) => ({
  id, entity_id: home, entity_ids: entityIds, name, email: null, phone: null, specialty: 'Cardiologia', active: true, user_id: null,
  created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z',
});
const ent = (id: string, name: string) => ({ id, name, type: 'medical_clinic', active: true, department_count: 0, max_participants: 10,
  timezone: 'America/Sao_Paulo', locale: 'pt-BR', default_instructions: null, recording_retention_days: 30,
  created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z' });

describe('professionals of an entity', () => {
  it('links one to another entity and removes one linked from elsewhere, after asking', async () => {
    const user = userEvent.setup();
    const { calls } = renderWithApi(<ProfessionalsSection entityId={ENTITY_ID} />, {
      as: session('MANAGER'),
      routes: {
        [`GET /api/v1/entities/${ENTITY_ID}/professionals`]: () => json(200, [
          pro('p-home', 'Dra. Ana', ENTITY_ID, [ENTITY_ID]), pro('p-linked', 'Dr. Bruno', OTHER, [OTHER, ENTITY_ID])]),
        'GET /api/v1/entities': () => json(200, { items: [ent(ENTITY_ID, 'Clínica'), ent(OTHER, 'Hospital Sul'), ent(THIRD, 'Clínica Norte')],
          total: 3, page: 1, limit: 100 }),
        'POST /api/v1/professionals/p-home/entities': async (r) => json(200, pro('p-home', 'Dra. Ana', ENTITY_ID, [ENTITY_ID, (await r.json()).entity_id])),
        [`DELETE /api/v1/professionals/p-linked/entities/${ENTITY_ID}`]: () => new Response(null, { status: 204 }),
      },
    });
    const [home, linked] = await screen.findAllByTestId('professional');
    expect(within(linked).getByTestId('linked-here')).toBeInTheDocument();
    expect(within(linked).queryByRole('button', { name: /Deactivate/ })).not.toBeInTheDocument(); // their own entity's call

    const select = await within(home).findByLabelText('Also works for');
    await waitFor(() => expect(within(select).getAllByRole('option').map((o) => o.textContent)).toEqual(
      ['Choose an entity', 'Hospital Sul', 'Clínica Norte']));
    await user.selectOptions(select, 'Clínica Norte');
    await user.click(within(home).getByRole('button', { name: 'Link' }));
    expect(await within(home).findByText('Linked.')).toBeInTheDocument();
    const link = calls.find((c) => c.method === 'POST')!;
    expect(await link.json()).toEqual({ entity_id: THIRD });

    await user.click(within(linked).getByRole('button', { name: 'Remove from this entity: Dr. Bruno' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Remove Dr. Bruno from this entity?' });
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false); // nothing before the answer
    await user.click(within(dialog).getByRole('button', { name: 'Remove from this entity' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'DELETE' && c.url.endsWith(`/p-linked/entities/${ENTITY_ID}`))).toBe(true));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());
  });

  it('asks before deactivating one of its own', async () => {
    const user = userEvent.setup();
    const { calls } = renderWithApi(<ProfessionalsSection entityId={ENTITY_ID} />, {
      routes: {
        [`GET /api/v1/entities/${ENTITY_ID}/professionals`]: () => json(200, [pro('p-home', 'Dra. Ana', ENTITY_ID, [ENTITY_ID])]),
        'PUT /api/v1/professionals/p-home': async (r) => json(200, { ...pro('p-home', 'Dra. Ana', ENTITY_ID, [ENTITY_ID]), ...(await r.json()) }),
      },
    });
    const opener = await screen.findByRole('button', { name: 'Deactivate Dra. Ana' });
    await user.click(opener);
    await user.keyboard('{Escape}');
    expect(calls.some((c) => c.method === 'PUT')).toBe(false);
    expect(opener).toHaveFocus();
    await user.click(opener);
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Deactivate' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'PUT')).toBe(true));
    expect(await calls.find((c) => c.method === 'PUT')!.json()).toEqual({ active: false });
  });
});
