import { InitialSchema1764000000000 } from './1764000000000-initial-schema';

/** Every migration, in order. The runner (cli/migrate.ts) is the only thing that applies them. */
export const MIGRATIONS = [InitialSchema1764000000000];
