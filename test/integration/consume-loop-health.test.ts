import crypto from 'crypto';
import pino from 'pino';
import { HealthRegistry, JetStreamBus } from '@zs/platform';
import { waitFor } from '../support/harness';

/**
 * A consume loop that ends while the service did not stop it takes no more messages; readiness
 * must say so. The loop is ended here by draining its connection behind the service's back
 * (the e2e metrics test covers the other way a loop dies: its durable deleted on the server).
 */
describe('readiness of a service whose consume loop ended', () => {
  const ns = `c${crypto.randomBytes(4).toString('hex')}`;
  const stream = `${ns.toUpperCase()}_LOOP`;
  let bus: JetStreamBus;
  let admin: JetStreamBus;

  beforeAll(async () => {
    const logger = pino({ level: 'silent' });
    admin = await JetStreamBus.connect('nats://127.0.0.1:4222', `${ns}-admin`, logger);
    await admin.ensureStream({ name: stream, subjects: [`${ns}.loop.>`], duplicateWindowMs: 60000, maxAgeMs: 3600000 });
    bus = await JetStreamBus.connect('nats://127.0.0.1:4222', `${ns}-svc`, logger);
  });

  afterAll(async () => {
    await admin.jsm.streams.delete(stream).catch(() => undefined);
    await admin.close();
    await bus.close().catch(() => undefined);
  });

  it('is ready while the loop runs, and unready naming the consumer once it has ended', async () => {
    const handled: string[] = [];
    await bus.consume<{ n: string }>({
      stream,
      durable: 'loop-test',
      filterSubject: `${ns}.loop.>`,
      maxDeliver: 3,
      ackWaitMs: 5000,
      concurrency: 1,
      handler: async (p) => {
        handled.push(p.n);
      },
    });
    const health = new HealthRegistry();
    health.register('consumers', async () => {
      const dead = bus.deadConsumers();
      if (dead.length) throw new Error(`consume loop ended: ${dead.join(', ')}`);
    });
    await admin.publish(`${ns}.loop.a`, { n: 'first' }, `${ns}-1`);
    await waitFor(() => handled.length > 0, 10000, 'the first message handled');
    expect(handled).toEqual(['first']);
    expect(await health.readiness()).toEqual({ ready: true, checks: { consumers: 'ok' } });

    await bus.nc.drain();
    const r = await waitFor(async () => {
      const now = await health.readiness();
      return now.ready ? undefined : now;
    }, 10000, 'readiness to fail');
    expect(r).toEqual({ ready: false, checks: { consumers: 'fail: consume loop ended: loop-test' } });
  });
});
