/** Injection tokens local to lead-intake. */
export const POLICY = Symbol('POLICY');
export const NAMES = Symbol('NAMES');
export const INBOUND_SETTINGS = Symbol('INBOUND_SETTINGS');
