import { InitialSchema1764000000000 } from './1764000000000-initial-schema';
import { ChatRobots1764100000000 } from './1764100000000-chat-robots';
import { ProjectLedger1764300000001 } from './1764300000001-project-ledger';
import { Scoring1764400000001 } from './1764400000001-scoring';
import { Schedules1764500000001 } from './1764500000001-schedules';
import { EncryptRobotSecrets1764600000001 } from './1764600000001-encrypt-robot-secrets';
import { AdminAccounts1764700000001 } from './1764700000001-admin-accounts';

/** Every migration, in order. The runner (cli/migrate.ts) is the only thing that applies them. */
export const MIGRATIONS = [InitialSchema1764000000000, ChatRobots1764100000000, ProjectLedger1764300000001, Scoring1764400000001, Schedules1764500000001, EncryptRobotSecrets1764600000001, AdminAccounts1764700000001];
