import ExcelJS from 'exceljs';
import { ADMIN_TOKEN, startSystem, TestSystem } from '../support/harness';
import { personalTokenFor } from '../support/admin-tokens';

/**
 * The authorization probe (issue 11, ADR 0021): a unit administrator's token is sent to EVERY
 * endpoint of the OpenAPI document with another unit's data in the path; it must never get that
 * unit's contact person or phone, and every write on it is refused with 403. A leader's token
 * reads everything and every write is refused with 403.
 */
describe('authorization probe: a unit administrator gets nothing of another unit, a leader writes nothing', () => {
  let sys: TestSystem;
  let unitToken: string;
  let leaderToken: string;
  let heshanId: string;
  let ziyangId: string;
  let ziyangMemberId: string;
  const OTHER = { contact: '周望舒', phone: '13877776666', code: '' };
  const OWN = { contact: '刘一鸣', phone: '13900001111', code: '' };

  const call = async (path: string, token: string, method = 'GET', body?: unknown) => {
    const res = await fetch(`${sys.gatewayUrl}${path}`, {
      method,
      redirect: 'manual',
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const buf = Buffer.from(await res.arrayBuffer());
    let json: any = null;
    try {
      json = JSON.parse(buf.toString('utf8'));
    } catch {
      /* not JSON */
    }
    return { status: res.status, text: buf.toString('utf8'), json, buf, type: res.headers.get('content-type') ?? '' };
  };

  const tokenFor = (username: string, password: string) => personalTokenFor(sys.gatewayUrl, username, password, 'probe');

  beforeAll(async () => {
    sys = await startSystem({ services: ['bot-gateway', 'lead-intake', 'notification'] });
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('台账');
    ws.addRow(['企业名称', '跟进单位', '登记时间', '计划投资（万元）', '行业', '阶段', '联系人', '联系电话']);
    ws.addRow(['益阳市云帆新材料有限公司', '赫山区', '2026-03-05', 20000, '新材料', '线索', OWN.contact, OWN.phone]);
    ws.addRow(['长沙麓谷智造装备有限公司', '资阳区', '2026-03-06', 150000, '装备制造', '在谈', OTHER.contact, OTHER.phone]);
    const imported = await fetch(`${sys.gatewayUrl}/api/leads/import?commit=true`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/octet-stream' },
      body: Buffer.from(await wb.xlsx.writeBuffer()),
    });
    expect(imported.status).toBe(200);
    const leads = (await sys.db.query(`SELECT l.code, u.name FROM leads l JOIN units u ON u.id = l.owner_unit_id`)).rows as { code: string; name: string }[];
    OWN.code = leads.find((l) => l.name === '赫山区')!.code;
    OTHER.code = leads.find((l) => l.name === '资阳区')!.code;
    const units = (await sys.db.query(`SELECT id::text AS id, name FROM units WHERE name IN ('赫山区', '资阳区')`)).rows as { id: string; name: string }[];
    heshanId = units.find((u) => u.name === '赫山区')!.id;
    ziyangId = units.find((u) => u.name === '资阳区')!.id;
    ziyangMemberId = (await sys.db.query(`SELECT id::text AS id FROM members WHERE unit_id = $1 LIMIT 1`, [ziyangId])).rows[0].id;

    for (const a of [
      { username: 'heshan', displayName: '赫山区招商办', password: 'probe-pass-unit', role: 'unit-admin', unit: '赫山区' },
      { username: 'leader', displayName: '分管副市长', password: 'probe-pass-lead', role: 'leader' },
    ]) {
      expect((await sys.admin('/api/accounts', { method: 'POST', body: JSON.stringify(a) })).status).toBe(201);
    }
    unitToken = await tokenFor('heshan', 'probe-pass-unit');
    leaderToken = await tokenFor('leader', 'probe-pass-lead');
  }, 240000);
  afterAll(async () => {
    await sys?.stop();
  });

  /** Every operation of the OpenAPI document, with another unit's data in the path parameters. */
  async function operations(): Promise<{ method: string; path: string; template: string }[]> {
    const doc = (await call('/api/docs-json', ADMIN_TOKEN)).json as { paths: Record<string, Record<string, unknown>> };
    const fill: Record<string, string> = { number: OTHER.code, id: ziyangMemberId, period: '2026-Q1', year: '2026' };
    const ops: { method: string; path: string; template: string }[] = [];
    for (const [template, methods] of Object.entries(doc.paths)) {
      for (const method of Object.keys(methods)) {
        const p = template.replace(/\{(\w+)\}/g, (_, k: string) => fill[k] ?? '1');
        ops.push({ method: method.toUpperCase(), path: p, template });
      }
    }
    return ops;
  }

  it('the probe covers the whole admin API', async () => {
    const ops = await operations();
    expect(ops.length).toBeGreaterThan(40);
    for (const t of ['/api/leads', '/api/leads/{number}', '/api/leads/{number}/transfer', '/api/members/{id}', '/api/accounts', '/api/audit', '/api/schedules']) {
      expect(ops.some((o) => o.template === t)).toBe(true);
    }
  });

  it('a unit administrator: no read anywhere returns the other unit’s contact person or phone', async () => {
    const leaks: string[] = [];
    for (const op of (await operations()).filter((o) => o.method === 'GET')) {
      const r = await call(op.path, unitToken);
      if (r.text.includes(OTHER.phone) || r.text.includes(OTHER.contact)) leaks.push(`${op.method} ${op.path} -> ${r.status}`);
    }
    expect(leaks).toEqual([]);

    // The list shows the other unit's lead as registered by 资阳区 on its date, and the own lead whole.
    const list = await call('/api/leads?limit=50', unitToken);
    const other = list.json.items.find((l: { code: string }) => l.code === OTHER.code);
    expect(other).toEqual({
      code: OTHER.code,
      companyName: '长沙麓谷智造装备有限公司',
      ownerUnitId: ziyangId,
      ownerUnitName: '资阳区',
      registeredAt: expect.any(String),
      restricted: true,
      registeredNotice: '已由资阳区于2026-03-06登记',
    });
    expect(list.json.items.find((l: { code: string }) => l.code === OWN.code)).toMatchObject({ contactName: OWN.contact, contactPhone: OWN.phone });
    const detail = await call(`/api/leads/${OTHER.code}`, unitToken);
    expect(detail.status).toBe(200);
    expect(detail.json).not.toHaveProperty('contactPhone');
    expect(detail.json).not.toHaveProperty('history');
    expect((await call(`/api/leads/${OWN.code}`, unitToken)).json).toMatchObject({ contactPhone: OWN.phone });

    // The Excel export (compressed, so read it): the other unit's row has no contact or phone.
    const xlsx = await call('/api/leads/export', unitToken);
    expect(xlsx.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.buf as never);
    const cells = book.worksheets[0].getSheetValues().flat().map(String).join('|');
    expect(cells).toContain(OWN.phone);
    expect(cells).toContain('长沙麓谷智造装备有限公司');
    expect(cells).not.toContain(OTHER.phone);
    expect(cells).not.toContain(OTHER.contact);

    // Members: only the own unit's.
    const members = await call(`/api/members?unitId=${ziyangId}`, unitToken);
    expect(members.status).toBe(200);
    expect(members.json.items.length).toBeGreaterThan(0);
    expect(members.json.items.every((m: { unitId: string }) => String(m.unitId) === heshanId)).toBe(true);
  });

  it('a unit administrator: every write on another unit’s data is refused with 403 and changes nothing', async () => {
    const before = (await sys.db.query(`SELECT stage, owner_unit_id::text AS unit, contact_phone FROM leads WHERE code = $1`, [OTHER.code])).rows[0];
    const bodies: Record<string, unknown> = {
      '/api/leads/{number}/stage': { stage: 'negotiating' },
      '/api/leads/{number}/transfer': { toUnit: '赫山区', reason: '探测' },
      '/api/leads/{number}': { contactPhone: '13800000000' },
      '/api/members': { name: '探测员', unitId: ziyangId, role: 'official' },
      '/api/members/{id}': { name: '探测员' },
    };
    const notRefused: string[] = [];
    for (const op of (await operations()).filter((o) => o.method !== 'GET' && !o.template.startsWith('/api/auth/'))) {
      const r = await call(op.path, unitToken, op.method, bodies[op.template] ?? {});
      if (r.status !== 403) notRefused.push(`${op.method} ${op.path} -> ${r.status} ${r.text.slice(0, 120)}`);
    }
    expect(notRefused).toEqual([]);
    const after = (await sys.db.query(`SELECT stage, owner_unit_id::text AS unit, contact_phone FROM leads WHERE code = $1`, [OTHER.code])).rows[0];
    expect(after).toEqual(before);
    expect((await sys.db.query(`SELECT count(*)::int AS n FROM members WHERE name = '探测员'`)).rows[0].n).toBe(0);
  });

  it('a unit administrator: another unit’s evidence files are refused, whatever the id', async () => {
    for (const id of ['1', '2', '999']) {
      expect([id, (await call(`/api/leads/${OTHER.code}/evidence/${id}`, unitToken)).status]).toEqual([id, 403]);
    }
    // Their own lead's evidence is theirs to read: no refusal (there is none stored, so 404).
    expect((await call(`/api/leads/${OWN.code}/evidence/999`, unitToken)).status).toBe(404);
  });

  it('a unit administrator may change their own unit’s lead', async () => {
    const own = await call(`/api/leads/${OWN.code}/stage`, unitToken, 'POST', { stage: 'negotiating', note: '自己的线索' });
    expect(own.status).toBe(200);
  });

  it('a leader reads everything and every write is refused with 403', async () => {
    const list = await call('/api/leads?limit=50', leaderToken);
    expect(list.json.items.find((l: { code: string }) => l.code === OTHER.code)).toMatchObject({ contactPhone: OTHER.phone });
    for (const p of ['/api/units', '/api/members', '/api/schedules', `/api/rankings/2026-Q1`, '/api/inbox']) {
      expect([p, (await call(p, leaderToken)).status]).not.toEqual([p, 403]);
    }
    expect((await call('/api/accounts', leaderToken)).status).toBe(403);
    expect((await call('/api/audit', leaderToken)).status).toBe(403);
    const notRefused: string[] = [];
    for (const op of (await operations()).filter((o) => o.method !== 'GET' && !o.template.startsWith('/api/auth/'))) {
      const r = await call(op.path, leaderToken, op.method, {});
      if (r.status !== 403) notRefused.push(`${op.method} ${op.path} -> ${r.status}`);
    }
    expect(notRefused).toEqual([]);
  });

  it('the ADMIN_TOKEN keeps working as the super-administrator, and reads who did what in the audit log', async () => {
    // Stands alone: the unit administrator's own write this test reads back is made here if no earlier test made it.
    const already = (await sys.db.query(`SELECT stage FROM leads WHERE code = $1`, [OWN.code])).rows[0].stage;
    if (already === 'lead') expect((await call(`/api/leads/${OWN.code}/stage`, unitToken, 'POST', { stage: 'negotiating' })).status).toBe(200);
    const r = await call(`/api/leads/${OTHER.code}`, ADMIN_TOKEN);
    expect(r.json).toMatchObject({ contactPhone: OTHER.phone });
    const stages = (await call('/api/audit?action=stage&actor=heshan', ADMIN_TOKEN)).json.items.filter((e: { status: number }) => e.status === 200);
    expect(stages).toEqual([expect.objectContaining({ actor: '赫山区招商办(heshan)', target: OWN.code, before: expect.objectContaining({ stage: 'lead' }), after: expect.objectContaining({ stage: 'negotiating' }) })]);
    // The refused attempts are in the audit log too, by route and target.
    const refused = (await call('/api/audit?actor=heshan&limit=500', ADMIN_TOKEN)).json.items.filter((e: { status: number }) => e.status === 403);
    expect(refused.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['POST /api/leads/:number/transfer', 'POST /api/accounts', 'PUT /api/targets/:year']));
    expect(refused.find((e: { action: string }) => e.action === 'POST /api/leads/:number/transfer').target).toBe(OTHER.code);
  });
});
