import crypto from 'crypto';
import { DingtalkSimulator } from '@zs/platform-sim';
import { ADMIN_TOKEN, startSystem, TestSystem, waitFor } from '../support/harness';

/** The intake conversation and the ledger through the DingTalk app robot (HTTP callbacks, sessionWebhook answers). */
describe('intake conversation and ledger through DingTalk', () => {
  let sys: TestSystem;
  let dt: DingtalkSimulator;
  let members: Array<{ staffId: string; unitName: string; mobile: string }>;
  const app = { clientId: 'dingledger000000001', clientSecret: crypto.randomBytes(24).toString('hex'), robotCode: 'dingledger000000001' };

  beforeAll(async () => {
    dt = new DingtalkSimulator({
      apps: [app],
      httpTimeoutMs: 5000,
      members: async () => (members ?? []).map((m) => ({ staffId: m.staffId, name: m.staffId, unitName: m.unitName, mobile: m.mobile })),
    });
    await dt.start();
    sys = await startSystem({
      extraEnv: async ({ gatewayUrl }) => {
        dt.setCallbackUrl(`${gatewayUrl}/dingtalk/callback`);
        return {
          DINGTALK_CLIENT_ID: app.clientId,
          DINGTALK_CLIENT_SECRET: app.clientSecret,
          DINGTALK_ROBOT_CODE: app.robotCode,
          DINGTALK_API_BASE: dt.baseUrl,
          DINGTALK_OAPI_BASE: dt.baseUrl,
          DINGTALK_HTTP_ENABLED: 'true',
          DINGTALK_STREAM_ENABLED: 'false',
          EVIDENCE_FETCH_BACKOFF_MS: '200',
          EVIDENCE_SWEEP_MS: '300',
        };
      },
    });
    members = (
      await sys.db.query(
        `SELECT DISTINCT ON (u.id) m.dingtalk_staff_id AS "staffId", u.name AS "unitName", m.mobile AS mobile FROM members m JOIN units u ON u.id = m.unit_id
         WHERE u.kind IN ('county','park') AND m.dingtalk_staff_id IS NOT NULL ORDER BY u.id, m.id`,
      )
    ).rows;
  }, 180000);

  afterAll(async () => {
    await sys?.stop();
    await dt?.stop();
  });

  const ask = async (staffId: string, text: string) => {
    const before = dt.repliesTo(staffId).length;
    const sent = await dt.sendText(staffId, text, { mode: 'http' });
    expect(sent.acked).toBe(true);
    return (await waitFor(() => dt.repliesTo(staffId)[before], 15000, `the answer to ${staffId}: ${text}`)).content;
  };

  it('claims by name, completes by values, follows the stages, and answers 查询 without contacts', async () => {
    const [a, b] = members;
    const claim = await ask(a.staffId, '报线索 企业：株洲市天元精工机械有限公司');
    expect(claim).toContain('还缺');
    const code = /YY-\d{4}-\d{6}/.exec(claim)![0];
    const done = await ask(a.staffId, '行业：装备制造 投资额：1.5亿元 联系人：孙总 13511112222 内容：精密齿轮产线');
    expect(done).toContain('信息已补全');
    const other = await ask(b.staffId, '报线索 企业：株洲天元精工机械有限公司');
    expect(other).toContain(a.unitName);
    expect(other).not.toContain('13511112222');
    const signed = await ask(a.staffId, `签约 ${code} 1.5亿 2026-11-02`);
    expect(signed).toContain('签约');
    const refused = await ask(b.staffId, `开工 ${code}`);
    expect(refused).toContain('不属于本单位');
    const q = await ask(b.staffId, '查询 株洲市天元精工机械有限公司');
    expect(q).toContain(a.unitName);
    expect(q).not.toContain('孙总');
    const row = (await sys.db.query(`SELECT stage, signed_amount_wan FROM leads WHERE code = $1`, [code])).rows[0];
    expect(row).toEqual({ stage: 'signed', signed_amount_wan: '15000.00' });
  });

  it('keeps the pending lead in a conversation keyed by member and DingTalk chat', async () => {
    const c = members[2];
    const claim = await ask(c.staffId, '报线索 企业：湘潭某某电机有限公司');
    expect(claim).toContain('还缺');
    const [{ n }] = (await sys.db.query(`SELECT count(*)::int AS n FROM chat_conversations WHERE chat_key LIKE 'dingtalk:%'`)).rows;
    expect(n).toBeGreaterThanOrEqual(1);
  });

  it('attaches a picture sent after a stage message as evidence, fetched through messageFiles/download with a retry', async () => {
    const d = members[3];
    const claim = await ask(d.staffId, '报线索 企业：益阳某某新材料有限公司 行业：新材料 投资额：2亿元 联系人：周总 13622223333 内容：碳纤维产线');
    const code = /YY-\d{4}-\d{6}/.exec(claim)![0];
    expect(await ask(d.staffId, `签约 ${code} 2亿 2026-11-20`)).toContain('签约');
    const picture = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), crypto.randomBytes(3000)]);
    const before = dt.repliesTo(d.staffId).length;
    const sent = await dt.sendFile(d.staffId, { kind: 'picture', bytes: picture, contentType: 'image/png', busyAnswers: 1 }, { mode: 'http' });
    expect(sent.acked).toBe(true);
    expect((await waitFor(() => dt.repliesTo(d.staffId)[before], 15000, 'the evidence answer')).content).toContain('佐证');
    const row = await waitFor(
      async () =>
        (
          await sys.db.query(
            `SELECT e.id::text AS id, f.status AS fetch_status, f.attempts AS fetch_attempts
             FROM lead_evidence e JOIN leads l ON l.id = e.lead_id JOIN evidence_fetches f ON f.evidence_id = e.id WHERE l.code = $1 AND f.status <> 'pending'`,
            [code],
          )
        ).rows[0],
      30000,
      'the picture fetched',
    );
    expect(row).toEqual({ id: expect.any(String), fetch_status: 'stored', fetch_attempts: 2 });
    expect(dt.fileDownloads()).toBe(1);
    const res = await fetch(`${sys.gatewayUrl}/api/leads/${code}/evidence/${row.id}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await res.arrayBuffer()).equals(picture)).toBe(true);
  });
});
