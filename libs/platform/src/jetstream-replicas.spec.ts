import type { StreamInfo } from 'nats';
import { effectiveStreamReplicas, isTransientJetStreamError } from './jetstream';

const info = (num_replicas: number, cluster?: { name?: string; replicas?: unknown[] }) =>
  ({ config: { num_replicas }, cluster }) as unknown as Pick<StreamInfo, 'config' | 'cluster'>;

describe('copies a JetStream stream really has', () => {
  it('is one on a single server, whatever the config says', () => {
    expect(effectiveStreamReplicas(info(3))).toBe(1);
    expect(effectiveStreamReplicas(info(3, { replicas: [] }))).toBe(1);
  });

  it('is the configured count on a cluster holding it on that many servers, offline ones included', () => {
    expect(effectiveStreamReplicas(info(3, { name: 'c', replicas: [{ name: 'n2' }, { name: 'n3', offline: true }] }))).toBe(3);
    expect(effectiveStreamReplicas(info(1, { name: 'c' }))).toBe(1);
  });
});

describe('JetStream API failures worth retrying at boot', () => {
  it('retries timeouts, no responders and leader elections', () => {
    expect(isTransientJetStreamError(Object.assign(new Error('TIMEOUT'), { code: 'TIMEOUT' }))).toBe(true);
    expect(isTransientJetStreamError(Object.assign(new Error('503'), { code: '503' }))).toBe(true);
    expect(isTransientJetStreamError(new Error('JetStream system temporarily unavailable'))).toBe(true);
  });

  it('does not retry a wrong request', () => {
    expect(isTransientJetStreamError(new Error('subjects overlap with an existing stream'))).toBe(false);
    expect(isTransientJetStreamError(new Error('stream not found'))).toBe(false);
  });
});
