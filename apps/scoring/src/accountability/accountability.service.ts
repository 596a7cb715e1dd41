import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { AccountabilityActionView, AccountabilityRaisedEvent, InterviewHeldInput, Names } from '@zs/contracts';
import { AccountabilityAction, AssessmentPeriod, evaluateLadder, GroupRanking, PolicyProfile, previousPeriod } from '@zs/domain';
import { JetStreamBus, LOGGER } from '@zs/platform';
import { DirectoryReader } from '../directory/directory.reader';
import { NoticeSender } from '../rankings/notice-sender';
import { RankingService } from '../rankings/ranking.service';
import { RpcNotFound } from '../rpc/rpc-result';
import { NAMES, POLICY } from '../tokens';

export type AccountabilityView = AccountabilityActionView;

/**
 * Runs the profile's ladder over the published rank history after each publication, records each
 * action once (rule, period, unit), alerts the people named and records when the interview was held.
 */
@Injectable()
export class AccountabilityService {
  constructor(
    private readonly ds: DataSource,
    private readonly rankings: RankingService,
    private readonly directory: DirectoryReader,
    private readonly notices: NoticeSender,
    private readonly bus: JetStreamBus,
    @Inject(POLICY) private readonly policy: PolicyProfile,
    @Inject(NAMES) private readonly names: Names,
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
      const rows = await this.ds.query(
        `INSERT INTO accountability_actions (rule_key, period, year, unit_id, action_type, convener, convener_post, interviewee, interviewee_role,
                                             reason, deadline, ranking_version)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)
         ON CONFLICT (rule_key, period, unit_id) DO NOTHING RETURNING id::text AS id`,
        [a.action, a.period, period.year, unit.id, a.actionType, a.convener, a.convenerPost, a.interviewee, a.intervieweeRole, a.reason, a.deadline, rankingVersion],
      );
      if (!rows[0]) continue; // raised before (an earlier version of this period's ranking)
      const view = await this.get(rows[0].id);
      raised.push(view);
      await this.alert(rows[0].id, a, unit.id);
      const event: AccountabilityRaisedEvent = {
        id: view.id,
        period: view.period,
        unit: view.unit,
        action: view.action,
        convener: view.convener,
        interviewee: view.interviewee,
        reason: view.reason,
        deadline: view.deadline,
      };
      await this.bus.publish(this.names.subjects.accountabilityRaised, event, `accountability:${view.id}`);
    }
    if (raised.length) this.logger.info({ period: period.key, raised: raised.length }, 'accountability actions raised');
    return raised;
  }

  /** 约谈提醒 to the convener (members holding the post) and to the unit's people named by the rule. */
  private async alert(id: string, a: AccountabilityAction, unitId: string) {
    const conveners = a.convenerPost ? await this.directory.leaders([a.convenerPost]) : [];
    const roles = a.intervieweeRole === 'unit' ? ['head', 'deputy'] : [a.intervieweeRole];
    const interviewees = await this.directory.membersOfUnits([unitId], roles);
    const intervieweeNames = interviewees.map((m) => m.name).join('、') || a.interviewee;
    const deadline = a.deadline ? `，请于 ${a.deadline} 前完成` : '';
    const text = (who: 'convener' | 'interviewee') => ({
      title: `约谈提醒：${a.unitName}`,
      blocks: [
        {
          kind: 'paragraph' as const,
          tone: 'warning' as const,
          text:
            who === 'convener'
              ? `**约谈提醒**：${a.unitName}${a.reason}。请${a.convener}约谈${a.interviewee}（${intervieweeNames}）${deadline}。`
              : `**约谈提醒**：${a.unitName}${a.reason}。${a.convener}将约谈${a.interviewee}（${intervieweeNames}）${deadline}，请做好准备。`,
        },
        { kind: 'list' as const, items: [`依据：${this.policy.policyTitle} ${a.source}`, `考核期：${a.period}`] },
      ],
    });
    await this.notices.sendToPeople(`accountability:${id}:convener`, conveners, text('convener'));
    await this.notices.sendToPeople(`accountability:${id}:interviewee`, interviewees, text('interviewee'));
  }

  private select = `SELECT a.id::text AS id, a.period, u.profile_key AS "unitKey", u.id::text AS "unitId", u.name AS "unitName", a.rule_key AS action,
      a.action_type AS "actionType", a.convener, a.interviewee, a.reason, to_char(a.deadline, 'YYYY-MM-DD') AS deadline, a.status,
      to_char(a.held_at, 'YYYY-MM-DD') AS "heldAt", a.note, a.ranking_version AS "rankingVersion"
    FROM accountability_actions a JOIN directory_units_v u ON u.id = a.unit_id`;

  private shape(r: Record<string, any>): AccountabilityView {
    const { unitKey, unitId, ...rest } = r;
    return { ...rest, unit: unitKey ?? `unit-${unitId}` } as AccountabilityView;
  }

  async get(id: string): Promise<AccountabilityView> {
    const rows = await this.ds.query(`${this.select} WHERE a.id = $1`, [id]);
    if (!rows[0]) throw new RpcNotFound(`no accountability action ${id}`);
    return this.shape(rows[0]);
  }

  async list(year: number): Promise<AccountabilityView[]> {
    const rows = await this.ds.query(`${this.select} WHERE a.year = $1 ORDER BY a.period, a.rule_key, u.name`, [year]);
    return rows.map((r: Record<string, any>) => this.shape(r));
  }

  async recordHeld(id: string, input: InterviewHeldInput, by: string): Promise<AccountabilityView> {
    const rows = await this.ds.query(
      `UPDATE accountability_actions SET status = 'held', held_at = $2::date, note = $3 WHERE id = $1 RETURNING id`,
      [id, input.heldAt.slice(0, 10), input.note ?? null],
    );
    if (!rows[0]) throw new RpcNotFound(`no accountability action ${id}`);
    await this.ds.query(`INSERT INTO scoring_audit (action, subject, detail) VALUES ('interview-held', $1, $2)`, [id, JSON.stringify({ by, ...input })]);
    return this.get(id);
  }
}
