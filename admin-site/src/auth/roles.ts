import type { Role } from '../api/types';

export const ADMINS: Role[] = ['MANAGER', 'ENTITY_ADMIN'];
export const EVERYONE: Role[] = ['MANAGER', 'ENTITY_ADMIN', 'PROFESSIONAL'];

export interface NavItem {
  to: string;
  label: 'dashboard' | 'entities' | 'myEntity' | 'meetings' | 'knowledge' | 'knowledgeSearch' | 'usage';
}

/** What each role may use; the nav shows exactly this and the routes refuse the rest by
 * sending the user to their home page (nobody lands on a 403). */
export function navFor(role: Role, entityId: string | null | undefined): NavItem[] {
  if (role === 'PROFESSIONAL') {
    return [{ to: '/meetings', label: 'meetings' }, { to: '/knowledge', label: 'knowledgeSearch' }];
  }
  const items: NavItem[] = [{ to: '/', label: 'dashboard' }];
  if (role === 'MANAGER') items.push({ to: '/entities', label: 'entities' });
  else if (entityId) items.push({ to: `/entities/${entityId}`, label: 'myEntity' });
  items.push({ to: '/meetings', label: 'meetings' }, { to: '/knowledge', label: 'knowledge' }, { to: '/usage', label: 'usage' });
  return items;
}

export function homeFor(role: Role): string {
  return role === 'PROFESSIONAL' ? '/meetings' : '/';
}
