import { natsConnectionOptions, parseNatsUrl } from './nats-options';

describe('NATS connection options', () => {
  it('takes credentials out of NATS_URL so the server list is safe to log', () => {
    const p = parseNatsUrl('nats://zs-lead-intake:s3cr%40t@nats-0:4222,nats://nats-1:4222');
    expect(p.servers).toEqual(['nats://nats-0:4222', 'nats://nats-1:4222']);
    expect(p.user).toBe('zs-lead-intake');
    expect(p.pass).toBe('s3cr@t');
    expect(JSON.stringify(p.servers)).not.toContain('s3cr');
  });

  it('needs no credentials locally', () => {
    const o = natsConnectionOptions('nats://127.0.0.1:4222', { NATS_TLS: 'false' });
    expect(o).toEqual({ servers: ['nats://127.0.0.1:4222'] });
  });

  it('prefers NATS_USER / NATS_PASSWORD, sets the service inbox, and turns TLS on for tls:// or CA files', () => {
    const o = natsConnectionOptions('tls://nats:4222', { NATS_USER: 'u', NATS_PASSWORD: 'p', NATS_TLS: 'false', NATS_TLS_CA: '/ca.pem' }, { namespace: 'zs', service: 'lead-intake' });
    expect(o).toMatchObject({ user: 'u', pass: 'p', tls: { caFile: '/ca.pem' }, inboxPrefix: '_INBOX_zs_lead_intake' });
    expect(natsConnectionOptions('nats://a:4222', { NATS_TLS: 'true' }).tls).toEqual({});
  });

  it('refuses a NATS_URL that is not a server list', () => {
    expect(() => parseNatsUrl(' , ')).toThrow(/no server/);
  });
});
