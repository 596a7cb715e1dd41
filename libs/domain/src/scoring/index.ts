export * from './period';
export * from './methods';
export * from './ranking';
export * from './ledger-metrics';
export * from './ladder';
export * from './rewards';
