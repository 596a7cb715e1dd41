export * from './access-policy';
export * from './lead-visibility';
