import { waitForDrained } from '../support/drain';
import { repliesTo, startSystem, TestSystem, waitFor } from '../support/harness';

const LEAD =
  '报线索 企业：深圳市星河智能科技有限公司 行业：电子信息 投资额：5亿元 联系人：王经理 13912345678 内容：拟建智能终端生产基地';

interface DemoMember {
  userid: string;
  unitName: string;
}

/** A person typing into WeCom: the message goes through the simulator, signed and encrypted, exactly as WeCom sends it. */
describe('a lead typed into a WeCom chat', () => {
  let sys: TestSystem;
  let members: DemoMember[];

  beforeAll(async () => {
    sys = await startSystem();
    const r = await sys.db.query(
      `SELECT m.wecom_user_id AS userid, u.name AS "unitName" FROM members m JOIN units u ON u.id = m.unit_id
       WHERE u.kind IN ('county','park') AND m.wecom_user_id IS NOT NULL ORDER BY m.id`,
    );
    members = r.rows;
  }, 180000);

  afterAll(async () => {
    await sys?.stop();
  });

  const ask = async (userid: string, text: string, previous = repliesTo(sys.sim, userid).length) => {
    const sent = await sys.sim.sendText(userid, text);
    expect(sent.acked).toBe(true);
    return waitFor(() => repliesTo(sys.sim, userid)[previous], 15000, `the bot's answer to ${userid}`);
  };

  it('registers the lead and answers with its number, tier and owner unit', async () => {
    const a = members[0];
    const reply = await ask(a.userid, LEAD);
    expect(reply).toMatch(/YY-\d{4}-\d{6}/);
    // 5亿元 is exactly Yiyang's 重大 threshold (≥ 5亿元; 重点 from 5000万元).
    expect(reply).toContain('项目等级：重大');
    expect(reply).toContain(a.unitName);
    const leads = await sys.db.query(`SELECT company_name, contact_phone FROM leads WHERE company_name LIKE '深圳市星河智能科技%'`);
    expect(leads.rows).toEqual([{ company_name: '深圳市星河智能科技有限公司', contact_phone: '13912345678' }]);
  });

  it('tells a second unit the company is already registered, by whom and when, without the contact details', async () => {
    const a = members[1];
    const b = members.find((m) => m.unitName !== a.unitName)!;
    const first = LEAD.replace('深圳市星河智能科技', '岳阳市洞庭先进制造').replace('王经理 13912345678', '赵经理 13712340000');
    expect(await ask(a.userid, first)).toMatch(/YY-\d{4}-\d{6}/);
    const reply = await ask(b.userid, first.replace('有限公司', '股份有限公司').replace('赵经理 13712340000', '李总 13800001111'));
    expect(reply).toContain(a.unitName);
    expect(reply).toMatch(/\d{4}年\d{1,2}月\d{1,2}日/);
    expect(reply).not.toContain('赵经理');
    expect(reply).not.toContain('13712340000');
    const count = await sys.db.query(`SELECT count(*)::int AS n FROM leads WHERE company_name LIKE '岳阳市洞庭先进制造%'`);
    expect(count.rows[0].n).toBe(1);
    const dup = await sys.db.query(
      `SELECT count(*)::int AS n FROM lead_duplicate_reports d JOIN leads l ON l.id = d.lead_id WHERE l.company_name LIKE '岳阳市洞庭先进制造%'`,
    );
    expect(dup.rows[0].n).toBe(1);
  });

  it('claims a company reported by name alone and asks for what is missing in one reply', async () => {
    const c = members[2];
    const reply = await ask(c.userid, '报线索 企业：某某新能源有限公司');
    expect(reply).toMatch(/YY-\d{4}-\d{6}/);
    expect(reply).toContain('还缺');
    expect(reply).toContain('行业');
    expect(reply).toContain('投资额');
  });

  it('answers a message it does not understand with help', async () => {
    const c = members[2];
    const reply = await ask(c.userid, '今天天气怎么样');
    expect(reply).toContain('报线索');
  });

  it('tells an unknown sender politely and keeps the message for an administrator', async () => {
    const reply = await ask('stranger.zhao', '你好，我想报一个线索');
    expect(reply).toMatch(/未|没有/);
    const inbox = await sys.admin('/api/inbox');
    expect(inbox.status).toBe(200);
    expect(inbox.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ senderId: 'stranger.zhao', text: '你好，我想报一个线索' })]),
    );
  });

  it('registers and answers once when WeCom retries the same MsgId', async () => {
    const d = members[3];
    const text = LEAD.replace('深圳市星河智能科技', '长沙市麓谷重工').replace('5亿元', '8000万元');
    const before = repliesTo(sys.sim, d.userid).length;
    const first = await sys.sim.sendText(d.userid, text, { msgId: '9223372036854775001' });
    const retry = await sys.sim.sendText(d.userid, text, { msgId: '9223372036854775001' });
    expect(first.acked && retry.acked).toBe(true);
    await waitFor(() => repliesTo(sys.sim, d.userid).length > before, 15000, 'the answer');
    // Nothing left in any stream or queue: a duplicate answer would have gone out by now.
    await waitForDrained(sys.env);
    const answers = repliesTo(sys.sim, d.userid).slice(before);
    expect(answers.filter((t) => t.includes('长沙市麓谷重工'))).toHaveLength(1);
    const leads = await sys.db.query(`SELECT count(*)::int AS n FROM leads WHERE company_name LIKE '长沙市麓谷重工%'`);
    expect(leads.rows[0].n).toBe(1);
  });

  it('answers the WeCom URL check with the bare decrypted echostr', async () => {
    const r = await sys.sim.verifyUrl();
    expect(r.status).toBe(200);
    expect(r.body).toBe(r.echoPlain);
  });

  it('refuses a callback with a wrong signature and processes nothing', async () => {
    const before = await sys.db.query(`SELECT count(*)::int AS n FROM inbound_messages`);
    const r = await fetch(`${sys.gatewayUrl}/wecom/callback?msg_signature=0000&timestamp=1&nonce=2`, {
      method: 'POST',
      body: '<xml><ToUserName><![CDATA[x]]></ToUserName><Encrypt><![CDATA[abcd]]></Encrypt></xml>',
    });
    expect(r.status).toBe(403);
    const after = await sys.db.query(`SELECT count(*)::int AS n FROM inbound_messages`);
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('refuses XML with entity declarations', async () => {
    const r = await fetch(`${sys.gatewayUrl}/wecom/callback?msg_signature=0000&timestamp=1&nonce=2`, {
      method: 'POST',
      body: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]><xml><Encrypt>&e;</Encrypt></xml>',
    });
    expect(r.status).toBe(400);
  });
});

describe('the admin API', () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await startSystem({ services: ['bot-gateway', 'lead-intake'] });
  }, 180000);
  afterAll(async () => {
    await sys?.stop();
  });

  it('requires the bearer token', async () => {
    const r = await fetch(`${sys.gatewayUrl}/api/units`);
    expect(r.status).toBe(401);
    const wrong = await fetch(`${sys.gatewayUrl}/api/units`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
  });

  it('lists the demo city units from the profile', async () => {
    const r = await sys.admin('/api/units');
    expect(r.status).toBe(200);
    const names = r.body.items.map((u: { name: string }) => u.name);
    expect(names).toEqual(expect.arrayContaining(['赫山区', '益阳高新区', '市商务局']));
    expect(r.body.items.filter((u: { kind: string }) => u.kind === 'county')).toHaveLength(8);
  });

  it('pages units and members like leads: limit, offset and the total', async () => {
    const unit = await sys.admin('/api/units', { method: 'POST', body: JSON.stringify({ name: '分页测试园区', kind: 'park' }) });
    expect(unit.status).toBe(201);
    for (const [name, userid] of [['分页甲', 'page.jia'], ['分页乙', 'page.yi'], ['分页丙', 'page.bing']]) {
      const m = await sys.admin('/api/members', { method: 'POST', body: JSON.stringify({ name, unitId: unit.body.id, role: 'official', wecomUserId: userid }) });
      expect(m.status).toBe(201);
    }
    const page = await sys.admin(`/api/members?unitId=${unit.body.id}&limit=2&offset=1`);
    expect(page.status).toBe(200);
    expect(page.body.total).toBe(3);
    expect(page.body.items.map((m: { name: string }) => m.name)).toEqual(['分页乙', '分页丙']);
    expect((await sys.admin(`/api/members?unitId=${unit.body.id}&limit=2&offset=3`)).body).toEqual({ items: [], total: 3 });

    const { rows } = await sys.db.query(`SELECT name FROM units ORDER BY id`);
    const units = await sys.admin('/api/units?limit=1&offset=' + (rows.length - 1));
    expect(units.status).toBe(200);
    expect(units.body.total).toBe(rows.length);
    expect(units.body.items).toEqual([expect.objectContaining({ name: '分页测试园区', memberCount: 3 })]);
    // The default page is 50; a page beyond 500 or a negative offset is refused with a message.
    expect((await sys.admin('/api/units')).body.items.length).toBe(Math.min(50, rows.length));
    for (const q of ['limit=0', 'limit=501', 'offset=-1', 'limit=abc', 'color=red']) {
      for (const path of ['/api/units', '/api/members']) {
        const bad = await sys.admin(`${path}?${q}`);
        expect({ q, path, status: bad.status }).toEqual({ q, path, status: 400 });
      }
    }
  });

  it('creates a unit and a member who names the unit by name, then by id', async () => {
    const unit = await sys.admin('/api/units', { method: 'POST', body: JSON.stringify({ name: '市投资促进中心', kind: 'department' }) });
    expect(unit.status).toBe(201);
    const byName = await sys.admin('/api/members', {
      method: 'POST',
      body: JSON.stringify({ name: '周敏', unitName: '市投资促进中心', role: 'official', wecomUserId: 'gxj.zhoumin', mobile: '13800009999' }),
    });
    expect(byName.status).toBe(201);
    expect(byName.body).toMatchObject({ unitId: unit.body.id, unitName: '市投资促进中心', wecomUserId: 'gxj.zhoumin' });
    const byId = await sys.admin('/api/members', {
      method: 'POST',
      body: JSON.stringify({ name: '吴磊', unitId: unit.body.id, role: 'deputy', dingtalkStaffId: 'ds9001' }),
    });
    expect(byId.status).toBe(201);
    const list = await sys.admin(`/api/members?unitId=${unit.body.id}`);
    expect(list.body).toMatchObject({ total: 2, items: [{ name: '周敏' }, { name: '吴磊' }] });
  });

  it('answers bad input with a clear 4xx', async () => {
    const dupUnit = await sys.admin('/api/units', { method: 'POST', body: JSON.stringify({ name: '赫山区', kind: 'county' }) });
    expect(dupUnit.status).toBe(409);
    const badKind = await sys.admin('/api/units', { method: 'POST', body: JSON.stringify({ name: '某单位', kind: 'planet' }) });
    expect(badKind.status).toBe(400);
    const noUnit = await sys.admin('/api/members', { method: 'POST', body: JSON.stringify({ name: '张三', unitName: '不存在的单位', role: 'official' }) });
    expect(noUnit.status).toBe(400);
    expect(JSON.stringify(noUnit.body)).toContain('不存在的单位');
    const badMobile = await sys.admin('/api/members', { method: 'POST', body: JSON.stringify({ name: '张三', unitName: '赫山区', role: 'official', mobile: '123' }) });
    expect(badMobile.status).toBe(400);
    const notJson = await sys.admin('/api/units', { method: 'POST', body: '{"name":' });
    expect(notJson.status).toBe(400);
    const holder = await sys.admin('/api/members', {
      method: 'POST',
      body: JSON.stringify({ name: '钱进', unitName: '赫山区', role: 'official', wecomUserId: 'heshan.qianjin' }),
    });
    expect(holder.status).toBe(201);
    const taken = await sys.admin('/api/members', {
      method: 'POST',
      body: JSON.stringify({ name: '重名', unitName: '赫山区', role: 'official', wecomUserId: 'heshan.qianjin' }),
    });
    expect(taken.status).toBe(409);
  });

  it('lists leads, and serves its OpenAPI document', async () => {
    const leads = await sys.admin('/api/leads?limit=10');
    expect(leads.status).toBe(200);
    expect(leads.body).toEqual({ items: [], total: 0, limit: 10, offset: 0 });
    const bad = await sys.admin('/api/leads?limit=100000');
    expect(bad.status).toBe(400);
    const doc = (await fetch(`${sys.gatewayUrl}/api/docs-json`).then((r) => r.json())) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/units', '/api/members', '/api/leads']));
  });
});
