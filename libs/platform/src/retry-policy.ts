/**
 * How long the mesh keeps retrying a message whose handler fails (PostgreSQL or Redis
 * down, a bug) before it dead-letters it. docs/operations.md quotes these figures; its
 * generated block comes from runbookRetryFigures() and a unit test keeps it in step.
 */

/** First redelivery delay; doubles per attempt. */
export const REDELIVERY_BACKOFF_BASE_MS = 250;
/** Ceiling of the redelivery delay: a long outage is ridden out at one try per this interval. */
export const REDELIVERY_BACKOFF_CAP_MS = 300_000;
/** Deliveries of a chat message (lead-intake) or a send request (notification) before it is dead-lettered. */
/**
 * Attempts after which a failure that retrying cannot fix (bad data, a constraint, an invalid
 * date: see dead-letter.ts) is moved to the dead-letter stream, instead of the outage budget.
 */
export const DETERMINISTIC_FAILURE_ATTEMPTS = 3;

export const CONSUMER_MAX_DELIVER = 200;

/** Delay before redelivery after the `attempt`-th failed delivery (1-based). */
export function redeliveryDelayMs(attempt: number): number {
  return Math.min(REDELIVERY_BACKOFF_CAP_MS, REDELIVERY_BACKOFF_BASE_MS * 2 ** Math.min(attempt, 11));
}

/**
 * Time from the first delivery to the dead-letter decision when every attempt fails at once:
 * the sum of the delays between the `maxDeliver` deliveries. A handler that hangs adds up to
 * its ack wait per attempt on top.
 */
export function timeToDeadLetterMs(maxDeliver = CONSUMER_MAX_DELIVER): number {
  let total = 0;
  for (let attempt = 1; attempt < maxDeliver; attempt++) total += redeliveryDelayMs(attempt);
  return total;
}

/** Attempt from which the delay stays at the cap. */
export function attemptsUntilCap(): number {
  let a = 1;
  while (redeliveryDelayMs(a) < REDELIVERY_BACKOFF_CAP_MS) a++;
  return a;
}

const fmtDuration = (ms: number): string => {
  if (ms < 60_000) return `${Math.round(ms / 100) / 10} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 6000) / 10} minutes`;
  return `${Math.round(ms / 360_000) / 10} hours`;
};

/** The runbook's log-table rows about redelivery (docs/operations.md, `retry-log-rows` markers). */
export function runbookRetryLogRows(): string {
  return [
    `| \`message handler failed; will redeliver\` | a consumer failed (usually PostgreSQL/Redis down); retried with backoff up to ${fmtDuration(REDELIVERY_BACKOFF_CAP_MS)}. |`,
    `| \`message handler failed for the last time; message is dead-lettered\` | gave up after ${CONSUMER_MAX_DELIVER} deliveries (chat messages and send requests alike, about ${fmtDuration(timeToDeadLetterMs())}). The message stays in the stream; replay it (below). |`,
  ].join('\n');
}

/** The generated blocks of docs/operations.md, by marker name. */
export function runbookGeneratedBlocks(): Record<string, string> {
  return { 'retry-log-rows': runbookRetryLogRows(), 'retry-figures': runbookRetryFigures() };
}

/** `doc` with every generated block replaced by its current text. */
export function renderRunbook(doc: string): string {
  let out = doc;
  for (const [name, text] of Object.entries(runbookGeneratedBlocks())) {
    const re = new RegExp(`(<!-- generated:${name}[^>]*-->\\n)[\\s\\S]*?(\\n<!-- /generated:${name} -->)`);
    if (!re.test(out)) throw new Error(`docs/operations.md has no generated:${name} block`);
    out = out.replace(re, (_m, open: string, close: string) => `${open}${text}${close}`);
  }
  return out;
}

/** The runbook's retry paragraph, from the constants above (docs/operations.md, between the `retry-figures` markers). */
export function runbookRetryFigures(): string {
  const total = timeToDeadLetterMs();
  return [
    `A failing handler is retried with exponential backoff: ${fmtDuration(redeliveryDelayMs(1))} after the first failure,`,
    `doubling up to ${fmtDuration(REDELIVERY_BACKOFF_CAP_MS)} (reached at attempt ${attemptsUntilCap()}), then every ${fmtDuration(REDELIVERY_BACKOFF_CAP_MS)}.`,
    `After ${CONSUMER_MAX_DELIVER} deliveries of a chat message (lead-intake) or of a send request (notification),`,
    `about **${fmtDuration(total)}** after the first failure (more if handlers hang until their ack wait),`,
    `the message is moved to the dead-letter stream with its reason. **So a PostgreSQL or Redis outage shorter`,
    `than about ${fmtDuration(total)} is ridden out; a longer one dead-letters the messages that arrived meanwhile.**`,
    `A failure that retrying cannot fix (a schema failure, a PostgreSQL data or constraint error, an invalid date)`,
    `is dead-lettered on attempt ${DETERMINISTIC_FAILURE_ATTEMPTS}, a few seconds after arrival.`,
  ].join('\n');
}
