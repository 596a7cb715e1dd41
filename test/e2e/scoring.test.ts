import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { connect, NatsConnection, Subscription } from 'nats';
import { LeadSnapshot, namesFor } from '@zs/contracts';
import { startSystem, TestSystem, waitFor } from '../support/harness';

/**
 * Scoring end to end for the Yiyang profile on the real PostgreSQL, NATS and services: lead events
 * published on the real EVENTS stream feed scoring's read model; targets and results go in through
 * the admin API; rankings are published to the WeCom simulator's group robots and app chats; the
 * accountability ladder and the rewards follow. Expected scores are worked by hand in comments.
 */
const COUNTIES = ['heshan', 'ziyang', 'anhua', 'taojiang', 'yuanjiang', 'nanxian', 'datonghu', 'gaoxin'];
const T = (iso: string) => Date.parse(`${iso}T10:00:00+08:00`);

describe('scoring: targets, rankings, publishing, accountability and rewards', () => {
  let sys: TestSystem;
  let nc: NatsConnection;
  let names: ReturnType<typeof namesFor>;
  const unitId: Record<string, string> = {};
  const events: { subject: string; data: any }[] = [];
  let sub: Subscription;

  const publishEvent = async (subject: string, payload: unknown, msgId: string) => {
    await nc.jetstream().publish(subject, Buffer.from(JSON.stringify(payload)), { msgID: msgId });
  };
  const snapshot = (over: Partial<LeadSnapshot>): LeadSnapshot => ({
    leadId: '9001',
    code: 'YY-2026-9001',
    companyName: '湖南星河智能装备有限公司',
    ownerUnitId: unitId.heshan,
    firstContactUnitId: unitId['dept-industry'],
    tier: 'major',
    projectTypes: ['industrial'],
    industry: '装备制造',
    plannedAmountWan: 80000,
    stage: 'started',
    stageDates: { signed: T('2026-01-15'), started: T('2026-02-20') },
    signedAmountWan: 80000,
    capitalInPlaceWan: 12000,
    registeredAt: T('2025-11-01'),
    version: 3,
    updatedAt: T('2026-02-20'),
    ...over,
  });
  const targetsFor = (value: Record<string, number>) => COUNTIES.map((u) => Object.entries(value).map(([indicator, v]) => ({ unit: u, indicator, value: v }))).flat();
  const put = (path: string, body: unknown) => sys.admin(path, { method: 'PUT', body: JSON.stringify(body) });
  const post = (path: string, body: unknown = {}) => sys.admin(path, { method: 'POST', body: JSON.stringify(body) });
  const countyRows = async (path: string) => {
    const r = await sys.admin(path);
    expect(r.status).toBe(200);
    return { body: r.body, rows: (r.body.groups as any[]).find((g) => g.group === 'counties').rows as any[] };
  };

  beforeAll(async () => {
    sys = await startSystem({ services: ['bot-gateway', 'lead-intake', 'scoring', 'notification'] });
    nc = await connect({ servers: sys.env.NATS_URL });
    names = namesFor(sys.env.NAMESPACE);
    sub = nc.subscribe(`${sys.env.NAMESPACE}.events.>`);
    (async () => {
      for await (const m of sub) events.push({ subject: m.subject, data: JSON.parse(Buffer.from(m.data).toString('utf8')) });
    })().catch(() => undefined);
    const units = await sys.db.query(`SELECT id::text AS id, profile_key AS key FROM units`);
    for (const u of units.rows) unitId[u.key] = u.id;
  }, 180000);

  afterAll(async () => {
    if (process.env.SCORING_TEST_LOGS) console.log(sys.logs.filter((l) => /warn|error|robot|ranking/i.test(l)).slice(-60).join('\n'));
    sub?.unsubscribe();
    await nc?.close();
    await sys?.stop();
  });

  it('lists the indicators with weight, method and where the value comes from', async () => {
    const r = await sys.admin('/api/indicators');
    expect(r.status).toBe(200);
    const byKey = Object.fromEntries((r.body as any[]).map((i) => [i.key, i]));
    expect(byKey['out-province-capital']).toMatchObject({ name: '引进境内省外资金', unit: '万元', weight: 40, source: 'reported', method: { kind: 'capped-ratio', capPercent: 120 } });
    expect(byKey['major-projects-landed']).toMatchObject({ source: 'ledger', computed: { metric: 'major-projects-landed', tierKey: 'major' } });
  });

  it('consumes the ledger events idempotently: the highest version wins, in any order, duplicates harmless', async () => {
    await publishEvent(names.subjects.leadStageChanged, { lead: snapshot({}), from: 'signed', to: 'started', date: T('2026-02-20'), byMemberId: null }, 'lead-stage:9001:3');
    // an older version arriving late, and the same version again under another id
    await publishEvent(names.subjects.leadStageChanged, { lead: snapshot({ version: 2, stage: 'signed', stageDates: { signed: T('2026-01-15') } }), from: 'negotiating', to: 'signed', date: T('2026-01-15'), byMemberId: null }, 'lead-stage:9001:2');
    await publishEvent(names.subjects.leadUpdated, { lead: snapshot({}), fields: [], at: Date.now() }, `dup-${randomUUID()}`);
    // today's registration event (before the ledger publishes snapshots)
    await publishEvent(names.subjects.leadRegistered, { leadId: '9002', code: 'YY-2026-9002', ownerUnitId: unitId.ziyang, tier: 'key', amountWan: 1000, currency: 'USD', registeredAt: T('2026-03-01') }, 'lead-registered:9002');
    const rows = await waitFor(async () => {
      const r = await sys.db.query(`SELECT lead_id, version, stage, started_at IS NOT NULL AS started, planned_amount_wan FROM scoring_leads ORDER BY lead_id`);
      return r.rows.length === 2 && r.rows;
    }, 20000, 'two leads in the read model');
    expect(rows[0]).toMatchObject({ lead_id: '9001', version: 3, stage: 'started', started: true });
    expect(rows[1]).toMatchObject({ lead_id: '9002', version: 0, stage: 'lead' });
    expect(Number(rows[1].planned_amount_wan)).toBe(7100); // 1000 万美元 × 7.1
  });

  it('refuses bad input with a clear 400 and keeps what was accepted', async () => {
    expect((await put('/api/targets/20x6', { targets: [] })).status).toBe(400);
    expect((await put('/api/actuals/2026-Q5', { values: [{ unit: 'heshan', indicator: 'fdi-actual', value: 1 }] })).status).toBe(400);
    const bad = await put('/api/targets/2026', { targets: [{ unit: '赫山区', indicator: 'fdi-actual', value: 1000 }, { unit: '不存在区', indicator: 'fdi-actual', value: 5 }] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('第2行：未找到单位“不存在区”');
    const computed = await put('/api/actuals/2026-Q1', { values: [{ unit: 'heshan', indicator: 'major-projects-landed', value: 9 }] });
    expect(computed.status).toBe(400);
    expect(JSON.stringify(computed.body)).toContain('由项目台账自动计算');
    expect((await sys.db.query(`SELECT count(*)::int AS n FROM scoring_targets`)).rows[0].n).toBe(0);
  });

  it('ranks a quarter by weighted, capped completion, counties apart, with the ledger-computed indicator', async () => {
    const tg = { 'out-province-capital': 100000, 'fdi-actual': 1000, 'major-projects-landed': 4, 'foreign-trade': 50000 };
    expect((await put('/api/targets/2026', { targets: targetsFor(tg) })).body).toEqual({ year: 2026, saved: 32 });
    const q1: Record<string, number> = { heshan: 30000, ziyang: 20000, anhua: 10000, taojiang: 40000, yuanjiang: 5000, nanxian: 25000, datonghu: 35000, gaoxin: 45000 };
    const values = Object.entries(q1).flatMap(([u, opc]) => [
      // by id for one county, by name/key for the rest
      { unit: u === 'gaoxin' ? Number(unitId.gaoxin) : u === 'heshan' ? '赫山区' : u, indicator: 'out-province-capital', value: opc },
      { unit: u, indicator: 'fdi-actual', value: opc / 100 },
      { unit: u, indicator: 'foreign-trade', value: opc / 2 },
    ]);
    expect((await put('/api/actuals/2026-Q1', { values })).status).toBe(200);
    const { body, rows } = await countyRows('/api/rankings/2026-Q1');
    expect(body).toMatchObject({ status: 'draft', version: null, timeProgress: 25 });
    // gaoxin 45 %: 18 + 11.25 + 6.75 = 36; taojiang 40 %: 32; heshan 30 % + 1 of 4 major projects landed: 12 + 7.5 + 4.5 + 5 = 29
    expect(rows.map((r) => [r.unit, r.rank, r.score])).toEqual([
      ['gaoxin', 1, 36], ['taojiang', 2, 32], ['heshan', 3, 29], ['datonghu', 4, 28], ['nanxian', 5, 20], ['ziyang', 6, 16], ['anhua', 7, 8], ['yuanjiang', 8, 4],
    ]);
    const heshan = rows.find((r) => r.unit === 'heshan');
    expect(heshan).toMatchObject({ progress: 29, timeProgress: 25, gap: 4, band: 'green' });
    expect(heshan.indicators['major-projects-landed']).toMatchObject({ value: 1, target: 4, completion: 25, points: 5 });
    expect(rows.find((r) => r.unit === 'anhua')).toMatchObject({ gap: -17, band: 'red' });
    const groups = (body.groups as any[]).map((g) => g.group);
    expect(groups).toEqual(['counties', 'parks', 'service']);
  });

  it('says which units have not reported (for the data-due reminders)', async () => {
    const r = await sys.admin('/api/reporting-status/2026-Q1');
    expect(r.status).toBe(200);
    expect(r.body.reported.map((u: any) => u.unit).sort()).toEqual([...COUNTIES].sort());
    expect(r.body.missing.some((u: any) => u.unit === 'park-longling')).toBe(true);
  });

  let cityRobotKey: string;
  let heshanRobotKey: string;
  it('publishes to group robots and app chats, once per version; a correction makes a new audited version', async () => {
    cityRobotKey = randomUUID();
    heshanRobotKey = randomUUID();
    sys.sim.addGroupRobot(cityRobotKey, '益阳市招商引资工作群');
    sys.sim.addGroupRobot(heshanRobotKey, '赫山区招商群');
    expect((await post('/api/robots', { platform: 'wecom', name: '全市招商群', webhookKey: cityRobotKey })).status).toBe(201);
    expect((await post('/api/robots', { platform: 'wecom', name: '赫山区招商群', unitId: unitId.heshan, webhookKey: heshanRobotKey })).status).toBe(201);

    const first = await post('/api/rankings/2026-Q1/publish');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ period: '2026-Q1', version: 1, created: true, changes: [] });

    const city = await waitFor(() => sys.sim.groupMessages(cityRobotKey)[0], 30000, 'the city ranking notice');
    for (const name of ['赫山区', '资阳区', '安化县', '桃江县', '沅江市', '南县', '大通湖区', '益阳高新区']) expect(city.content).toContain(name);
    expect(city.content.indexOf('益阳高新区')).toBeLessThan(city.content.indexOf('沅江市')); // rank order
    // the Excel sheet follows as a file, with every county in rank order
    const file = await waitFor(() => sys.sim.groupMessages(cityRobotKey).find((m) => m.msgtype === 'file'), 30000, 'the ranking sheet');
    expect(file.content).toBe('[文件] ranking-2026-Q1-v1.xlsx');
    const upload = sys.sim.uploadedFiles().find((f) => f.fileName === 'ranking-2026-Q1-v1.xlsx')!;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(upload.bytes as unknown as ArrayBuffer);
    const sheetRows: unknown[][] = [];
    book.getWorksheet('区县（市）')!.eachRow((row) => sheetRows.push((row.values as unknown[]).slice(1)));
    expect(sheetRows.slice(2).map((r) => [r[0], r[1], r[2]])).toEqual([
      [1, '益阳高新区', 36], [2, '桃江县', 32], [3, '赫山区', 29], [4, '大通湖区', 28], [5, '南县', 20], [6, '资阳区', 16], [7, '安化县', 8], [8, '沅江市', 4],
    ]);
    expect(sys.sim.groupMessages(heshanRobotKey).some((m) => m.msgtype === 'file')).toBe(false); // a unit's group gets its row only
    const own = await waitFor(() => sys.sim.groupMessages(heshanRobotKey)[0], 30000, "Heshan's own notice");
    expect(own.content).toContain('第 **3** 名');
    expect(own.content).toContain('距上一名（第2名 桃江县）相差 3 分');
    expect(own.content).not.toContain('大通湖区');
    await waitFor(() => sys.sim.messagesTo('gov.zhengguohua').some((m) => m.content.includes('大通湖区')), 30000, 'the mayor gets the table');
    await waitFor(() => sys.sim.messagesTo('heshan.zhangwei').some((m) => m.content.includes('距上一名')), 30000, "Heshan's head gets its row");
    const ev = await waitFor(() => events.find((e) => e.subject === names.subjects.rankingPublished), 10000, 'ranking event');
    expect(ev.data).toMatchObject({ period: '2026-Q1', version: 1 });

    // publishing again without a change: same version, nothing sent twice
    const again = await post('/api/rankings/2026-Q1/publish');
    expect(again.body).toMatchObject({ version: 1, created: false });

    // a correction: Anhua's capital 10,000 → 12,500 万元: 5 + 2.5 + 1.5 = 9 points
    expect((await put('/api/actuals/2026-Q1', { values: [{ unit: 'anhua', indicator: 'out-province-capital', value: 12500 }] })).status).toBe(200);
    const stale = await sys.admin('/api/rankings/2026-Q1');
    expect(stale.body).toMatchObject({ status: 'published', version: 1, outdated: true });
    const second = await post('/api/rankings/2026-Q1/publish');
    expect(second.body).toMatchObject({ version: 2, created: true, changes: ['区县（市）：安化县 第7名 8分 → 第7名 9分'] });
    expect((await countyRows('/api/rankings/2026-Q1?version=1')).rows.find((r) => r.unit === 'anhua').score).toBe(8);
    expect((await countyRows('/api/rankings/2026-Q1')).rows.find((r) => r.unit === 'anhua').score).toBe(9);
    await waitFor(() => sys.sim.groupMessages(cityRobotKey).some((m) => m.content.includes('第2版')), 30000, 'the corrected notice');
    // one notice per version (a long one may arrive in parts; its title opens the first part only)
    expect(sys.sim.groupMessages(cityRobotKey).filter((m) => m.content.includes('排名通报'))).toHaveLength(2);
    // groups where nobody could be ranked yet (no targets) are left out of the notice
    expect(sys.sim.groupMessages(cityRobotKey)[0].content).not.toContain('项目服务责任单位');
    const audit = await sys.db.query(`SELECT detail FROM scoring_audit WHERE action = 'ranking-published' ORDER BY id`);
    expect(audit.rows.map((r) => r.detail.version)).toEqual([1, 2]);
  });

  it('holds the bottom two of two consecutive quarters (across the year boundary) to account; its events name the people the scheduler alerts', async () => {
    const tg = { 'out-province-capital': 100000, 'fdi-actual': 1000, 'major-projects-landed': 4, 'foreign-trade': 50000 };
    expect((await put('/api/targets/2025', { targets: targetsFor(tg) })).status).toBe(200);
    const q4 = COUNTIES.map((u) => ({ unit: u, indicator: 'out-province-capital', value: u === 'anhua' ? 10000 : u === 'yuanjiang' ? 5000 : 90000 }));
    expect((await put('/api/actuals/2025-Q4', { values: q4 })).status).toBe(200);
    const q4pub = await post('/api/rankings/2025-Q4/publish');
    expect(q4pub.body.accountability).toEqual([]); // 2025-Q3 was never ranked: no run yet
    const q1pub = await post('/api/rankings/2026-Q1/publish'); // same version, ladder evaluated again
    expect(q1pub.body).toMatchObject({ version: 2, created: false });

    const list = await sys.admin('/api/accountability?year=2026');
    expect(list.status).toBe(200);
    expect(list.body.map((a: any) => [a.period, a.unit, a.action, a.convener, a.interviewee, a.deadline, a.status])).toEqual([
      ['2026-Q1', 'anhua', 'quarterly-interview', '市人民政府分管副市长', '区县（市）人民政府（管委会）分管负责人', '2026-04-15', 'open'],
      ['2026-Q1', 'yuanjiang', 'quarterly-interview', '市人民政府分管副市长', '区县（市）人民政府（管委会）分管负责人', '2026-04-15', 'open'],
    ]);
    expect(list.body[0].reason).toContain('连续两个季度');
    // Each action's event carries the ladder's people (the vice-mayor in charge convenes Anhua's deputy
    // head); the scheduler alerts them (test/e2e/interview-alerts.test.ts), scoring itself sends none.
    await waitFor(() => events.filter((e) => e.subject === names.subjects.accountabilityRaised).length === 2, 10000, 'two events');
    const anhua = events.find((e) => e.subject === names.subjects.accountabilityRaised && e.data.unit === 'anhua')!.data;
    expect(anhua).toMatchObject({ unitId: unitId.anhua, unitName: '安化县', convenerPost: 'vice-mayor-in-charge', intervieweeRole: 'deputy', deadline: '2026-04-15', status: 'open' });
    expect(sys.sim.messagesTo('gov.liaozhiming').some((m) => m.content.includes('约谈'))).toBe(false);

    const held = await post(`/api/accountability/${list.body[0].id}/held`, { heldAt: '2026-04-10', note: '已约谈，限期整改' });
    expect(held.body).toMatchObject({ status: 'held', heldAt: '2026-04-10' });
    const heldEvent = await waitFor(() => events.find((e) => e.subject === names.subjects.accountabilityHeld), 10000, 'the held event');
    expect(heldEvent.data).toMatchObject({ id: list.body[0].id, status: 'held', heldAt: '2026-04-10' });
    expect((await post(`/api/accountability/${list.body[0].id}/held`, { heldAt: 'yesterday' })).status).toBe(400);
  });

  it('rewards the top three counties and, by first contact, the information unit of a landed major project', async () => {
    const annual: Record<string, number> = { gaoxin: 100000, taojiang: 90000, heshan: 80000, datonghu: 50000, nanxian: 40000, ziyang: 30000, anhua: 20000, yuanjiang: 10000 };
    expect((await put('/api/actuals/2026', { values: Object.entries(annual).map(([unit, value]) => ({ unit, indicator: 'out-province-capital', value })) })).status).toBe(200);
    const pub = await post('/api/rankings/2026/publish');
    expect(pub.status).toBe(200);
    // annual bottom two → the mayor interviews the principal heads
    expect(pub.body.accountability.map((a: any) => [a.action, a.unit])).toEqual([
      ['annual-interview', 'anhua'],
      ['annual-interview', 'yuanjiang'],
    ]);
    const r = await sys.admin('/api/rewards/2026');
    expect(r.status).toBe(200);
    // gaoxin 40; heshan 32 + 5 (one major project landed) = 37; taojiang 36
    expect(r.body.items.map((i: any) => [i.unit, i.amountWan])).toEqual([
      ['gaoxin', 60],
      ['heshan', 50],
      ['taojiang', 40],
      ['dept-industry', 20],
    ]);
    expect(r.body.items[3].reason).toContain('按首次接触计');
    expect(r.body).toMatchObject({ basis: 'published', totalWan: 170 });
  });

  it('takes results by Excel: template pre-filled with the units, checked row by row, all or nothing', async () => {
    const res = await fetch(`${sys.gatewayUrl}/api/actuals/2026-Q2/template`, { headers: { authorization: `Bearer ${sys.env.ADMIN_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const ws = wb.worksheets[0];
    const keys = (ws.getRow(2).values as unknown[]).map(String);
    expect(keys).not.toContain('major-projects-landed'); // computed by the ledger
    const rowOf = (name: string) => {
      let found = 0;
      ws.eachRow((row, n) => {
        if (row.getCell(2).value === name) found = n;
      });
      return ws.getRow(found);
    };
    rowOf('赫山区').getCell(keys.indexOf('out-province-capital')).value = 55000;
    rowOf('资阳区').getCell(keys.indexOf('out-province-capital')).value = '很多';
    const upload = (buf: ArrayBuffer) =>
      fetch(`${sys.gatewayUrl}/api/actuals/2026-Q2/upload`, {
        method: 'POST',
        headers: { authorization: `Bearer ${sys.env.ADMIN_TOKEN}`, 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
        body: Buffer.from(buf),
      });
    const bad = await upload((await wb.xlsx.writeBuffer()) as ArrayBuffer);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('不是数字');
    expect((await sys.db.query(`SELECT count(*)::int AS n FROM scoring_actuals WHERE period = '2026-Q2'`)).rows[0].n).toBe(0);
    rowOf('资阳区').getCell(keys.indexOf('out-province-capital')).value = 41000;
    const ok = await upload((await wb.xlsx.writeBuffer()) as ArrayBuffer);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ period: '2026-Q2', saved: 2 });
    const rows = (await countyRows('/api/rankings/2026-Q2')).rows;
    expect(rows.find((r) => r.unit === 'heshan').indicators['out-province-capital']).toMatchObject({ value: 55000, completion: 55 });

    // a unit excused from the period is listed without a rank, with the reason, and never at the bottom
    const ex = await put('/api/exemptions/2026-Q2', { exemptions: [{ unit: '资阳区', reason: '遭受特大洪灾，经市政府同意本季度不参与排名' }] });
    expect(ex.body).toEqual({ period: '2026-Q2', exempted: 1 });
    const after = (await countyRows('/api/rankings/2026-Q2')).rows;
    expect(after.find((r) => r.unit === 'ziyang')).toMatchObject({ rank: null, score: null });
    expect(after.find((r) => r.unit === 'ziyang').unranked).toContain('特大洪灾');
    expect(after[after.length - 1].unit).toBe('ziyang');
  });

  it("takes today's registration events from lead-intake: a lead reported by chat reaches the read model", async () => {
    await sys.sim.sendText('heshan.wanglei', '报线索 企业：湖南云帆新材料有限公司 行业：新材料 投资额：6亿元 联系人：李经理 13912340000 内容：拟建新材料产业园');
    const reply = await waitFor(() => sys.sim.messagesTo('heshan.wanglei').find((m) => m.content.includes('湖南云帆新材料')), 30000, 'the registration reply');
    const row = await waitFor(async () => (await sys.db.query(`SELECT code, owner_unit_id, first_contact_unit_id, tier, stage, version FROM scoring_leads WHERE code LIKE 'YY%' AND lead_id NOT IN ('9001','9002')`)).rows[0], 20000, 'the lead in the read model');
    expect(row).toMatchObject({ owner_unit_id: unitId.heshan, first_contact_unit_id: unitId.heshan, tier: 'major', stage: 'lead', version: 0 });
    expect(reply.content).toContain(row.code); // the number the official was given
  });
});
