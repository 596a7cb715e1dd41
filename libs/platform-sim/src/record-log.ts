// What a simulator remembers of the traffic that went through it (messages the product sent,
// messages members sent, frames, posts...): in-memory logs stamped from one sequence per
// simulator, so that a console can merge them in order and tests can wait for them.
import { sleep } from './sim-http';

export interface Stamped {
  seq: number;
  at: number;
}

/** The sequence (and clock) a simulator's logs share: every record gets the next number. */
export class RecordStamps {
  private seq = 0;

  constructor(private readonly now: () => number) {}

  next(): Stamped {
    return { seq: ++this.seq, at: this.now() };
  }

  /** The last number handed out (0 before the first record). */
  get last(): number {
    return this.seq;
  }
}

export class RecordLog<T extends Stamped> {
  private items: T[] = [];

  /** Past maxRecords the oldest records are dropped. */
  constructor(
    private readonly stamps: RecordStamps,
    private readonly maxRecords = Infinity,
  ) {}

  /** Stamps `fields` with the next sequence number and the time, appends and returns the record. */
  add(fields: Omit<T, keyof Stamped>): T {
    const rec = { ...this.stamps.next(), ...fields } as T;
    this.items.push(rec);
    if (this.items.length > this.maxRecords) this.items.splice(0, this.items.length - this.maxRecords);
    return rec;
  }

  /** Every record, oldest first (a copy of the list; the records themselves are shared). */
  all(): T[] {
    return this.items.slice();
  }

  filter(pred: (r: T) => unknown): T[] {
    return this.items.filter(pred);
  }

  /** The newest `n` records, oldest first. */
  latest(n: number): T[] {
    return this.items.slice(-n);
  }

  get size(): number {
    return this.items.length;
  }

  clear(): void {
    this.items = [];
  }

  /**
   * Polls until pred(all()) is true; rejects after timeoutMs with `${owner}.waitFor timed out...`
   * and the last five records, each as `describe` writes it.
   */
  async waitFor(pred: (all: T[]) => boolean, timeoutMs: number, intervalMs: number, owner: string, describe: (r: T) => string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (pred(this.all())) return;
      if (Date.now() >= deadline) {
        const tail = this.latest(5).map(describe).join('\n  ');
        throw new Error(`${owner}.waitFor timed out after ${timeoutMs} ms (${this.items.length} records)${tail ? `:\n  ${tail}` : ''}`);
      }
      await sleep(intervalMs);
    }
  }
}

export type ConsoleFeedItem<O, I> = (O & { dir: 'out' }) | (I & { dir: 'in' });

/**
 * One poll of a chat console: the records of both logs numbered after `?since=`, in sequence
 * order, at most 1000, and the last number the page has seen.
 */
export function consoleFeed<O extends Stamped, I extends Stamped>(
  url: URL,
  out: RecordLog<O>,
  inbound: RecordLog<I>,
): { last: number; items: Array<ConsoleFeedItem<O, I>> } {
  const since = Number(url.searchParams.get('since') ?? '0');
  const after = Number.isFinite(since) ? since : 0;
  const items: Array<ConsoleFeedItem<O, I>> = [];
  for (const d of out.filter((r) => r.seq > after)) items.push({ ...d, dir: 'out' });
  for (const m of inbound.filter((r) => r.seq > after)) items.push({ ...m, dir: 'in' });
  items.sort((a, b) => a.seq - b.seq);
  const page = items.slice(0, 1000);
  return { last: page.length ? page[page.length - 1].seq : after, items: page };
}
