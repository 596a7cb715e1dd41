import { z } from 'zod';
import { DeterministicFailure, isDeterministicFailure } from './dead-letter';

const pgError = (code: string) => Object.assign(new Error('query failed'), { name: 'QueryFailedError', code, driverError: { code } });

describe('isDeterministicFailure: what a retry cannot fix', () => {
  it.each([
    ['NUL in text (22021)', pgError('22021')],
    ['numeric overflow (22003)', pgError('22003')],
    ['CHECK violation (23514)', pgError('23514')],
    ['invalid Date', (() => { try { new Date(8.64e15 + 1).toISOString(); } catch (e) { return e; } })()],
    ['a schema failure', z.string().safeParse(1).error],
    ['an explicit DeterministicFailure', new DeterministicFailure('bad')],
  ])('%s is deterministic', (_what, err) => {
    expect(isDeterministicFailure(err)).toBe(true);
  });

  it.each([
    ['a unique violation (a race another attempt resolves)', pgError('23505')],
    ['a serialization failure', pgError('40001')],
    ['the database going away', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['an admin shutdown', pgError('57P01')],
    ['a NATS timeout', Object.assign(new Error('TIMEOUT'), { name: 'NatsError', code: 'TIMEOUT' })],
    ['fetch failed', new TypeError('fetch failed')],
  ])('%s is worth retrying', (_what, err) => {
    expect(isDeterministicFailure(err)).toBe(false);
  });
});
