import crypto from 'crypto';
import pino from 'pino';
import { JetStreamBus } from '@zs/platform';
import { infra, waitFor } from '../support/harness';

/**
 * The ack wait is short (INBOUND_ACK_WAIT_MS 6 s, OUTBOUND_LOCK_MS 5 s) so that a crashed replica's
 * messages come back within seconds. A live replica whose handler takes longer than that (a database
 * outage ridden out by retries, a long fan-out) keeps its message with in-progress acks: the message
 * is handled once, not handed to someone else meanwhile.
 */
describe('a handler slower than the ack wait', () => {
  const ns = `p${crypto.randomBytes(4).toString('hex')}`;
  const stream = `${ns.toUpperCase()}_SLOW`;
  let bus: JetStreamBus;
  let admin: JetStreamBus;

  beforeAll(async () => {
    const logger = pino({ level: 'silent' });
    admin = await JetStreamBus.connect(infra.natsUrl, `${ns}-admin`, logger);
    await admin.ensureStream({ name: stream, subjects: [`${ns}.slow.>`], duplicateWindowMs: 60000, maxAgeMs: 3600000 });
    bus = await JetStreamBus.connect(infra.natsUrl, `${ns}-svc`, logger);
  });

  afterAll(async () => {
    await bus.close().catch(() => undefined);
    await admin.jsm.streams.delete(stream).catch(() => undefined);
    await admin.close();
  });

  it('is handled once while it works three times the ack wait, and acknowledged after', async () => {
    const deliveries: number[] = [];
    let done = false;
    await bus.consume<{ n: string }>({
      stream,
      durable: 'slow-test',
      filterSubject: `${ns}.slow.>`,
      maxDeliver: 5,
      ackWaitMs: 1000,
      concurrency: 2,
      handler: async (_p, meta) => {
        deliveries.push(meta.redeliveryCount);
        await new Promise((r) => setTimeout(r, 3000));
        done = true;
      },
    });
    await admin.publish(`${ns}.slow.a`, { n: 'slow' }, `${ns}-1`);
    await waitFor(() => done, 15000, 'the slow handler to finish');
    // Without in-progress acks the server would have redelivered it during those 3 s (ack wait 1 s).
    // Wait for the server to record the ack, then read what it did meanwhile.
    const info = await waitFor(async () => {
      const i = await admin.jsm.consumers.info(stream, 'slow-test');
      return i.ack_floor.stream_seq >= 1 ? i : undefined;
    }, 10000, 'the ack recorded by the server');
    expect({ ackPending: info.num_ack_pending, redelivered: info.num_redelivered }).toEqual({ ackPending: 0, redelivered: 0 });
    expect(deliveries).toEqual([0]);
  });
});
