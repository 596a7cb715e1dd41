import { connect, NatsConnection, StringCodec } from 'nats';
import { namesFor } from '@zs/contracts';
import crypto from 'crypto';
import { ADMIN_TOKEN, repliesTo, startSystem, TestSystem, waitFor } from '../support/harness';

interface DemoMember {
  userid: string;
  unitName: string;
}

const OFFICE_USER = 'commerce.fanwenjing';

/** The intake conversation and the project ledger, typed into WeCom as officials do. */
describe('intake conversation and project ledger by chat', () => {
  let sys: TestSystem;
  let nc: NatsConnection;
  let members: DemoMember[];

  beforeAll(async () => {
    // Evidence fetch retries quickly here (the first WeCom media/get answers -1 system busy).
    sys = await startSystem({ extraEnv: async () => ({ EVIDENCE_FETCH_BACKOFF_MS: '200', EVIDENCE_SWEEP_MS: '300' }) });
    nc = await connect({ servers: 'nats://127.0.0.1:4222' });
    const r = await sys.db.query(
      `SELECT DISTINCT ON (u.id) m.wecom_user_id AS userid, u.name AS "unitName" FROM members m JOIN units u ON u.id = m.unit_id
       WHERE u.kind IN ('county','park') AND m.wecom_user_id IS NOT NULL ORDER BY u.id, m.id`,
    );
    members = r.rows;
  }, 180000);

  afterAll(async () => {
    await nc?.close();
    await sys?.stop();
  });

  const ask = async (userid: string, text: string, opts?: { createTime?: number }) => {
    const previous = repliesTo(sys.sim, userid).length;
    const sent = await sys.sim.sendText(userid, text, opts);
    expect(sent.acked).toBe(true);
    return waitFor(() => repliesTo(sys.sim, userid)[previous], 15000, `the bot's answer to ${userid}: ${text}`);
  };
  const lead = async (company: string) =>
    (await sys.db.query(`SELECT * FROM leads WHERE company_name = $1`, [company])).rows[0];
  const lastEvent = async (subject: string) => {
    const jsm = await nc.jetstreamManager();
    const m = await jsm.streams.getMessage(namesFor(sys.env.NAMESPACE).streams.events.name, { last_by_subj: subject });
    return { id: m.header?.get('Nats-Msg-Id'), data: JSON.parse(StringCodec().decode(m.data)) };
  };

  it('claims a company named alone at that message time, then completes it from values only', async () => {
    const a = members[0];
    const oneHourAgo = Math.floor(Date.now() / 1000) - 3600;
    const claim = await ask(a.userid, '报线索 企业：深圳市星河智能科技有限公司', { createTime: oneHourAgo });
    expect(claim).toMatch(/YY-\d{4}-\d{6}/);
    expect(claim).toContain('还缺');
    const claimed = await lead('深圳市星河智能科技有限公司');
    expect(new Date(claimed.registered_at).getTime()).toBe(oneHourAgo * 1000);
    expect(claimed.completed_at).toBeNull();

    const done = await ask(a.userid, '投资额：3亿 行业：电子信息 联系人：李总 13800002222 内容：拟建智能终端生产基地');
    expect(done).toContain('信息已补全');
    expect(done).toContain(claimed.code);
    const completed = await lead('深圳市星河智能科技有限公司');
    expect(Number(completed.amount_wan_cny)).toBe(30000);
    expect(completed.tier_label).toBeTruthy();
    expect(completed.completed_at).not.toBeNull();
    expect(new Date(completed.registered_at).getTime()).toBe(oneHourAgo * 1000);
    const registered = await lastEvent(namesFor(sys.env.NAMESPACE).subjects.leadRegistered);
    expect(registered.id).toBe(`lead-registered:${completed.id}`);
    const updated = await waitFor(async () => {
      const e = await lastEvent(namesFor(sys.env.NAMESPACE).subjects.leadUpdated);
      return e.data.lead.leadId === String(completed.id) ? e : null;
    }, 10000, 'the lead-updated event');
    expect(updated.data.lead.plannedAmountWan).toBe(30000);
  });

  it('tells another unit at once that the company is owned, even written without 市 and with nothing else', async () => {
    const [a, b] = members;
    const reply = await ask(b.userid, '报线索 企业：深圳星河智能科技有限公司');
    expect(reply).toContain('已有首谈首报登记');
    expect(reply).toContain(a.unitName);
    expect(reply).not.toContain('13800002222');
    const n = await sys.db.query(`SELECT count(*)::int AS n FROM leads`);
    expect(n.rows[0].n).toBe(1);
    const re = await sys.db.query(`SELECT kind FROM lead_duplicate_reports`);
    expect(re.rows).toEqual([{ kind: 'other-unit' }]);
  });

  it('reads a report written without the command back, and claims it at the original time on 确认', async () => {
    const c = members[2];
    const first = Math.floor(Date.now() / 1000) - 600;
    const readBack = await ask(c.userid, '企业：长沙市岳麓精密机械有限公司 投资额：8000万元 行业：装备制造 联系人：周总 13700001111 内容：新建精密零部件产线', {
      createTime: first,
    });
    expect(readBack).toContain('确认');
    expect(readBack).toContain('长沙市岳麓精密机械有限公司');
    expect(await lead('长沙市岳麓精密机械有限公司')).toBeUndefined();
    const ok = await ask(c.userid, '确认');
    expect(ok).toContain('线索登记成功');
    const l = await lead('长沙市岳麓精密机械有限公司');
    expect(new Date(l.registered_at).getTime()).toBe(first * 1000);
    expect(l.completed_at).not.toBeNull();
  });

  it('warns of a near match, tells the office, and registers on 确认新企业', async () => {
    const d = members[3];
    const officeBefore = repliesTo(sys.sim, OFFICE_USER).length;
    const warn = await ask(d.userid, '报线索 企业：深圳市星河智慧科技有限公司 投资额：1亿元 行业：电子信息 联系人：赵总 13600001111 内容：研发中心');
    expect(warn).toContain('深圳市星河智能科技有限公司');
    expect(warn).toContain('确认新企业');
    expect(await lead('深圳市星河智慧科技有限公司')).toBeUndefined();
    const notice = await waitFor(() => repliesTo(sys.sim, OFFICE_USER)[officeBefore], 15000, 'the office notice');
    expect(notice).toContain('疑似重复');
    const ok = await ask(d.userid, '确认新企业');
    expect(ok).toMatch(/YY-\d{4}-\d{6}/);
    const l = await lead('深圳市星河智慧科技有限公司');
    expect(l.possible_duplicate_of).not.toBeNull();
  });

  it('ends a pending lead on 取消; the claim stays and later values are not taken for it', async () => {
    const e = members[4];
    await ask(e.userid, '报线索 企业：湖南益阳某某食品有限公司');
    const cancelled = await ask(e.userid, '取消');
    expect(cancelled).toContain('已取消');
    const after = await ask(e.userid, '投资额：2亿');
    expect(after).not.toContain('已补充');
    const l = await lead('湖南益阳某某食品有限公司');
    expect(l.amount_wan).toBeNull();
  });

  it('numbers leads without gaps although refused and duplicate reports came in between', async () => {
    const codes = (await sys.db.query(`SELECT code FROM leads ORDER BY code`)).rows.map((r) => Number(r.code.split('-')[2]));
    expect(codes).toEqual(codes.map((_, i) => i + 1));
  });

  it('follows the project: 签约 with amount and date, 到位 cumulative, others refused, events published', async () => {
    const [a, b] = members;
    const l = await lead('深圳市星河智能科技有限公司');
    const signed = await ask(a.userid, `签约 ${l.code} 5亿 2026-11-20`);
    expect(signed).toContain('签约');
    expect(signed).toContain('5亿元');
    const refused = await ask(b.userid, `开工 ${l.code}`);
    expect(refused).toContain('不属于本单位');
    // A negative amount is refused with the words it was written in, and changes nothing.
    expect(await ask(a.userid, `到位 ${l.code} -5亿`)).toContain('金额“-5亿”无法识别');
    await ask(a.userid, `到位 ${l.code} 1.2亿`);
    const more = await ask(a.userid, `到位 ${l.code} 3000万`);
    expect(more).toContain('累计到位资金：1.5亿元');
    const row = await lead('深圳市星河智能科技有限公司');
    expect(row.stage).toBe('signed');
    expect(Number(row.signed_amount_wan)).toBe(50000);
    expect(Number(row.capital_in_place_wan)).toBe(15000);
    const ev = await waitFor(async () => {
      const e = await lastEvent(namesFor(sys.env.NAMESPACE).subjects.leadStageChanged);
      return e.data.lead.capitalInPlaceWan === 15000 ? e : null;
    }, 10000, 'the stage-changed event');
    expect(ev.id).toBe(`lead-stage:${row.id}:${row.version}`);
    expect(ev.data.lead.stage).toBe('signed');
    expect(ev.data.lead.signedAmountWan).toBe(50000);
    const backwards = await ask(a.userid, `在谈 ${l.code}`);
    expect(backwards).toContain('不能退回');
    const noReason = await ask(a.userid, `终止 ${l.code}`);
    expect(noReason).toContain('原因');
  });

  it('answers the same question twice within minutes, twice', async () => {
    const a = members[0];
    const first = await ask(a.userid, '我的线索');
    const second = await ask(a.userid, '我的线索');
    expect(first).toContain('深圳市星河智能科技有限公司');
    expect(second).toContain('深圳市星河智能科技有限公司');
    expect(second).not.toBe(first);
  });

  it('answers 查询 with unit and date only, 线索 编号 to the owner only, 更正 by the owner, and 帮助', async () => {
    const [a, b] = members;
    const l = await lead('深圳市星河智能科技有限公司');
    const q = await ask(b.userid, '查询 深圳星河智能科技有限公司');
    expect(q).toContain('已登记');
    expect(q).toContain(a.unitName);
    expect(q).not.toContain('13800002222');
    expect(q).not.toContain('李总');
    const free = await ask(b.userid, '查询 某某从未登记过的企业有限公司');
    expect(free).toContain('尚未登记');
    const detail = await ask(a.userid, `线索 ${l.code}`);
    expect(detail).toContain('13800002222');
    expect(detail).toContain('签约');
    const notYours = await ask(b.userid, `线索 ${l.code}`);
    expect(notYours).toContain('不属于本单位');
    expect(notYours).not.toContain('13800002222');
    const fixed = await ask(a.userid, `更正 ${l.code} 投资额：6亿`);
    expect(fixed).toContain('已更正');
    expect(Number((await lead('深圳市星河智能科技有限公司')).amount_wan_cny)).toBe(60000);
    const refused = await ask(b.userid, `更正 ${l.code} 投资额：1亿`);
    expect(refused).toContain('不属于本单位');
    const help = await ask(a.userid, '帮助');
    for (const word of ['报线索', '签约', '到位', '我的线索', '查询', '更正', '申请流转', '取消']) expect(help).toContain(word);
    const audit = await sys.db.query(`SELECT action, before, after FROM lead_audit WHERE lead_id = $1 AND action = 'corrected'`, [l.id]);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0].after).toMatchObject({ amountWanCny: 60000 });
  });

  it('transfers on the office command after a unit asks; the first-contact unit keeps the credit and both units are told', async () => {
    const [, , c] = members;
    const l = await lead('长沙市岳麓精密机械有限公司');
    const owner = members[2];
    const asker = members[1];
    const officeBefore = repliesTo(sys.sim, OFFICE_USER).length;
    const asked = await ask(asker.userid, `申请流转 ${l.code} 企业意向落户我区园区`);
    expect(asked).toContain('流转申请');
    const notice = await waitFor(() => repliesTo(sys.sim, OFFICE_USER)[officeBefore], 15000, 'the transfer request notice');
    expect(notice).toContain(asker.unitName);
    const notOffice = await ask(c.userid, `流转 ${l.code} ${asker.unitName} 企业意向`);
    expect(notOffice).toContain('申请流转');
    const ownerBefore = repliesTo(sys.sim, owner.userid).length;
    const done = await ask(OFFICE_USER, `流转 ${l.code} ${asker.unitName} 企业意向落户该区园区`);
    expect(done).toContain('首谈首报成绩仍归');
    const row = await lead('长沙市岳麓精密机械有限公司');
    expect(row.owner_unit_id).not.toBe(row.first_contact_unit_id);
    const toldOwner = await waitFor(
      () => repliesTo(sys.sim, owner.userid).slice(ownerBefore).find((t) => t.includes('线索流转')),
      15000,
      'the notice to the first unit',
    );
    expect(toldOwner).toContain(asker.unitName);
    await waitFor(() => repliesTo(sys.sim, asker.userid).find((t) => t.includes('线索流转')), 15000, 'the notice to the landing unit');
    const ev = await waitFor(async () => {
      const e = await lastEvent(namesFor(sys.env.NAMESPACE).subjects.leadTransferred);
      return e.data.lead.leadId === String(row.id) ? e : null;
    }, 10000, 'the transferred event');
    expect(ev.data.lead.firstContactUnitId).toBe(String(row.first_contact_unit_id));
    expect(ev.data.lead.ownerUnitId).toBe(String(row.owner_unit_id));
    const nowOwner = await ask(asker.userid, `开工 ${l.code}`);
    expect(nowOwner).toContain('开工');
  });

  it('attaches an image sent right after a stage message to it as evidence, by its media id', async () => {
    const a = members[0];
    const l = await lead('深圳市星河智能科技有限公司');
    await ask(a.userid, `开工 ${l.code}`);
    const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), crypto.randomBytes(5000)]);
    sys.sim.addMedia('MEDIA_START_PHOTO_1', photo, { contentType: 'image/jpeg', fileName: 'kaigong.jpg', busyAnswers: 1 });
    const before = repliesTo(sys.sim, a.userid).length;
    const msgId = sys.sim.nextMsgId();
    const xml = sys.sim
      .buildTextMessageXml(a.userid, '', msgId, Math.floor(Date.now() / 1000))
      .replace('<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[]]></Content>', '<MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[https://example.invalid/p.jpg]]></PicUrl><MediaId><![CDATA[MEDIA_START_PHOTO_1]]></MediaId>');
    const sealed = sys.sim.sealCallback(xml);
    const r = await sys.sim.sendRawCallback({ query: sealed.query, body: sealed.body });
    expect(r.status).toBe(200);
    const reply = await waitFor(() => repliesTo(sys.sim, a.userid)[before], 15000, 'the evidence answer');
    expect(reply).toContain('佐证');
    const ev = await sys.db.query(`SELECT e.id::text AS id, e.media_id, c.to_stage FROM lead_evidence e JOIN lead_stage_changes c ON c.id = e.stage_change_id WHERE e.lead_id = $1`, [l.id]);
    expect(ev.rows).toEqual([{ id: expect.any(String), media_id: 'MEDIA_START_PHOTO_1', to_stage: 'started' }]);

    // The bytes are fetched through WeCom's media/get in a retried job (the first answer is -1 system busy), stored, and served.
    const id = ev.rows[0].id;
    const stored = await waitFor(
      async () => (await sys.db.query(`SELECT status AS fetch_status, attempts AS fetch_attempts, size_bytes::int AS size FROM evidence_fetches WHERE evidence_id = $1 AND status <> 'pending'`, [id])).rows[0],
      30000,
      'the evidence bytes fetched',
    );
    expect(stored).toEqual({ fetch_status: 'stored', fetch_attempts: 2, size: photo.length });
    const res = await fetch(`${sys.gatewayUrl}/api/leads/${l.code}/evidence/${id}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await res.arrayBuffer()).equals(photo)).toBe(true);
    const detail = await sys.admin(`/api/leads/${l.code}`);
    expect(detail.body.evidence).toEqual([expect.objectContaining({ id, fetchStatus: 'stored', contentType: 'image/jpeg', sizeBytes: photo.length })]);
    const missing = await fetch(`${sys.gatewayUrl}/api/leads/${l.code}/evidence/999999999`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(missing.status).toBe(404);
  });

  it('serves a file evidence larger than one mesh message whole, and marks an unknown media id failed without retrying forever', async () => {
    const a = members[0];
    const l = await lead('深圳市星河智能科技有限公司');
    await ask(a.userid, `到位 ${l.code} 0.5亿`);
    const big = crypto.randomBytes(900 * 1024);
    sys.sim.addMedia('MEDIA_CAPITAL_PDF_1', big, { contentType: 'application/pdf', fileName: '到位资金凭证.pdf' });
    const sendMedia = async (mediaId: string, fileName: string) => {
      const before = repliesTo(sys.sim, a.userid).length;
      const xml = sys.sim
        .buildTextMessageXml(a.userid, '', sys.sim.nextMsgId(), Math.floor(Date.now() / 1000))
        .replace('<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[]]></Content>', `<MsgType><![CDATA[file]]></MsgType><MediaId><![CDATA[${mediaId}]]></MediaId><FileName><![CDATA[${fileName}]]></FileName>`);
      const sealed = sys.sim.sealCallback(xml);
      expect((await sys.sim.sendRawCallback({ query: sealed.query, body: sealed.body })).status).toBe(200);
      return waitFor(() => repliesTo(sys.sim, a.userid)[before], 15000, 'the evidence answer');
    };
    expect(await sendMedia('MEDIA_CAPITAL_PDF_1', '到位资金凭证.pdf')).toContain('佐证');
    expect(await sendMedia('MEDIA_NEVER_UPLOADED', '丢失.pdf')).toContain('佐证');
    const rows = async () =>
      (
        await sys.db.query(
          `SELECT e.id::text AS id, e.media_id, COALESCE(f.status, 'pending') AS fetch_status, f.attempts AS fetch_attempts
           FROM lead_evidence e LEFT JOIN evidence_fetches f ON f.evidence_id = e.id
           WHERE e.lead_id = $1 AND e.media_id IN ('MEDIA_CAPITAL_PDF_1','MEDIA_NEVER_UPLOADED') ORDER BY e.id`,
          [l.id],
        )
      ).rows;
    const done = await waitFor(async () => ((await rows()).every((r) => r.fetch_status !== 'pending') ? rows() : null), 30000, 'both fetches settled');
    expect(done.map((r: { fetch_status: string }) => r.fetch_status)).toEqual(['stored', 'failed']);
    expect(done[1].fetch_attempts).toBe(1);
    const res = await fetch(`${sys.gatewayUrl}/api/leads/${l.code}/evidence/${done[0].id}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await res.arrayBuffer()).equals(big)).toBe(true);
    const failed = await sys.admin(`/api/leads/${l.code}/evidence/${done[1].id}`);
    expect(failed.status).toBe(409);
    // notification serves the bytes, but only under the lead they belong to (checked through lead-intake's view)
    const [other] = (await sys.db.query(`SELECT code FROM leads WHERE id <> $1 ORDER BY id LIMIT 1`, [l.id])).rows;
    expect((await sys.admin(`/api/leads/${other.code}/evidence/${done[0].id}`)).status).toBe(404);
  });

  it('lists the robots configured through the environment beside the registered ones, without secrets', async () => {
    const r = await sys.admin('/api/robots');
    expect(r.status).toBe(200);
    const env = r.body.filter((x: { source?: string }) => x.source === 'env');
    expect(env).toEqual([expect.objectContaining({ platform: 'wecom', id: expect.stringMatching(/^env:wecom-app:/), keyHint: expect.stringMatching(/^\*{4}.{4}$/) })]);
    expect(JSON.stringify(r.body)).not.toContain(sys.env.WECOM_SECRET);
    expect(JSON.stringify(r.body)).not.toContain(sys.env.WECOM_CORP_ID);
  });

  it('lets a bare claim lapse after the profile window, and hints a shared phone to the office only', async () => {
    const [, , , d, , f] = members;
    const eightDaysAgo = Math.floor(Date.now() / 1000) - 8 * 86400;
    await ask(d.userid, '报线索 企业：湖南某某文旅发展有限公司', { createTime: eightDaysAgo });
    const squat = await lead('湖南某某文旅发展有限公司');
    expect(squat.completed_at).toBeNull();
    const officeBefore = repliesTo(sys.sim, OFFICE_USER).length;
    const taken = await ask(f.userid, '报线索 企业：湖南某某文旅发展有限公司 行业：文旅 投资额：2亿元 联系人：钱总 13800002222 内容：景区提质');
    expect(taken).toContain('线索登记成功');
    expect(taken).not.toContain(members[0].unitName);
    const rows = (await sys.db.query(`SELECT lapsed_at, owner_unit_id FROM leads WHERE company_name = '湖南某某文旅发展有限公司' ORDER BY id`)).rows;
    expect(rows).toHaveLength(2);
    expect(rows[0].lapsed_at).not.toBeNull();
    expect(rows[1].lapsed_at).toBeNull();
    // 13800002222 is the contact of another unit's lead: the office hears of it, the reporter does not.
    expect(taken).not.toContain('深圳市星河智能科技有限公司');
    const hint = await waitFor(
      () => repliesTo(sys.sim, OFFICE_USER).slice(officeBefore).find((t) => t.includes('联系电话重合')),
      15000,
      'the shared-phone hint',
    );
    expect(hint).toContain('深圳市星河智能科技有限公司');
  });

  it('answers hostile input politely and keeps what was accepted', async () => {
    const g = members[6];
    const before = (await sys.db.query(`SELECT count(*)::int AS n FROM leads`)).rows[0].n;
    for (const text of [
      '<img src=x onerror=alert(1)>',
      '报线索 企业：\u200b\u3000\t',
      '签约 YY-2026-999999 5亿',
      `更正 YY-2026-000001 投资额：${'9'.repeat(40)}亿`,
      '😀'.repeat(3000),
      '线'.repeat(10000),
    ]) {
      const reply = await ask(g.userid, text);
      expect(reply.length).toBeGreaterThan(0);
    }
    const injected = await ask(g.userid, "报线索 企业：益阳'; DROP TABLE leads; --科技有限公司");
    expect(injected).toMatch(/YY-\d{4}-\d{6}/);
    const after = (await sys.db.query(`SELECT count(*)::int AS n FROM leads`)).rows[0].n;
    expect(after).toBe(before + 1);
  });
});
