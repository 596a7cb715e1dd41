import type { Logger } from 'pino';
import { OutboxRelay, OutboxRelayEntry, OutboxRelayOptions, OutboxRelayStore, outboxRelaySubjects } from './outbox-relay';

/** An outbox table in memory: entries and which of them are published. */
class MemoryOutbox implements OutboxRelayStore {
  readonly published = new Set<string>();
  readonly unpublishedCalls: [number, number][] = [];
  constructor(readonly entries: OutboxRelayEntry[]) {}
  async byIds(ids: string[]) {
    return this.entries.filter((e) => ids.includes(e.id) && !this.published.has(e.id));
  }
  async unpublished(olderThanMs: number, limit: number) {
    this.unpublishedCalls.push([olderThanMs, limit]);
    return this.entries.filter((e) => !this.published.has(e.id)).slice(0, limit);
  }
  async markPublished(ids: string[]) {
    for (const id of ids) this.published.add(id);
  }
}

function recordingLogger() {
  const lines: { level: string; obj: unknown; msg: string }[] = [];
  const at = (level: string) => (obj: unknown, msg: string) => void lines.push({ level, obj, msg });
  return { lines, logger: { info: at('info'), warn: at('warn'), error: at('error') } as unknown as Logger };
}

const entry = (id: string, subjectKey: string): OutboxRelayEntry => ({ id, subjectKey, msgId: `m-${id}`, payload: { id } });
const SUBJECTS = { leadRegistered: 'ns.lead.registered', notifySend: 'ns.notify.send' };

function relayOver(store: MemoryOutbox, opts: Partial<OutboxRelayOptions> = {}, publish?: (subject: string) => Promise<void>) {
  const sent: [string, unknown, string][] = [];
  const bus = {
    async publish(subject: string, payload: unknown, msgId: string) {
      if (publish) await publish(subject);
      sent.push([subject, payload, msgId]);
    },
  };
  const log = recordingLogger();
  const relay = new OutboxRelay(bus, log.logger, { store: () => store, subjects: SUBJECTS, sweepMs: 5000, onPublishFailure: 'throw', ...opts });
  return { relay, sent, lines: log.lines };
}

describe('OutboxRelay: one relay for every outbox table', () => {
  it('publishes the given entries to their subjects with their message ids, then marks them published', async () => {
    const store = new MemoryOutbox([entry('1', 'leadRegistered'), entry('2', 'notifySend'), entry('3', 'leadRegistered')]);
    const { relay, sent } = relayOver(store);
    await relay.publishIds(['1', null, '2']);
    expect(sent).toEqual([
      ['ns.lead.registered', { id: '1' }, 'm-1'],
      ['ns.notify.send', { id: '2' }, 'm-2'],
    ]);
    expect([...store.published]).toEqual(['1', '2']);
  });

  it('does nothing for no ids (nulls are entries an earlier write already held)', async () => {
    const store = new MemoryOutbox([entry('1', 'leadRegistered')]);
    const { relay, sent } = relayOver(store);
    await relay.publishIds([null]);
    await relay.publishIds([]);
    expect(sent).toEqual([]);
  });

  it('leaves an entry with an unknown subject unpublished and says so', async () => {
    const store = new MemoryOutbox([entry('1', 'somethingElse'), entry('2', 'notifySend')]);
    const { relay, sent, lines } = relayOver(store);
    await relay.publishIds(['1', '2']);
    expect(sent.map((s) => s[2])).toEqual(['m-2']);
    expect([...store.published]).toEqual(['2']);
    expect(lines).toContainEqual({ level: 'error', obj: { subjectKey: 'somethingElse' }, msg: 'outbox entry with an unknown subject; left unpublished' });
  });

  it("'throw': a failed publish after the commit reaches the caller", async () => {
    const store = new MemoryOutbox([entry('1', 'leadRegistered')]);
    const { relay } = relayOver(store, { onPublishFailure: 'throw' }, async () => {
      throw new Error('nats down');
    });
    await expect(relay.publishIds(['1'])).rejects.toThrow('nats down');
    expect(store.published.size).toBe(0);
  });

  it("'leave-to-sweep': a failed publish after the commit is logged and the sweep publishes it later", async () => {
    const store = new MemoryOutbox([entry('1', 'leadRegistered')]);
    let down = true;
    const { relay, sent, lines } = relayOver(store, { onPublishFailure: 'leave-to-sweep', sweepMs: 7000 }, async () => {
      if (down) throw new Error('nats down');
    });
    await relay.publishIds(['1']);
    expect(lines).toContainEqual({ level: 'warn', obj: { err: 'nats down' }, msg: 'outbox publish failed; the sweep will retry' });
    expect(store.published.size).toBe(0);
    down = false;
    await relay.sweep();
    expect(store.unpublishedCalls).toEqual([[7000, 200]]);
    expect(sent.map((s) => s[2])).toEqual(['m-1']);
    expect([...store.published]).toEqual(['1']);
  });

  it('a sweep that fails logs and lets the next one retry; a sweep already running is not doubled', async () => {
    const store = new MemoryOutbox([entry('1', 'leadRegistered')]);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    let calls = 0;
    const { relay, lines } = relayOver(store, {}, async () => {
      calls++;
      if (calls === 1) await gate;
      if (calls === 2) throw new Error('nats down');
    });
    const first = relay.sweep();
    await relay.sweep(); // returns at once: the first is still running
    release();
    await first;
    expect(calls).toBe(1);
    expect(store.unpublishedCalls).toHaveLength(1);

    store.published.clear();
    await relay.sweep();
    expect(lines).toContainEqual({ level: 'warn', obj: { err: 'nats down' }, msg: 'outbox sweep failed; will retry' });
  });

  it('outboxRelaySubjects picks the keys a service writes', () => {
    const names = { a: 'ns.a', b: 'ns.b', fn: (x: string) => `ns.${x}` };
    expect(outboxRelaySubjects(names, ['a', 'b'] as const)).toEqual({ a: 'ns.a', b: 'ns.b' });
  });
});
