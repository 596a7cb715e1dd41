import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { Subscription } from 'nats';
import { Names, schedulerBroadcast } from '@zs/contracts';
import { PolicyProfile } from '@zs/domain';
import { ensureMeshStreams, JetStreamBus, LOGGER } from '@zs/platform';
import { quietHoursOf, SchedulerConfig } from './config';
import { NAMES, POLICY, SCHEDULER_CONFIG, SCORING_CLIENT } from './tokens';
import { ScheduleRepository } from './schedules/schedule.repository';
import { profileSchedules } from './schedules/profile-schedules';
import { ScheduleService } from './schedules/schedule.service';
import { RunRepository } from './fires/run.repository';
import { AudienceResolver } from './fires/audience';
import { DigestSender } from './fires/digest-sender';
import { ScoringClient } from './fires/scoring-client';
import { RunExecutor } from './fires/run-executor';
import { SlotClock } from './fires/slot-clock';
import { LedgerConsumer } from './ledger/ledger-consumer';
import { AccountabilityConsumer } from './accountability/accountability-consumer';
import { TripRepository } from './trips/trip.repository';
import { ScheduleChatHandler } from './chat/schedule-chat.handler';

/**
 * Wires the scheduler's parts and runs their lifecycle: seed the profile's schedules (once per
 * database), load them, start the clock, listen for changes from other replicas, consume ledger
 * events and scoring's accountability events (the first 约谈提醒), and flush digests held by quiet hours.
 */
@Injectable()
export class SchedulerCore implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly schedules: ScheduleRepository;
  readonly runs: RunRepository;
  readonly audience: AudienceResolver;
  readonly digests: DigestSender;
  readonly executor: RunExecutor;
  readonly clock: SlotClock;
  readonly service: ScheduleService;
  readonly trips: TripRepository;
  readonly chat: ScheduleChatHandler;
  private readonly ledger: LedgerConsumer;
  private readonly accountability: AccountabilityConsumer;
  private subs: Subscription[] = [];
  private flushTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: DataSource,
    private readonly bus: JetStreamBus,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(POLICY) private readonly policy: PolicyProfile,
    @Inject(NAMES) private readonly names: Names,
    @Inject(SCHEDULER_CONFIG) private readonly config: SchedulerConfig,
    @Inject(SCORING_CLIENT) scoringClient: ClientProxy,
  ) {
    const replica = config.SCHEDULER_REPLICA_ID;
    this.schedules = new ScheduleRepository(db);
    this.runs = new RunRepository(db);
    this.audience = new AudienceResolver(db);
    const quiet = quietHoursOf(config, policy.reminders?.quietHours);
    this.digests = new DigestSender(db, bus, names, policy.timezone, quiet, logger, config.DINGTALK_CLIENT_ID);
    const scoring = new ScoringClient(scoringClient, config.NATS_REQUEST_TIMEOUT_MS);
    this.executor = new RunExecutor(db, this.schedules, this.runs, this.audience, this.digests, scoring, policy, quiet, config.SCHEDULER_LEASE_MS, logger);
    this.clock = new SlotClock(
      this.schedules,
      this.runs,
      this.executor,
      { replica, tickMs: config.SCHEDULER_TICK_MS, leaseMs: config.SCHEDULER_LEASE_MS, pollMs: config.SCHEDULER_POLL_MS },
      logger,
    );
    this.service = new ScheduleService(this.schedules, this.runs, this.clock, this.audience, bus, config.NAMESPACE, policy, replica, config.SCHEDULER_LEASE_MS, logger, this.executor);
    this.trips = new TripRepository(db);
    this.chat = new ScheduleChatHandler(this.service, this.trips, policy);
    this.ledger = new LedgerConsumer(db, bus, names, logger);
    this.accountability = new AccountabilityConsumer(
      db,
      bus,
      names,
      { replica, leaseMs: config.SCHEDULER_LEASE_MS },
      (runId) => this.clock.runNow(runId),
      logger,
    );
  }

  async onApplicationBootstrap() {
    await ensureMeshStreams(this.bus, this.names);
    const seeded = await this.schedules.seedOnce(profileSchedules(this.policy));
    if (seeded) this.logger.info({ seeded }, 'schedules seeded from the profile');
    const b = schedulerBroadcast(this.config.NAMESPACE);
    this.subs.push(
      this.bus.nc.subscribe(b.changed, {
        callback: (_err, msg) => {
          try {
            const { id } = JSON.parse(Buffer.from(msg.data).toString('utf8'));
            void this.clock.reload(String(id)).catch((e) => this.logger.warn({ err: e }, 'reload after change failed; polling will retry'));
          } catch {
            /* malformed announcement: the poll catches the change */
          }
        },
      }),
      this.bus.nc.subscribe(b.state, {
        callback: (_err, msg) => {
          msg.respond(Buffer.from(JSON.stringify({ replica: this.config.SCHEDULER_REPLICA_ID, schedules: this.clock.versions() })));
        },
      }),
    );
    await this.clock.start();
    await this.ledger.start();
    await this.accountability.start();
    this.flushTimer = setInterval(
      () => void this.digests.flush().catch((e) => this.logger.warn({ err: e }, 'digest flush failed')),
      this.config.SCHEDULER_FLUSH_MS,
    );
  }

  async onApplicationShutdown() {
    if (this.flushTimer) clearInterval(this.flushTimer);
    for (const s of this.subs) s.unsubscribe();
    await this.clock.stop();
    await this.ledger.stop();
    await this.accountability.stop();
  }
}
