import { Names } from '@zs/contracts';
import { JetStreamBus, StreamSpec } from './jetstream';

const DAY = 24 * 3600 * 1000;

/**
 * The mesh's durable streams. Every service ensures them at boot (idempotent), so
 * start-up order does not matter. The duplicate window covers WeCom's and DingTalk's
 * retry periods (seconds to a minute) with a wide margin.
 */
export function meshStreams(names: Names): StreamSpec[] {
  return [
    { ...names.streams.chatInbound, duplicateWindowMs: 20 * 60 * 1000, maxAgeMs: 7 * DAY },
    { ...names.streams.notify, duplicateWindowMs: 20 * 60 * 1000, maxAgeMs: 7 * DAY },
    { ...names.streams.events, duplicateWindowMs: 20 * 60 * 1000, maxAgeMs: 90 * DAY },
    { ...names.streams.deadLetter, duplicateWindowMs: 20 * 60 * 1000, maxAgeMs: 30 * DAY },
  ];
}

export async function ensureMeshStreams(bus: JetStreamBus, names: Names): Promise<void> {
  for (const s of meshStreams(names)) await bus.ensureStream(s);
}
