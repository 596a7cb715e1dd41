import { auditable } from './audit-log.store';

describe('auditable (what the audit log may keep of a body)', () => {
  it('masks secrets wherever they are nested', () => {
    expect(auditable({ username: 'heshan', password: 'p4ssw0rd!', robot: { signSecret: 'SECabc', name: '群机器人' }, token: 'zsp_x' })).toEqual({
      username: 'heshan',
      password: '***',
      robot: { signSecret: '***', name: '群机器人' },
      token: '***',
    });
  });
  it('bounds size: long strings, long lists, deep nesting, raw bytes', () => {
    expect((auditable('x'.repeat(5000)) as string).length).toBe(2001);
    expect((auditable(Array.from({ length: 1000 }, (_, i) => i)) as unknown[]).length).toBe(200);
    let deep: unknown = 'bottom';
    for (let i = 0; i < 20; i++) deep = { d: deep };
    expect(JSON.stringify(auditable(deep))).toContain('"…"');
    expect(auditable(Buffer.alloc(10))).toEqual({ bytes: 10 });
    expect(auditable(undefined)).toBeNull();
  });
});
