export * from './lead';
export * from './policy';
