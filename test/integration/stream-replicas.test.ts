import crypto from 'crypto';
import { connect, NatsConnection, StorageType } from 'nats';
import { namesFor } from '@zs/contracts';
import { createDatabaseFromTemplate, dropDatabase } from '@zs/persistence';
import { freePort, waitFor } from '../support/harness';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Mesh, httpGet } = require('../../scripts/lib/mesh');

/**
 * A stream with fewer replicas than JETSTREAM_REPLICAS (e.g. created by an older version,
 * and nobody ran streams.sh): every service says so loudly, and reports not ready when the
 * deployment requires the replicas. The shared single-node NATS can only hold one replica,
 * which is exactly the situation to detect.
 */
describe('stream replicas below what the deployment asks for', () => {
  const ns = `r${crypto.randomBytes(4).toString('hex')}`;
  const names = namesFor(ns);
  // scoring reads its own tables from boot, so it gets a migrated database of its own.
  const databaseUrl = `postgres://postgres@127.0.0.1:5432/zs_test_${ns}`;
  let nc: NatsConnection;
  const meshes: { stopAll(): Promise<void> }[] = [];

  beforeAll(async () => {
    await createDatabaseFromTemplate(databaseUrl);
    nc = await connect({ servers: 'nats://127.0.0.1:4222' });
    const jsm = await nc.jetstreamManager();
    // Every mesh stream exists already with one replica (an older deployment): the service
    // only finds them short, it never tries to create one it cannot have on a single node.
    for (const st of Object.values(names.streams)) {
      await jsm.streams.add({ name: st.name, subjects: st.subjects, storage: StorageType.File, num_replicas: 1 });
    }
  });

  afterAll(async () => {
    for (const m of meshes) await m.stopAll();
    const jsm = await nc.jetstreamManager();
    for (const s of Object.values(names.streams)) await jsm.streams.delete(s.name).catch(() => undefined);
    await nc.close();
    await dropDatabase(databaseUrl).catch(() => undefined);
  });

  // JETSTREAM_REPLICAS is the name; NATS_STREAM_REPLICAS its older alias, still honoured.
  const scoring = async (required: boolean, replicasVar = 'JETSTREAM_REPLICAS') => {
    const port = await freePort();
    const logs: string[] = [];
    const mesh = new Mesh({
      env: {
        NODE_ENV: 'test',
        NAMESPACE: ns,
        DATABASE_URL: databaseUrl,
        NATS_URL: 'nats://127.0.0.1:4222',
        SCORING_PORT: String(port),
        [replicasVar]: '3',
        NATS_REQUIRE_STREAM_REPLICAS: String(required),
      },
      onLine: (_: string, line: string) => logs.push(line),
    });
    meshes.push(mesh);
    mesh.start('scoring');
    return { port, logs, mesh };
  };

  it('is not ready while required replicas are missing, and says which stream and how many', async () => {
    const s = await scoring(true);
    const r = await waitFor(async () => {
      const res = await httpGet(`http://127.0.0.1:${s.port}/health/ready`);
      return res.status === 503 && res.body.includes('stream-replicas') ? res : null;
    }, 60000, 'readiness 503 for stream replicas');
    expect(JSON.parse(r.body).checks['stream-replicas']).toContain(`${names.streams.chatInbound.name} has 1 of 3 replicas`);
    await waitFor(() => s.logs.find((l) => l.includes('"level":"error"') && l.includes('fewer than JETSTREAM_REPLICAS=3')), 10000, 'the error log line');
  });

  it('stays ready when replicas are only recommended, but still logs the error', async () => {
    const s = await scoring(false, 'NATS_STREAM_REPLICAS');
    await s.mesh.waitReady('scoring', 60000);
    const line = await waitFor(() => s.logs.find((l) => l.includes('fewer than JETSTREAM_REPLICAS=3')), 10000, 'the error log line');
    expect(JSON.parse(line)).toMatchObject({ level: 'error', stream: names.streams.chatInbound.name, replicas: 1, required: 3 });
  });
});
