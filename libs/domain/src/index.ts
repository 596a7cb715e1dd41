export * from './lead';
export * from './policy';
export * from './intake';
