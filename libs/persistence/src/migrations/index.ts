import { InitialSchema1764000000000 } from './1764000000000-initial-schema';
import { ChatRobots1764100000000 } from './1764100000000-chat-robots';
import { ProjectLedger1764300000001 } from './1764300000001-project-ledger';
import { Scoring1764400000001 } from './1764400000001-scoring';
import { Schedules1764500000001 } from './1764500000001-schedules';
import { EncryptRobotSecrets1764600000001 } from './1764600000001-encrypt-robot-secrets';
import { AdminAccounts1764700000001 } from './1764700000001-admin-accounts';
import { EvidenceFiles1764800000001 } from './1764800000001-evidence-files';
import { AccountabilityEventsAndRunProgress1764900000001 } from './1764900000001-accountability-events-and-run-progress';
import { OwnerReadViews1765000000001 } from './1765000000001-owner-read-views';
import { EvidenceFetchOwnership1765100000001 } from './1765100000001-evidence-fetch-ownership';
import { AdminAccountDingtalk1765200000001 } from './1765200000001-admin-account-dingtalk';
import { LeadNumberedAtCommit1765300000001 } from './1765300000001-lead-numbered-at-commit';

/** Every migration, in order. The runner (cli/migrate.ts) is the only thing that applies them. */
export const MIGRATIONS = [
  InitialSchema1764000000000,
  ChatRobots1764100000000,
  ProjectLedger1764300000001,
  Scoring1764400000001,
  Schedules1764500000001,
  EncryptRobotSecrets1764600000001,
  AdminAccounts1764700000001,
  EvidenceFiles1764800000001,
  AccountabilityEventsAndRunProgress1764900000001,
  OwnerReadViews1765000000001,
  EvidenceFetchOwnership1765100000001,
  AdminAccountDingtalk1765200000001,
  LeadNumberedAtCommit1765300000001,
];
