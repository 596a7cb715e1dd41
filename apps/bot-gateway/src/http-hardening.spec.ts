import { jsonDepth, MAX_JSON_DEPTH } from './http-hardening';

describe('jsonDepth', () => {
  it('measures flat and nested bodies', () => {
    expect(jsonDepth('x')).toBe(0);
    expect(jsonDepth({ a: 1 })).toBe(1);
    expect(jsonDepth({ a: [{ b: {} }] })).toBe(4);
  });

  it('measures a body nested 200000 deep without overflowing the stack (regression: the validator did)', () => {
    const deep = JSON.parse('['.repeat(200000) + ']'.repeat(200000));
    expect(jsonDepth(deep, MAX_JSON_DEPTH)).toBeGreaterThan(MAX_JSON_DEPTH);
  });
});
