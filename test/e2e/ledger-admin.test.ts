import ExcelJS from 'exceljs';
import { ADMIN_TOKEN, startSystem, TestSystem } from '../support/harness';

async function workbook(header: string[], rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('台账');
  ws.addRow(header);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The project ledger through the admin API: import, search, stages, transfer, corrections, audit, export, members. */
describe('the project ledger through the admin API', () => {
  let sys: TestSystem;
  const upload = (path: string, body: Buffer) =>
    fetch(`${sys.gatewayUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
      body,
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

  beforeAll(async () => {
    sys = await startSystem({ services: ['bot-gateway', 'lead-intake'] });
  }, 180000);
  afterAll(async () => {
    await sys?.stop();
  });

  it('imports a city ledger: a dry run row by row, then a commit where the ledger dates decide first contact', async () => {
    const file = await workbook(
      ['企业名称', '跟进单位', '登记时间', '计划投资（万元）', '行业', '阶段', '联系人', '联系电话'],
      [
        ['益阳市云帆新材料有限公司', '赫山区', '2026-03-05', 20000, '新材料', '签约', '刘总', '13900001111'],
        ['益阳云帆新材料有限公司', '资阳区', '2026-02-01', 15000, '新材料', '线索', '', ''],
        ['长沙麓谷智造装备有限公司', '桃江县', '2026-04-10', 150000, '装备制造', '在谈', '', ''],
        ['', '赫山区', '2026-04-11', 100, '', '', '', ''],
        ['某某公司', '火星区', '2026-04-12', 100, '', '', '', ''],
      ],
    );
    const dry = await upload('/api/leads/import', file);
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ commit: false, accepted: 2, duplicates: 1, errors: 2 });
    const byRow = Object.fromEntries(dry.body.rows.map((r: { row: number }) => [r.row, r]));
    // 资阳区 wrote it down first (2026-02-01): the 赫山区 row is the duplicate.
    expect(byRow[2]).toMatchObject({ status: 'duplicate', duplicateOf: { row: 3, unitName: '资阳区' } });
    expect(byRow[5].errors.join()).toContain('企业名称');
    expect(byRow[6].errors.join()).toContain('火星区');
    expect((await sys.db.query(`SELECT count(*)::int AS n FROM leads`)).rows[0].n).toBe(0);

    const done = await upload('/api/leads/import?commit=true', file);
    expect(done.body).toMatchObject({ commit: true, accepted: 2, duplicates: 1, errors: 2 });
    const leads = (await sys.db.query(`SELECT code, company_name, stage FROM leads ORDER BY code`)).rows;
    expect(leads).toEqual([
      { code: 'YY-2026-000001', company_name: '益阳云帆新材料有限公司', stage: 'lead' },
      { code: 'YY-2026-000002', company_name: '长沙麓谷智造装备有限公司', stage: 'negotiating' },
    ]);
    const again = await upload('/api/leads/import', file);
    expect(again.body).toMatchObject({ accepted: 0, duplicates: 3 });
  });

  it('refuses what is not a workbook with a clear 400', async () => {
    const r = await upload('/api/leads/import', Buffer.from('hello'));
    expect(r.status).toBe(400);
  });

  it('searches and filters with consistent pagination', async () => {
    const all = await sys.admin('/api/leads?limit=1');
    expect(all.body).toMatchObject({ total: 2, limit: 1, offset: 0 });
    expect(all.body.items).toHaveLength(1);
    const q = await sys.admin(`/api/leads?q=${encodeURIComponent('麓谷')}`);
    expect(q.body.items.map((l: { code: string }) => l.code)).toEqual(['YY-2026-000002']);
    const unit = await sys.admin(`/api/leads?unit=${encodeURIComponent('资阳区')}`);
    expect(unit.body.total).toBe(1);
    const stage = await sys.admin('/api/leads?stage=negotiating');
    expect(stage.body.items.map((l: { companyName: string }) => l.companyName)).toEqual(['长沙麓谷智造装备有限公司']);
    const dup = await sys.admin('/api/leads?hasDuplicates=false');
    expect(dup.body.total).toBe(2);
    const range = await sys.admin('/api/leads?from=2026-04-01T00:00:00Z&to=2026-05-01T00:00:00Z');
    expect(range.body.total).toBe(1);
    const bad = await sys.admin('/api/leads?stage=flying');
    expect(bad.status).toBe(400);
    const badUnit = await sys.admin(`/api/leads?unit=${encodeURIComponent('火星区')}`);
    expect(badUnit.status).toBe(400);
  });

  it('moves a lead through its stages, transfers it with first contact kept, corrects it, and audits every change', async () => {
    const signed = await sys.admin('/api/leads/YY-2026-000002/stage', {
      method: 'POST',
      body: JSON.stringify({ stage: 'signed', date: '2026-11-01', amountWan: 120000, capitalInPlaceWan: 20000 }),
    });
    expect(signed.status).toBe(200);
    expect(signed.body).toMatchObject({ stage: 'signed', signedAmountWan: 120000, capitalInPlaceWan: 20000 });
    const back = await sys.admin('/api/leads/YY-2026-000002/stage', { method: 'POST', body: JSON.stringify({ stage: 'negotiating' }) });
    expect(back.status).toBe(409);
    expect(back.body.message).toContain('不能退回');
    const noAmount = await sys.admin('/api/leads/YY-2026-000001/stage', { method: 'POST', body: JSON.stringify({ stage: 'signed' }) });
    expect(noAmount.status).toBe(409);

    const moved = await sys.admin('/api/leads/YY-2026-000001/transfer', { method: 'POST', body: JSON.stringify({ toUnit: '赫山区', reason: '企业选址调整至赫山区' }) });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ ownerUnitName: '赫山区', firstContactUnitName: '资阳区' });
    const unknown = await sys.admin('/api/leads/YY-2026-000001/transfer', { method: 'POST', body: JSON.stringify({ toUnit: '火星区', reason: '测试' }) });
    expect(unknown.status).toBe(400);

    const fixed = await sys.admin('/api/leads/YY-2026-000001', { method: 'PATCH', body: JSON.stringify({ amountWan: 60000, projectTypes: ['industrial', 'high-tech'] }) });
    expect(fixed.status).toBe(200);
    expect(fixed.body).toMatchObject({ amountWan: 60000, projectTypes: ['industrial', 'high-tech'] });
    const badType = await sys.admin('/api/leads/YY-2026-000001', { method: 'PATCH', body: JSON.stringify({ projectTypes: ['spaceship'] }) });
    expect(badType.status).toBe(400);

    const one = await sys.admin('/api/leads/YY-2026-000001');
    expect(one.status).toBe(200);
    expect(one.body.transfers).toEqual([expect.objectContaining({ fromUnitName: '资阳区', toUnitName: '赫山区', reason: '企业选址调整至赫山区' })]);
    expect(one.body.audit.map((a: { action: string }) => a.action)).toEqual(['imported', 'transfer', 'corrected']);
    const corrected = one.body.audit[2];
    expect(corrected.before).toMatchObject({ amountWan: 15000 });
    expect(corrected.after).toMatchObject({ amountWan: 60000 });
    const two = await sys.admin('/api/leads/YY-2026-000002');
    expect(two.body.history.map((h: { to: string }) => h.to)).toEqual(['signed', 'signed']);
    expect((await sys.admin('/api/leads/YY-2026-999999')).status).toBe(404);
    expect((await sys.admin('/api/leads/nonsense')).status).toBe(400);
  });

  it('exports the filtered list as a workbook', async () => {
    const r = await fetch(`${sys.gatewayUrl}/api/leads/export?stage=signed`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(r.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await r.arrayBuffer());
    const ws = wb.worksheets[0];
    expect(ws.getRow(1).getCell(1).value).toBe('线索编号');
    expect(ws.rowCount).toBe(2);
    expect(ws.getRow(2).getCell(1).value).toBe('YY-2026-000002');
    expect(ws.getRow(2).getCell(2).value).toBe('长沙麓谷智造装备有限公司');
  });

  it('changes, deactivates and imports members; history stays', async () => {
    const list = await sys.admin(`/api/members?limit=500`);
    const someone = list.body.items.find((m: { unitName: string }) => m.unitName === '资阳区');
    const patched = await sys.admin(`/api/members/${someone.id}`, { method: 'PATCH', body: JSON.stringify({ mobile: '13911112222', unitName: '赫山区' }) });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ mobile: '13911112222', unitName: '赫山区', active: true });
    const gone = await sys.admin(`/api/members/${someone.id}`, { method: 'DELETE' });
    expect(gone.status).toBe(200);
    expect(gone.body.active).toBe(false);
    expect((await sys.admin(`/api/members/999999`, { method: 'DELETE' })).status).toBe(404);

    const book = await workbook(
      ['姓名', '单位', '角色', '企业微信账号', '手机'],
      [
        ['孙丽', '赫山区', '干部', 'heshan.sunli', '13712340000'],
        [someone.name, '资阳区', '干部', someone.wecomUserId, ''],
        ['无名', '火星区', '', 'x.y', ''],
      ],
    );
    const dry = await upload('/api/members/import', book);
    expect(dry.body).toMatchObject({ commit: false, created: 1, updated: 1, errors: 1 });
    const done = await upload('/api/members/import?commit=true', book);
    expect(done.body).toMatchObject({ commit: true, created: 1, updated: 1, errors: 1 });
    const after = await sys.admin(`/api/members?limit=500`);
    expect(after.body.items.find((m: { wecomUserId: string }) => m.wecomUserId === 'heshan.sunli')).toMatchObject({ unitName: '赫山区', active: true });
    expect(after.body.items.find((m: { id: string }) => m.id === someone.id)).toMatchObject({ unitName: '资阳区', active: true });
  });
});
