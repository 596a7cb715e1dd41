import fs from 'fs';
import path from 'path';
import {
  CONSUMER_MAX_DELIVER,
  REDELIVERY_BACKOFF_CAP_MS,
  redeliveryDelayMs,
  renderRunbook,
  timeToDeadLetterMs,
} from './retry-policy';

describe('redelivery policy and the runbook that describes it', () => {
  it('backs off exponentially from 0.5 s to a 5-minute cap', () => {
    expect(redeliveryDelayMs(1)).toBe(500);
    expect(redeliveryDelayMs(2)).toBe(1000);
    expect(redeliveryDelayMs(10)).toBe(256_000);
    expect(redeliveryDelayMs(11)).toBe(REDELIVERY_BACKOFF_CAP_MS);
    expect(redeliveryDelayMs(150)).toBe(REDELIVERY_BACKOFF_CAP_MS);
  });

  it('dead-letters after about 16 hours of failures, riding out a long outage', () => {
    const hours = timeToDeadLetterMs(CONSUMER_MAX_DELIVER) / 3_600_000;
    expect(hours).toBeGreaterThan(15);
    expect(hours).toBeLessThan(17);
  });

  it('docs/operations.md quotes the figures the code has (run `npm run build && npm run docs:runbook` after changing them)', () => {
    const doc = fs.readFileSync(path.resolve(__dirname, '../../../docs/operations.md'), 'utf8');
    expect(doc).toBe(renderRunbook(doc));
    expect(doc).toContain(`after ${CONSUMER_MAX_DELIVER} deliveries`);
  });
});
