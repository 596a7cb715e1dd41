import { Names } from './subjects';

/**
 * The BullMQ queues of the mesh, by name and Redis key prefix. The notification service owns
 * them (it adds and works the jobs); the gateway opens the same queues by name for Bull Board,
 * and the tests drain them. One list, so a queue added later shows up everywhere.
 */
export const BULL_QUEUE_NAMES = ['outbound', 'evidence-fetch'] as const;
export type BullQueueName = (typeof BULL_QUEUE_NAMES)[number];

/** The Redis key prefix of every BullMQ queue in a namespace. */
export function bullPrefix(names: Pick<Names, 'redisPrefix'>): string {
  return `${names.redisPrefix}:bull`;
}
