import type { JetStreamManager, StoredMsg } from 'nats';
import { redactText } from './redact';

/** A message a consumer gave up on, as stored in the dead-letter stream. */
export interface DeadLetter {
  /** Stream and durable consumer that gave up. */
  stream: string;
  durable: string;
  /** Subject and stream sequence of the original message (replay publishes to this subject). */
  subject: string;
  seq: number;
  /** The original message body, as received. */
  data: string;
  /** Why the last attempt failed (secrets redacted). */
  reason: string;
  /** `deterministic`: retrying could not help (bad data); `exhausted`: every redelivery was used up. */
  kind: 'deterministic' | 'exhausted';
  attempts: number;
  deadAt: number;
}

/** A dead letter as the admin API shows it: `id` is its sequence in the dead-letter stream. */
export interface DeadLetterView extends DeadLetter {
  id: number;
}

/**
 * Thrown by a handler for a message that can never succeed (it failed validation, it names
 * something that does not exist): dead-lettered without waiting for redeliveries to run out.
 */
export class DeterministicFailure extends Error {}

/**
 * PostgreSQL error classes that the same data will hit again on every retry: 22 data exception
 * (NUL in text, numeric overflow, invalid datetime), 23 integrity constraint (a CHECK) except a
 * unique violation (a race with another replica that a retry resolves), 42 statement errors
 * (a program bug), 54 program limits.
 */
const DETERMINISTIC_SQLSTATE = /^(22|23|42|54)/;
const RETRYABLE_SQLSTATE = new Set(['23505', '40001', '40P01']);

export function isDeterministicFailure(err: unknown): boolean {
  if (err instanceof DeterministicFailure) return true;
  if (!err || typeof err !== 'object') return false;
  const e = err as { name?: string; code?: unknown; driverError?: { code?: unknown } };
  const sqlstate = typeof e.driverError?.code === 'string' ? e.driverError.code : typeof e.code === 'string' ? e.code : undefined;
  if (sqlstate && /^[0-9A-Z]{5}$/.test(sqlstate)) return DETERMINISTIC_SQLSTATE.test(sqlstate) && !RETRYABLE_SQLSTATE.has(sqlstate);
  // Invalid Date (RangeError), a property of undefined (TypeError), a schema (ZodError), bad JSON (SyntaxError).
  if (e.name === 'TypeError' && /fetch failed/i.test(String((err as Error).message))) return false; // a network error
  return ['RangeError', 'TypeError', 'ZodError', 'SyntaxError'].includes(e.name ?? '');
}

export function deadLetterReason(err: unknown): string {
  const e = err as { name?: string; message?: string; code?: unknown };
  const head = [e?.name, typeof e?.code === 'string' ? e.code : undefined].filter(Boolean).join(' ');
  return redactText(`${head ? `${head}: ` : ''}${String(e?.message ?? err)}`).slice(0, 2000);
}

const NOT_FOUND = /no message found|not found/i;

/**
 * Reads and replays the dead-letter stream for the admin API. Dead letters are few; listing
 * walks the stream from the newest backwards and never scans more than `MAX_SCAN` sequences.
 */
export class DeadLetterStore {
  static readonly MAX_SCAN = 10_000;

  constructor(
    private readonly jsm: JetStreamManager,
    private readonly stream: string,
  ) {}

  async list(limit: number, offset: number): Promise<{ items: DeadLetterView[]; total: number }> {
    const info = await this.streamInfo();
    if (!info) return { items: [], total: 0 };
    const items: DeadLetterView[] = [];
    let skipped = 0;
    const floor = Math.max(info.first_seq, info.last_seq - DeadLetterStore.MAX_SCAN);
    for (let seq = info.last_seq; seq >= floor && seq > 0 && items.length < limit; seq--) {
      const letter = await this.get(seq);
      if (!letter) continue;
      if (skipped < offset) {
        skipped++;
        continue;
      }
      items.push(letter);
    }
    return { items, total: info.messages };
  }

  async get(id: number): Promise<DeadLetterView | null> {
    let m: StoredMsg;
    try {
      m = await this.jsm.streams.getMessage(this.stream, { seq: id });
    } catch (e) {
      if (NOT_FOUND.test(String((e as Error)?.message ?? e))) return null;
      throw e;
    }
    try {
      return { ...(JSON.parse(Buffer.from(m.data).toString('utf8')) as DeadLetter), id };
    } catch {
      return null;
    }
  }

  /** Removes a dead letter once it was replayed (or an administrator dismissed it). */
  async remove(id: number): Promise<boolean> {
    try {
      return await this.jsm.streams.deleteMessage(this.stream, id, false);
    } catch (e) {
      if (NOT_FOUND.test(String((e as Error)?.message ?? e))) return false;
      throw e;
    }
  }

  private async streamInfo() {
    try {
      return (await this.jsm.streams.info(this.stream)).state;
    } catch (e) {
      if (NOT_FOUND.test(String((e as Error)?.message ?? e))) return null;
      throw e;
    }
  }
}
