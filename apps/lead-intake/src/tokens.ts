/** Injection tokens local to lead-intake. */
export const POLICY = Symbol('POLICY');
export const NAMES = Symbol('NAMES');
export const INBOUND_SETTINGS = Symbol('INBOUND_SETTINGS');
export const INTAKE_SETTINGS = Symbol('INTAKE_SETTINGS');
export const OUTBOX_SETTINGS = Symbol('OUTBOX_SETTINGS');
