import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { repliesTo, startSystem, TestSystem, waitFor } from '../support/harness';

const OFFICE_USER = 'commerce.fanwenjing';

/**
 * A city whose profile forbids transfer (firstContact.transferAllowed = false), given to the
 * services as their own profile file (POLICY_PROFILE_FILE): the Yiyang profile with that one rule changed.
 */
describe('a city that does not transfer leads', () => {
  let sys: TestSystem;
  let dir: string;
  let owner: { userid: string; unitName: string };
  let other: { userid: string; unitName: string };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zs-profile-'));
    const profile = JSON.parse(fs.readFileSync(path.join(__dirname, '../../libs/domain/src/policy/profiles/yiyang.json'), 'utf8'));
    profile.firstContact.transferAllowed = false;
    const file = path.join(dir, 'no-transfer.json');
    fs.writeFileSync(file, JSON.stringify(profile));
    sys = await startSystem({ extraEnv: async () => ({ POLICY_PROFILE_FILE: file }) });
    const r = await sys.db.query(
      `SELECT DISTINCT ON (u.id) m.wecom_user_id AS userid, u.name AS "unitName" FROM members m JOIN units u ON u.id = m.unit_id
       WHERE u.kind IN ('county','park') AND m.wecom_user_id IS NOT NULL ORDER BY u.id, m.id`,
    );
    [owner, other] = r.rows;
  }, 180000);

  afterAll(async () => {
    await sys?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const ask = async (userid: string, text: string) => {
    const previous = repliesTo(sys.sim, userid).length;
    const sent = await sys.sim.sendText(userid, text);
    expect(sent.acked).toBe(true);
    return waitFor(() => repliesTo(sys.sim, userid)[previous], 15000, `the bot's answer to ${userid}: ${text}`);
  };

  it('refuses 申请流转 and 流转 politely in chat, and the transfer API with 409; the lead stays with its unit', async () => {
    const registered = await ask(owner.userid, '报线索 企业：益阳市资江新材料有限公司 行业：新材料 投资额：2亿 联系人：周总 13700001111 内容：新建复合材料生产线');
    const code = /YY-\d{4}-\d{6}/.exec(registered)![0];

    const asked = await ask(other.userid, `申请流转 ${code} 企业意向落户我区园区`);
    expect(asked).toContain('本市政策未设线索流转');
    expect(asked).not.toContain('已提交');
    const byOffice = await ask(OFFICE_USER, `流转 ${code} ${other.unitName} 企业意向落户该区园区`);
    expect(byOffice).toContain('本市政策未设线索流转');

    const api = await sys.admin(`/api/leads/${code}/transfer`, { method: 'POST', body: JSON.stringify({ toUnit: other.unitName, reason: '企业选址调整' }) });
    expect(api.status).toBe(409);
    expect(JSON.stringify(api.body)).toContain('本市政策未设线索流转');

    const row = (await sys.db.query(`SELECT l.id, u.name AS owner FROM leads l JOIN units u ON u.id = l.owner_unit_id WHERE l.code = $1`, [code])).rows[0];
    expect(row.owner).toBe(owner.unitName);
    const transfers = await sys.db.query(`SELECT count(*)::int AS n FROM lead_transfers WHERE lead_id = $1`, [row.id]);
    const requests = await sys.db.query(`SELECT count(*)::int AS n FROM lead_transfer_requests WHERE lead_id = $1`, [row.id]);
    expect({ transfers: transfers.rows[0].n, requests: requests.rows[0].n }).toEqual({ transfers: 0, requests: 0 });
  });

  it('does not offer 申请流转 in 帮助', async () => {
    const help = await ask(owner.userid, '帮助');
    expect(help).toContain('报线索');
    expect(help).not.toContain('申请流转');
  });
});
