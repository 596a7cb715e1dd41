import crypto from 'crypto';
import { DingtalkSimulator } from '@zs/platform-sim';
import { startSystem, TestSystem, waitFor } from '../support/harness';

/**
 * The ranking notice on DingTalk: the city table through a signed custom robot registered in the
 * admin API (DingTalk markdown), and each unit's row 1:1 through the app robot's OpenAPI.
 */
describe('ranking notice on DingTalk', () => {
  let sys: TestSystem;
  let dt: DingtalkSimulator;
  const app = { clientId: 'dingscore000000001', clientSecret: crypto.randomBytes(24).toString('hex'), robotCode: 'dingscore000000001' };
  const robot = { token: crypto.randomBytes(32).toString('hex'), secret: `SEC${crypto.randomBytes(32).toString('hex')}` };
  let staff: { staffId: string; unitName: string; mobile: string }[] = [];

  beforeAll(async () => {
    dt = new DingtalkSimulator({ apps: [app], members: async () => staff.map((m) => ({ ...m, name: m.staffId })) });
    await dt.start();
    dt.addCustomRobot(robot.token, { name: '益阳招商钉钉群', secret: robot.secret });
    sys = await startSystem({
      services: ['bot-gateway', 'scoring', 'notification'],
      extraEnv: async () => ({
        DINGTALK_CLIENT_ID: app.clientId,
        DINGTALK_CLIENT_SECRET: app.clientSecret,
        DINGTALK_ROBOT_CODE: app.robotCode,
        DINGTALK_API_BASE: dt.baseUrl,
        DINGTALK_OAPI_BASE: dt.baseUrl,
        DINGTALK_HTTP_ENABLED: 'false',
      }),
    });
    staff = (
      await sys.db.query(`SELECT m.dingtalk_staff_id AS "staffId", u.name AS "unitName", m.mobile FROM members m JOIN units u ON u.id = m.unit_id WHERE m.dingtalk_staff_id IS NOT NULL`)
    ).rows;
  }, 180000);

  afterAll(async () => {
    await sys?.stop();
    await dt?.stop();
  });

  it('sends the city table to the custom robot and each unit its row 1:1', async () => {
    const reg = await sys.admin('/api/robots', { method: 'POST', body: JSON.stringify({ platform: 'dingtalk', name: '益阳招商钉钉群', webhookKey: robot.token, signSecret: robot.secret }) });
    expect(reg.status).toBe(201);
    const counties = { heshan: 60000, ziyang: 50000, anhua: 40000 };
    const put = (path: string, body: unknown) => sys.admin(path, { method: 'PUT', body: JSON.stringify(body) });
    expect((await put('/api/targets/2026', { targets: Object.keys(counties).map((unit) => ({ unit, indicator: 'out-province-capital', value: 100000 })) })).status).toBe(200);
    expect((await put('/api/actuals/2026-03', { values: Object.entries(counties).map(([unit, value]) => ({ unit, indicator: 'out-province-capital', value })) })).status).toBe(200);
    // the month's figures count for its quarter; the only indicator with a target carries the whole
    // weight (indicators without a target are left out): 60 % → 60 points
    const pub = await sys.admin('/api/rankings/2026-Q1/publish', { method: 'POST' });
    expect(pub.body).toMatchObject({ version: 1, created: true });

    const group = await waitFor(() => dt.customRobotMessages('益阳招商钉钉群')[0], 30000, 'the DingTalk group notice');
    expect(group.msgtype).toBe('markdown');
    // DingTalk markdown: notification renders the table as one line per unit, in rank order
    expect(group.content).toContain('**1**：单位 赫山区，得分 60，完成进度 60%，进度差 +35个百分点');
    expect(group.content.indexOf('赫山区')).toBeLessThan(group.content.indexOf('安化县'));
    const ziyangHead = staff.find((s) => s.unitName === '资阳区')!;
    const own = await waitFor(() => dt.repliesTo(ziyangHead.staffId).find((m) => m.content.includes('距上一名')), 30000, "Ziyang's row 1:1");
    expect(own.content).toContain('距上一名（第1名 赫山区）相差 10 分');
  });
});
