import { randomUUID } from 'crypto';
import { JSONCodec, NatsConnection } from 'nats';
import { RpcResult } from '@zs/contracts';

const codec = JSONCodec();

/**
 * Asks another service over core NATS request/reply in Nest's wire format ({pattern, data, id} →
 * {response, err}), with a timeout. Used for data scoring does not own (the robot registry).
 */
export async function meshRequest<T>(nc: NatsConnection, subject: string, data: unknown, timeoutMs = 5000): Promise<T> {
  const reply = await nc.request(subject, codec.encode({ pattern: subject, data, id: randomUUID() }), { timeout: timeoutMs });
  const body = codec.decode(reply.data) as { response?: RpcResult<T>; err?: unknown };
  if (body.err) throw new Error(`${subject} answered with an error`);
  const result = body.response as RpcResult<T>;
  if (!result || 'error' in result) throw new Error(`${subject}: ${result ? result.error.message : 'empty answer'}`);
  return result.ok;
}
