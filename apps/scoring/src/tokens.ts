/** Injection tokens local to scoring. */
export const POLICY = Symbol('POLICY');
export const NAMES = Symbol('NAMES');
