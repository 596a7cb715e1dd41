export const POLICY = Symbol('POLICY');
export const NAMES = Symbol('NAMES');
export const SCHEDULER_CONFIG = Symbol('SCHEDULER_CONFIG');
export const SCORING_CLIENT = Symbol('SCORING_CLIENT');
