import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';
import { AccountabilityActionView, AccountabilityRaisedEvent, InterviewHeldInput } from '@zs/contracts';
import { AssessmentPeriod, evaluateLadder, GroupRanking, PolicyProfile, previousPeriod } from '@zs/domain';
import { LOGGER } from '@zs/platform';
import { DirectoryReader } from '../directory/directory.reader';
import { ScoringOutbox } from '../events/scoring-outbox';
import { RankingService } from '../rankings/ranking.service';
import { RpcNotFound } from '../rpc/rpc-result';
import { POLICY } from '../tokens';

export type AccountabilityView = AccountabilityActionView;

/**
 * Runs the profile's ladder over the published rank history after each publication, records each
 * action once (rule, period, unit) with its `accountabilityRaised` event in the same transaction,
 * and records when the interview was held (`accountabilityHeld`). The scheduler owns the 约谈提醒
 * itself (first alert, daily repeats while open, digest and quiet hours): scoring sends none.
 */
@Injectable()
export class AccountabilityService {
  constructor(
    private readonly ds: DataSource,
    private readonly rankings: RankingService,
    private readonly directory: DirectoryReader,
    private readonly outbox: ScoringOutbox,
    @Inject(POLICY) private readonly policy: PolicyProfile,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async evaluate(period: AssessmentPeriod, rankingVersion: number): Promise<AccountabilityView[]> {
    const depth = Math.max(1, ...this.policy.accountability.map((r) => r.trigger.consecutive));
    const history = new Map<string, GroupRanking[]>();
    let p = period;
    for (let i = 0; i < depth; i++) {
      const groups = await this.rankings.publishedGroups(p.key);
      if (groups) history.set(p.key, groups);
      p = previousPeriod(p);
    }
    const actions = evaluateLadder(this.policy.accountability, period, (k) => history.get(k));
    const units = await this.directory.units();
    const raised: AccountabilityView[] = [];
    for (const a of actions) {
      const unit = units.find((u) => u.key === a.unit);
      if (!unit) continue;
      // The action and its event commit together; the scheduler owns the alert (one owner, no double alert).
      const written = await this.ds.transaction(async (em) => {
        const rows = await em.query(
          `INSERT INTO accountability_actions (rule_key, period, year, unit_id, action_type, convener, convener_post, interviewee, interviewee_role,
                                               reason, deadline, ranking_version)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)
           ON CONFLICT (rule_key, period, unit_id) DO NOTHING RETURNING id::text AS id, (extract(epoch FROM created_at) * 1000)::float8 AS "raisedAt"`,
          [a.action, a.period, period.year, unit.id, a.actionType, a.convener, a.convenerPost, a.interviewee, a.intervieweeRole, a.reason, a.deadline, rankingVersion],
        );
        if (!rows[0]) return null; // raised before (an earlier version of this period's ranking)
        const view = await this.get(rows[0].id, em);
        const event = { ...this.eventOf(view, { unitId: unit.id, convenerPost: a.convenerPost, intervieweeRole: a.intervieweeRole, actionType: a.actionType }), raisedAt: Number(rows[0].raisedAt) };
        const outboxId = await this.outbox.add(em, 'accountabilityRaised', `accountability:${view.id}`, event);
        return { view, outboxId };
      });
      if (!written) continue;
      raised.push(written.view);
      await this.outbox.publishIds([written.outboxId]);
    }
    if (raised.length) this.logger.info({ period: period.key, raised: raised.length }, 'accountability actions raised');
    return raised;
  }

  private eventOf(
    view: AccountabilityView,
    ladder: { unitId: string; convenerPost: string | null; intervieweeRole: string; actionType: string },
  ): AccountabilityRaisedEvent {
    return {
      id: view.id,
      period: view.period,
      unit: view.unit,
      unitId: ladder.unitId,
      unitName: view.unitName,
      action: view.action,
      actionType: ladder.actionType,
      convener: view.convener,
      convenerPost: ladder.convenerPost,
      interviewee: view.interviewee,
      intervieweeRole: ladder.intervieweeRole as AccountabilityRaisedEvent['intervieweeRole'],
      reason: view.reason,
      deadline: view.deadline,
      status: view.status,
      heldAt: view.heldAt,
    };
  }

  private select = `SELECT a.id::text AS id, a.period, u.profile_key AS "unitKey", u.id::text AS "unitId", u.name AS "unitName", a.rule_key AS action,
      a.action_type AS "actionType", a.convener, a.interviewee, a.reason, to_char(a.deadline, 'YYYY-MM-DD') AS deadline, a.status,
      to_char(a.held_at, 'YYYY-MM-DD') AS "heldAt", a.note, a.ranking_version AS "rankingVersion"
    FROM accountability_actions a JOIN directory_units_v u ON u.id = a.unit_id`;

  private shape(r: Record<string, any>): AccountabilityView {
    const { unitKey, unitId, ...rest } = r;
    return { ...rest, unit: unitKey ?? `unit-${unitId}` } as AccountabilityView;
  }

  async get(id: string, em: EntityManager = this.ds.manager): Promise<AccountabilityView> {
    const rows = await em.query(`${this.select} WHERE a.id = $1`, [id]);
    if (!rows[0]) throw new RpcNotFound(`no accountability action ${id}`);
    return this.shape(rows[0]);
  }

  async list(year: number): Promise<AccountabilityView[]> {
    const rows = await this.ds.query(`${this.select} WHERE a.year = $1 ORDER BY a.period, a.rule_key, u.name`, [year]);
    return rows.map((r: Record<string, any>) => this.shape(r));
  }

  async recordHeld(id: string, input: InterviewHeldInput, by: string): Promise<AccountabilityView> {
    const { view, outboxId } = await this.ds.transaction(async (em) => {
      const rows = await em.query(
        `UPDATE accountability_actions SET status = 'held', held_at = $2::date, note = $3 WHERE id = $1
         RETURNING unit_id::text AS "unitId", convener_post AS "convenerPost", interviewee_role AS "intervieweeRole", action_type AS "actionType"`,
        [id, input.heldAt.slice(0, 10), input.note ?? null],
      );
      // TypeORM answers an UPDATE … RETURNING with [rows, affected].
      const updated = (Array.isArray(rows[0]) ? rows[0] : rows)[0];
      if (!updated) throw new RpcNotFound(`no accountability action ${id}`);
      await em.query(`INSERT INTO scoring_audit (action, subject, detail) VALUES ('interview-held', $1, $2)`, [id, JSON.stringify({ by, ...input })]);
      const v = await this.get(id, em);
      // The scheduler stops repeating the alert once it hears this.
      const outboxId = await this.outbox.add(em, 'accountabilityHeld', `accountability:${id}:held:${v.heldAt}`, this.eventOf(v, updated));
      return { view: v, outboxId };
    });
    await this.outbox.publishIds([outboxId]);
    return view;
  }
}
