/**
 * Who may do what in the admin console and API (issue 11, ADR 0021). Pure: the gateway's guard
 * asks this table for every request and the controllers scope by unit where it answers `own-unit`.
 */

export const ADMIN_ROLES = ['city-admin', 'unit-admin', 'leader'] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

/** `super` is the bootstrap ADMIN_TOKEN; it may do everything a city administrator may. */
export type AdminPrincipalRole = AdminRole | 'super';

/** Areas of the admin API; every guarded controller names exactly one. */
export const ADMIN_AREAS = [
  'leads',
  'members',
  'units',
  'scoring',
  'schedules',
  'trips',
  'robots',
  'dead-letters',
  'inbox',
  'accounts',
  'audit',
  /** The signed-in person's own session and personal tokens. */
  'self',
] as const;
export type AdminArea = (typeof ADMIN_AREAS)[number];

export type AdminAction = 'read' | 'write';

/** allow: as asked; own-unit: only the viewer's unit's records (others redacted or refused); deny: 403. */
export type AdminAccessDecision = 'allow' | 'own-unit' | 'deny';

/** Areas a unit administrator may work in, and how. Everything else is refused to them. */
const UNIT_ADMIN: Partial<Record<AdminArea, Record<AdminAction, AdminAccessDecision>>> = {
  leads: { read: 'own-unit', write: 'own-unit' },
  members: { read: 'own-unit', write: 'own-unit' },
  // Unit names are what leads and transfers are addressed by; creating units is the city's.
  units: { read: 'allow', write: 'deny' },
  // Rankings and rewards are published to every unit anyway; targets and results are set by the city.
  scoring: { read: 'allow', write: 'deny' },
  self: { read: 'allow', write: 'allow' },
};

/** Areas only the city (and the super-administrator) may read, even for leaders. */
const CITY_ONLY: ReadonlySet<AdminArea> = new Set(['accounts', 'audit']);

export function adminAccess(role: AdminPrincipalRole, area: AdminArea, action: AdminAction): AdminAccessDecision {
  if (role === 'super' || role === 'city-admin') return 'allow';
  if (area === 'self') return 'allow';
  if (role === 'leader') return action === 'read' && !CITY_ONLY.has(area) ? 'allow' : 'deny';
  return UNIT_ADMIN[area]?.[action] ?? 'deny';
}

/** HTTP methods that only read; every other method changes state (and needs CSRF with a cookie). */
export function adminActionOf(method: string): AdminAction {
  return ['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase()) ? 'read' : 'write';
}
