/**
 * PostgreSQL connections each service's pool may open per replica. The deployment's budget
 * (deploy/README.md step 2) is these times the replicas in deploy/kubernetes, checked by
 * scripts/check-manifests.js; lead-intake's is DB_POOL_SIZE (this is its default).
 */
export const DB_POOL_SIZES = {
  'lead-intake': 20,
  notification: 10,
  scoring: 5,
  scheduler: 8, // claims, runs and digest batches of the rhythm
  'bot-gateway': 3, // console accounts, sessions, API tokens, audit log (ADR 0021)
} as const;

/** Pool of one-off tools: the migration runner, the seed and the key rotation. */
export const TOOL_POOL_SIZE = 2;
