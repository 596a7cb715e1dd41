/**
 * Which service owns which table (docs/table-ownership.md, ADR 0026). Only the owner writes a
 * table or runs SQL on it. Another service that needs the owner's data reads the owner's
 * read-only view (below) or asks the owner over NATS; it never names the table.
 * `table-ownership.spec.ts` greps every app's SQL and persistence-repository use against this map.
 */
export type TableOwnerService = 'bot-gateway' | 'lead-intake' | 'notification' | 'scoring' | 'scheduler';

export const TABLE_OWNERS: Readonly<Record<string, TableOwnerService>> = {
  // administrators' accounts and sign-in (ADR 0021): the gateway's own small pool
  admin_accounts: 'bot-gateway',
  admin_sessions: 'bot-gateway',
  admin_api_tokens: 'bot-gateway',
  admin_audit_log: 'bot-gateway',
  // directory and the lead ledger (first contact, stages, transfers, evidence, outbox)
  units: 'lead-intake',
  members: 'lead-intake',
  leads: 'lead-intake',
  lead_duplicate_reports: 'lead-intake',
  inbound_messages: 'lead-intake',
  lead_number_counters: 'lead-intake',
  lead_stage_changes: 'lead-intake',
  lead_transfers: 'lead-intake',
  lead_transfer_requests: 'lead-intake',
  lead_audit: 'lead-intake',
  lead_evidence: 'lead-intake',
  chat_conversations: 'lead-intake',
  ledger_outbox: 'lead-intake',
  // sending: robots, their health, what was delivered
  chat_robots: 'notification',
  channel_health: 'notification',
  delivery_log: 'notification',
  // evidence: notification fetches it from the platforms (lead_evidence above is the reference)
  evidence_fetches: 'notification',
  lead_evidence_files: 'notification',
  // scoring: its read model of leads, figures, rankings, accountability
  scoring_leads: 'scoring',
  scoring_targets: 'scoring',
  scoring_actuals: 'scoring',
  scoring_exemptions: 'scoring',
  ranking_versions: 'scoring',
  scoring_audit: 'scoring',
  accountability_actions: 'scoring',
  scoring_outbox: 'scoring',
  // the rhythm: schedules, runs, pushes, digests, trips, its read model of lead activity
  schedules: 'scheduler',
  schedule_runs: 'scheduler',
  schedule_pushes: 'scheduler',
  schedule_digests: 'scheduler',
  schedule_audit: 'scheduler',
  trips: 'scheduler',
  scheduler_lead_activity: 'scheduler',
  scheduler_accountability_actions: 'scheduler',
};

export interface OwnerReadView {
  owner: TableOwnerService;
  /** the owner's tables it shows */
  over: string[];
  /** the services that may SELECT from it (never write: an INSTEAD OF trigger refuses writes) */
  readers: TableOwnerService[];
}

/** Read-only views an owner publishes for other services (migrations 1765000000001, 1765100000001). */
export const OWNER_READ_VIEWS: Readonly<Record<string, OwnerReadView>> = {
  directory_units_v: { owner: 'lead-intake', over: ['units'], readers: ['scoring', 'scheduler', 'notification', 'bot-gateway'] },
  directory_members_v: { owner: 'lead-intake', over: ['members'], readers: ['scoring', 'scheduler', 'notification'] },
  robot_directory_v: { owner: 'notification', over: ['chat_robots'], readers: ['scheduler'] },
  delivery_outcomes_v: { owner: 'notification', over: ['delivery_log'], readers: ['scheduler'] },
  // migration 1765100000001: evidence references to fetch, and the fetch state for the lead detail
  evidence_refs_v: { owner: 'lead-intake', over: ['lead_evidence', 'leads'], readers: ['notification'] },
  evidence_fetch_states_v: { owner: 'notification', over: ['evidence_fetches'], readers: ['lead-intake'] },
};

/** The repositories (and stores) of libs/persistence and the service whose tables each one touches; their SQL obeys the map too. */
export const REPOSITORY_OWNERS: Readonly<Record<string, TableOwnerService>> = {
  DirectoryRepository: 'lead-intake',
  LeadRepository: 'lead-intake',
  InboundRepository: 'lead-intake',
  LedgerRepository: 'lead-intake',
  ConversationRepository: 'lead-intake',
  OutboxRepository: 'lead-intake',
  ScoringOutboxRepository: 'scoring',
  ChatRobotRepository: 'notification',
  ChannelHealthRepository: 'notification',
  DeliveryLogRepository: 'notification',
  PgEvidenceFileStore: 'notification',
};

export interface TableAccessFinding {
  relation: string;
  write: boolean;
  /** why it is not allowed */
  problem: string;
}

const ACCESS_RE = /\b(FROM|JOIN|INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?|ALTER\s+TABLE|LOCK(?:\s+TABLE)?)\s+(?:ONLY\s+)?"?([a-z_][a-z0-9_]*)"?/g;

/**
 * The table and view accesses in a source text (SQL keywords upper case, as this repository
 * writes them) that `service` may not make: another service's table, a view it is not a reader
 * of, or any write to a view. Names that are neither tables nor views (CTEs, unnest) are ignored.
 */
export function tableOwnershipViolations(service: string, source: string): TableAccessFinding[] {
  const out: TableAccessFinding[] = [];
  for (const m of source.matchAll(ACCESS_RE)) {
    const keyword = m[1].replace(/\s+/g, ' ');
    const relation = m[2];
    const write = keyword !== 'FROM' && keyword !== 'JOIN';
    const owner = TABLE_OWNERS[relation];
    const view = OWNER_READ_VIEWS[relation];
    if (owner && owner !== service) {
      const views = Object.entries(OWNER_READ_VIEWS)
        .filter(([, v]) => v.over.includes(relation))
        .map(([n]) => n);
      const hint = !write && views.length ? ` (read ${views.join(' / ')} instead)` : ` (ask ${owner} over NATS)`;
      out.push({ relation, write, problem: `${relation} belongs to ${owner}${hint}` });
    } else if (view && view.owner !== service) {
      if (write) out.push({ relation, write, problem: `${relation} is a read-only view of ${view.owner}` });
      else if (!view.readers.includes(service as TableOwnerService)) out.push({ relation, write, problem: `${service} is not a listed reader of ${relation}` });
    }
  }
  return out;
}
