import { InitialSchema1764000000000 } from './1764000000000-initial-schema';
import { ChatRobots1764100000000 } from './1764100000000-chat-robots';
import { Schedules1764500000001 } from './1764500000001-schedules';

/** Every migration, in order. The runner (cli/migrate.ts) is the only thing that applies them. */
export const MIGRATIONS = [InitialSchema1764000000000, ChatRobots1764100000000, Schedules1764500000001];
