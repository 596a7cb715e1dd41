import { z } from 'zod';
import { requireTogether } from './config';

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
