export * from './data-source';
export * from './migrate';
export * from './template-database';
export * from './migrations';
export * from './repositories';
export * from './seed';
export * from './secret-box';
export * from './connection-budget';
