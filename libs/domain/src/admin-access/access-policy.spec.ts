import { adminAccess, adminActionOf, ADMIN_AREAS } from './access-policy';

describe('admin access policy', () => {
  it('lets the super-administrator and a city administrator do everything', () => {
    for (const area of ADMIN_AREAS) {
      for (const action of ['read', 'write'] as const) {
        expect(adminAccess('super', area, action)).toBe('allow');
        expect(adminAccess('city-admin', area, action)).toBe('allow');
      }
    }
  });

  it('lets a leader read everything but accounts and the audit log, and change nothing but their own tokens', () => {
    expect(adminAccess('leader', 'leads', 'read')).toBe('allow');
    expect(adminAccess('leader', 'scoring', 'read')).toBe('allow');
    expect(adminAccess('leader', 'schedules', 'read')).toBe('allow');
    expect(adminAccess('leader', 'dead-letters', 'read')).toBe('allow');
    expect(adminAccess('leader', 'accounts', 'read')).toBe('deny');
    expect(adminAccess('leader', 'audit', 'read')).toBe('deny');
    expect(adminAccess('leader', 'leads', 'write')).toBe('deny');
    expect(adminAccess('leader', 'scoring', 'write')).toBe('deny');
    expect(adminAccess('leader', 'schedules', 'write')).toBe('deny');
    expect(adminAccess('leader', 'self', 'write')).toBe('allow');
  });

  it("confines a unit administrator to their unit's leads and members and refuses the city's areas", () => {
    expect(adminAccess('unit-admin', 'leads', 'read')).toBe('own-unit');
    expect(adminAccess('unit-admin', 'leads', 'write')).toBe('own-unit');
    expect(adminAccess('unit-admin', 'members', 'read')).toBe('own-unit');
    expect(adminAccess('unit-admin', 'members', 'write')).toBe('own-unit');
    expect(adminAccess('unit-admin', 'units', 'read')).toBe('allow');
    expect(adminAccess('unit-admin', 'units', 'write')).toBe('deny');
    expect(adminAccess('unit-admin', 'scoring', 'read')).toBe('allow');
    expect(adminAccess('unit-admin', 'scoring', 'write')).toBe('deny');
    for (const area of ['schedules', 'trips', 'robots', 'dead-letters', 'inbox', 'accounts', 'audit'] as const) {
      expect(adminAccess('unit-admin', area, 'read')).toBe('deny');
      expect(adminAccess('unit-admin', area, 'write')).toBe('deny');
    }
    expect(adminAccess('unit-admin', 'self', 'write')).toBe('allow');
  });

  it('counts only GET, HEAD and OPTIONS as reading', () => {
    expect(adminActionOf('GET')).toBe('read');
    expect(adminActionOf('head')).toBe('read');
    expect(adminActionOf('OPTIONS')).toBe('read');
    expect(adminActionOf('POST')).toBe('write');
    expect(adminActionOf('PATCH')).toBe('write');
    expect(adminActionOf('PUT')).toBe('write');
    expect(adminActionOf('DELETE')).toBe('write');
  });
});
