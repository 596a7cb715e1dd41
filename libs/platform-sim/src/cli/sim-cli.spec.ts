import http from 'http';
import { AddressInfo } from 'net';
import { AdminMembersPoller } from './sim-cli';

describe('AdminMembersPoller start-up messages', () => {
  it('stays quiet while the gateway is still starting, then reports the load (regression: "管理接口暂不可用" on every normal start)', async () => {
    let up = false;
    const server = http.createServer((_req, res) => {
      if (!up) {
        res.statusCode = 503;
        return res.end();
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify([{ id: 'a' }, { id: 'b' }]));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const lines: string[] = [];
    const poller = new AdminMembersPoller<{ id: string }>({
      base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      token: 't',
      map: (p) => p as Array<{ id: string }>,
      label: '[模拟器]',
      noun: '名成员',
      log: (m) => lines.push(m),
    });
    try {
      await poller.refresh(); // the gateway is not up yet
      up = true;
      await poller.refresh();
      expect(lines).toEqual(['[模拟器] 已从管理接口加载 2 名成员']);
      expect(await poller.members()).toHaveLength(2);
      up = false;
      await poller.refresh(); // an outage after a successful load is worth a line
      expect(lines[1]).toMatch(/管理接口暂不可用/);
    } finally {
      poller.stop();
      server.close();
    }
  });
});
