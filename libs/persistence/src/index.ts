export * from './data-source';
export * from './migrate';
export * from './migrations';
export * from './repositories';
export * from './seed';
export * from './secret-box';
export * from './connection-budget';
export * from './renormalize-names';
