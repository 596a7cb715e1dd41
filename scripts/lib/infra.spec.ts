import path from 'path';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { redisArgs, natsArgs, jetStreamRemedy, RUN_DIR } = require('./infra');

const ROOT = path.resolve(__dirname, '..', '..');

describe('engines that npm start runs itself', () => {
  it('keep their data in .run/ of the checkout, not in a temporary directory', () => {
    expect(RUN_DIR).toBe(path.join(ROOT, '.run'));
    const redis: string[] = redisArgs(6390);
    const arg = (list: string[], flag: string) => list[list.indexOf(flag) + 1];
    expect(arg(redis, '--dir')).toBe(path.join(ROOT, '.run', 'redis'));
    expect(arg(redis, '--port')).toBe('6390');
    const nats: string[] = natsArgs(4299);
    expect(arg(nats, '-sd')).toBe(path.join(ROOT, '.run', 'nats'));
    expect(nats.join(' ')).not.toMatch(/\/tmp\//);
    expect(redis.join(' ')).not.toMatch(/\/tmp\//);
  });

  it('Redis writes an append-only file, synced every second', () => {
    const redis: string[] = redisArgs(6379);
    expect(redis[redis.indexOf('--appendonly') + 1]).toBe('yes');
    expect(redis[redis.indexOf('--appendfsync') + 1]).toBe('everysec');
  });

  it('NATS runs with JetStream, listening on loopback only, and records its pid for stopping it', () => {
    const nats: string[] = natsArgs(4222);
    expect(nats).toContain('-js');
    expect(nats[nats.indexOf('-a') + 1]).toBe('127.0.0.1');
    expect(nats[nats.indexOf('-P') + 1]).toBe(path.join(ROOT, '.run', 'nats', 'nats.pid'));
  });
});

describe('a NATS server without JetStream', () => {
  it("is stopped only when this very run installed its package and its service is what answers", () => {
    expect(jetStreamRemedy({ local: true, installedNow: ['nats'], serviceActive: true })).toBe('disable-package-service');
    expect(jetStreamRemedy({ local: true, installedNow: [], serviceActive: true })).toBe('explain');
    expect(jetStreamRemedy({ local: true, installedNow: ['nats'], serviceActive: false })).toBe('explain');
    expect(jetStreamRemedy({ local: false, installedNow: ['nats'], serviceActive: true })).toBe('explain');
  });
});
