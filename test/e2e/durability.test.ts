import { namesFor } from '@zs/contracts';
import { consumerOf, waitForDrained } from '../support/drain';
import { startSystem, TestSystem, waitFor } from '../support/harness';

/**
 * Kill services mid-burst (SIGKILL: no graceful shutdown), restart them, and check that
 * every message WeCom got a 200 for is registered exactly once and answered exactly once.
 * Each crash is shown to have hit work in progress, and the redeliveries it caused are
 * counted, so "exactly once" is never proven by a crash that found nothing to do.
 */
describe('durability under crashes', () => {
  let sys: TestSystem;

  beforeAll(async () => {
    // WeCom itself retries a callback three times; this simulated WeCom keeps retrying long
    // enough to outlast a gateway restart, so that every message is eventually accepted and
    // the counts below are exact. What is under test (a 200 means registered once) does not
    // depend on how long WeCom retries.
    sys = await startSystem({ wecomSim: { maxAttempts: 240, retryDelayMs: 500 } });
  }, 180000);

  afterAll(async () => {
    await sys?.stop();
  });

  it('registers and answers every accepted message exactly once when lead-intake, the gateway and notification crash', async () => {
    const members: string[] = (
      await sys.db.query(`SELECT wecom_user_id AS u FROM members WHERE wecom_user_id IS NOT NULL ORDER BY id LIMIT 30`)
    ).rows.map((r: { u: string }) => r.u);
    const total = 120;
    const half = total / 2;
    // Names that share no more than their suffix: names differing in one digit would be near
    // matches (possible duplicates, pg_trgm) that wait for 确认新企业 instead of registering.
    const distinct = (i: number) => Array.from({ length: 4 }, (_, k) => String.fromCharCode(0x5b00 + i * 4 + k)).join('');
    const companies = Array.from({ length: total }, (_, i) => `样例${distinct(i)}科技有限公司`);
    const leadCount = async () => (await sys.db.query(`SELECT count(*)::int AS n FROM leads`)).rows[0].n as number;
    const answered = () =>
      sys.sim.delivered().filter((d) => d.kind === 'app' && d.status === 'delivered' && companies.some((c) => d.content.includes(c)));
    const send = (i: number) =>
      sys.sim.sendText(members[i % members.length], `报线索 企业：${companies[i]} 行业：新材料 投资额：${1000 + i}万元 内容：第${i}号样例项目`);

    // 1. The first half at once; lead-intake is killed while it is registering them.
    const firstHalf = Array.from({ length: half }, (_, i) => send(i));
    await waitFor(async () => (await leadCount()) >= 5, 30000, 'first leads registered');
    await sys.mesh.stop('lead-intake', 'SIGKILL');
    const leadsAtCrash = await leadCount();
    expect((await Promise.all(firstHalf)).every((r) => r.acked)).toBe(true);
    // The kill landed mid-burst: some leads were registered, and some of the first half were not yet.
    expect(leadsAtCrash).toBeGreaterThanOrEqual(5);
    expect(leadsAtCrash).toBeLessThan(half);

    // 2. The second half while lead-intake is down, four callbacks at a time; the gateway is
    // killed (and restarted) once fifteen of them were accepted, with others on the wire.
    let accepted = 0;
    let gatewayCrash: Promise<void> | undefined;
    const crashGateway = async () => {
      await sys.mesh.stop('bot-gateway', 'SIGKILL');
      sys.mesh.start('bot-gateway');
      await sys.mesh.waitReady('bot-gateway', 60000);
    };
    let next = half;
    const sender = async () => {
      const results = [];
      while (next < total) {
        const r = await send(next++);
        results.push(r);
        if (r.acked && ++accepted === 15) gatewayCrash = crashGateway();
      }
      return results;
    };
    const secondHalf = (await Promise.all([sender(), sender(), sender(), sender()])).flat();
    await gatewayCrash;
    expect(secondHalf).toHaveLength(half);
    expect(secondHalf.every((r) => r.acked)).toBe(true);
    // Callbacks that met the dead gateway were retried by WeCom and accepted by the restarted one.
    const retried = secondHalf.filter((r) => r.attempts > 1).length;
    expect(retried).toBeGreaterThan(0);
    // Nothing was registered while lead-intake was down: the gateway held it all in JetStream.
    expect(await leadCount()).toBe(leadsAtCrash);

    // 3. lead-intake comes back; notification is killed while the answers are going out.
    const answeredBeforeRestart = answered().length;
    sys.mesh.start('lead-intake');
    await waitFor(() => answered().length >= answeredBeforeRestart + 10, 60000, 'answers flowing again');
    await sys.mesh.stop('notification', 'SIGKILL');
    const answeredAtCrash = answered().length;
    expect(answeredAtCrash).toBeLessThan(total);
    sys.mesh.start('notification');
    await Promise.all([sys.mesh.waitReady('lead-intake', 60000), sys.mesh.waitReady('notification', 60000)]);

    // Count only once nothing is left in any stream or queue: a late duplicate would be here by now.
    const drained = await waitForDrained(sys.env, 120000);
    const names = namesFor(sys.env.NAMESPACE);
    const inbound = consumerOf(drained, names.durables.leadIntakeInbound);
    const notify = consumerOf(drained, names.durables.notificationSend);
    const outbound = drained.queues.find((q) => q.queue === 'outbound');
    // eslint-disable-next-line no-console
    console.log(
      `durability figures: ${JSON.stringify({
        total,
        leadsAtLeadIntakeCrash: leadsAtCrash,
        callbacksRetriedAfterGatewayCrash: retried,
        answersAtNotificationCrash: answeredAtCrash,
        inboundRedeliveries: inbound.redelivered,
        notifyRedeliveries: notify.redelivered,
        outboundJobsStalled: outbound?.stalled,
      })}`,
    );
    // The lead-intake crash left messages delivered and unacknowledged: JetStream delivered them again.
    expect(inbound.messages).toBe(total);
    expect(inbound.redelivered).toBeGreaterThan(0);
    // The notification crash left work behind too: send requests redelivered, or jobs that stalled.
    expect(notify.redelivered + (outbound?.stalled ?? 0)).toBeGreaterThan(0);

    const perCompany = await sys.db.query(`SELECT company_name, count(*)::int AS n FROM leads GROUP BY company_name`);
    expect(perCompany.rows).toHaveLength(total);
    expect(perCompany.rows.every((r: { n: number }) => r.n === 1)).toBe(true);
    // Exactly one answer per company: a retry after a crash must not reach a person twice.
    for (const c of companies) {
      expect(answered().filter((d) => d.content.includes(c))).toHaveLength(1);
    }
    const stored = await sys.db.query(`SELECT count(*)::int AS n FROM inbound_messages`);
    expect(stored.rows[0].n).toBe(total);
  }, 420000);
});
