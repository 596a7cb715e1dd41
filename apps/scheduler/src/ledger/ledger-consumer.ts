import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { LeadSnapshot, Names } from '@zs/contracts';
import { JetStreamBus, RunningConsumer } from '@zs/platform';

/**
 * The scheduler's read model of the project ledger: one row per lead with when it last moved,
 * upserted from lead-intake's events (the highest version wins, so order and redelivery do not
 * matter). Stale-project reminders, meeting agendas and lead quotas read it.
 */
export class LedgerConsumer {
  private running: RunningConsumer | null = null;

  constructor(
    private readonly db: DataSource,
    private readonly bus: JetStreamBus,
    private readonly names: Names,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    this.running = await this.bus.consume<Record<string, unknown>>({
      stream: this.names.streams.events.name,
      durable: this.names.durables.schedulerLedger,
      filterSubject: `${this.names.subjects.eventsAll.replace(/>$/, '')}lead.>`,
      maxDeliver: 20,
      ackWaitMs: 30000,
      concurrency: 4,
      handler: (payload, meta) => this.apply(payload, meta.subject),
    });
  }

  async stop(): Promise<void> {
    await this.running?.stop();
  }

  async apply(payload: Record<string, unknown>, subject: string): Promise<void> {
    const snap = LeadSnapshot.safeParse(payload.lead);
    if (snap.success) {
      const l = snap.data;
      const movedAt = Number(payload.date ?? payload.at ?? l.updatedAt ?? l.registeredAt);
      await this.upsert({
        leadId: l.leadId,
        code: l.code,
        companyName: l.companyName,
        tier: l.tier,
        ownerUnitId: l.ownerUnitId,
        firstContactUnitId: l.firstContactUnitId,
        stage: l.stage,
        registeredAt: l.registeredAt,
        movedAt,
        version: l.version,
      });
      return;
    }
    // The first registration event (messages.ts LeadRegisteredEvent) carries no snapshot.
    if (subject === this.names.subjects.leadRegistered && typeof payload.leadId === 'string') {
      const at = Number(payload.registeredAt);
      await this.upsert({
        leadId: payload.leadId,
        code: String(payload.code ?? payload.leadId),
        companyName: String(payload.companyName ?? payload.code ?? ''),
        tier: String(payload.tier ?? 'general'),
        ownerUnitId: String(payload.ownerUnitId),
        firstContactUnitId: String(payload.firstContactUnitId ?? payload.ownerUnitId),
        stage: 'lead',
        registeredAt: at,
        movedAt: at,
        version: 0,
      });
      return;
    }
    this.logger.debug({ subject }, 'ledger event without a lead snapshot ignored');
  }

  private async upsert(r: {
    leadId: string;
    code: string;
    companyName: string;
    tier: string;
    ownerUnitId: string;
    firstContactUnitId: string;
    stage: string;
    registeredAt: number;
    movedAt: number;
    version: number;
  }): Promise<void> {
    await this.db.query(
      `INSERT INTO scheduler_lead_activity (lead_id, code, company_name, tier, owner_unit_id, first_contact_unit_id, stage, registered_at, last_moved_at, version)
       VALUES ($1,$2,$3,$4,$5,$6,$7,to_timestamp($8::double precision / 1000),to_timestamp($9::double precision / 1000),$10)
       ON CONFLICT (lead_id) DO UPDATE SET code = EXCLUDED.code, company_name = EXCLUDED.company_name, tier = EXCLUDED.tier,
         owner_unit_id = EXCLUDED.owner_unit_id, first_contact_unit_id = EXCLUDED.first_contact_unit_id, stage = EXCLUDED.stage,
         last_moved_at = greatest(scheduler_lead_activity.last_moved_at, EXCLUDED.last_moved_at), version = EXCLUDED.version
       WHERE EXCLUDED.version >= scheduler_lead_activity.version`,
      [r.leadId, r.code, r.companyName, r.tier, r.ownerUnitId, r.firstContactUnitId, r.stage, r.registeredAt, r.movedAt, r.version],
    );
  }
}
