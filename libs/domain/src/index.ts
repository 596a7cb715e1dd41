export * from './lead';
export * from './policy';
export * from './scoring';
export * from './schedule';
export * from './intake';
export * from './admin-access';
