export * from './subjects';
export * from './messages';
export * from './admin';
export * from './wecom-aibot';
export * from './rich-message';
export * from './robots';
export * from './ledger-events';
export * from './ledger-admin';
