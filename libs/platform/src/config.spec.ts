import { z } from 'zod';
import { baseConfigSchema, jetStreamReplicas, requireTogether } from './config';

const schema = z
  .object({ A: z.string().optional(), B: z.string().optional(), C: z.string().optional() })
  .superRefine((c, ctx) => requireTogether(ctx, c, ['A', 'B', 'C'], 'required when the thing is configured'));

const issues = (env: Record<string, string>) => {
  const r = schema.safeParse(env);
  return r.success ? [] : r.error.issues.map((i) => [i.path.join('.'), i.message]);
};

describe('requireTogether', () => {
  it('accepts none or all of the keys', () => {
    expect(issues({})).toEqual([]);
    expect(issues({ A: 'a', B: 'b', C: 'c' })).toEqual([]);
  });

  it('names each missing key, in order, when only some are set', () => {
    expect(issues({ B: 'b' })).toEqual([
      ['A', 'required when the thing is configured'],
      ['C', 'required when the thing is configured'],
    ]);
    expect(issues({ A: 'a', C: 'c' })).toEqual([['B', 'required when the thing is configured']]);
  });

  it('counts an empty string as not set', () => {
    expect(issues({ A: 'a', B: '', C: 'c' })).toEqual([['B', 'required when the thing is configured']]);
  });
});

describe('JetStream stream replicas from the environment', () => {
  const replicas = (env: Record<string, string>) => jetStreamReplicas(baseConfigSchema.parse(env));

  it('is one when nothing is set (a single local NATS server)', () => {
    expect(replicas({})).toBe(1);
  });

  it('takes JETSTREAM_REPLICAS', () => {
    expect(replicas({ JETSTREAM_REPLICAS: '3' })).toBe(3);
  });

  it('still takes the older NATS_STREAM_REPLICAS, and JETSTREAM_REPLICAS wins when both are set', () => {
    expect(replicas({ NATS_STREAM_REPLICAS: '3' })).toBe(3);
    expect(replicas({ NATS_STREAM_REPLICAS: '5', JETSTREAM_REPLICAS: '3' })).toBe(3);
  });

  it('refuses a count NATS cannot have', () => {
    expect(baseConfigSchema.safeParse({ JETSTREAM_REPLICAS: '0' }).success).toBe(false);
    expect(baseConfigSchema.safeParse({ JETSTREAM_REPLICAS: '7' }).success).toBe(false);
  });
});
