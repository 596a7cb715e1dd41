// Intake conversation and project ledger rules. Pure: no I/O, no Nest.
export * from './intake-command';
export * from './intake-replies';
export * from './registry-key';
export * from '../ledger/stage-machine';
export * from '../ledger/stage-args';
