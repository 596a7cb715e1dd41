export * from './profile.schema';
export * from './load-profile';
