import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { Names, RankingPublishedEvent } from '@zs/contracts';
import {
  AssessmentPeriod,
  cumulativeWindowMs,
  GroupRanking,
  PolicyProfile,
  rankingChanges,
  rankPeriod,
  scoredIndicators,
  timeProgress,
} from '@zs/domain';
import { JetStreamBus, LOGGER } from '@zs/platform';
import { DirectoryReader, DirectoryUnit } from '../directory/directory.reader';
import { FiguresService } from '../figures/figures.service';
import { LeadReadModel } from '../read-model/lead-read-model';
import { utcOffsetMinutes } from '../time-zone';
import { NAMES, POLICY } from '../tokens';
import { SheetsService } from '../sheets/sheets.service';
import { NoticeSender } from './notice-sender';
import { cityNotice, unitNotice } from './ranking-notice';

export interface RankingVersion {
  period: string;
  version: number;
  groups: GroupRanking[];
  changes: string[];
  publishedAt: string;
  publishedBy: string | null;
}

export interface RankingView {
  period: string;
  label: string;
  /** published: the immutable snapshot of `version`; draft: computed now, never published */
  status: 'published' | 'draft';
  version: number | null;
  publishedAt: string | null;
  timeProgress: number;
  changes: string[];
  groups: GroupRanking[];
  /** for a published ranking: the figures have changed since (publish again to make a new version) */
  outdated?: boolean;
}

/** JSON with sorted keys: jsonb does not keep key order, so versions are compared in this form. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v as object)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

const keyed = (byId: Map<string, Map<string, number>>, units: DirectoryUnit[]) => {
  const keyById = new Map(units.map((u) => [u.id, u.key]));
  return new Map([...byId].map(([id, v]) => [keyById.get(id) ?? `unit-${id}`, v]));
};

/** Computes rankings from targets, results and the ledger; keeps published versions immutable. */
@Injectable()
export class RankingService {
  constructor(
    private readonly ds: DataSource,
    private readonly directory: DirectoryReader,
    private readonly figures: FiguresService,
    private readonly leads: LeadReadModel,
    private readonly notices: NoticeSender,
    private readonly bus: JetStreamBus,
    private readonly sheets: SheetsService,
    @Inject(POLICY) private readonly policy: PolicyProfile,
    @Inject(NAMES) private readonly names: Names,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** The ranking as the figures stand now. */
  async compute(period: AssessmentPeriod): Promise<GroupRanking[]> {
    const units = await this.directory.units();
    const window = cumulativeWindowMs(period, utcOffsetMinutes(this.policy.timezone));
    const [targets, reported, computed, exemptions] = await Promise.all([
      this.figures.targets(period.year),
      this.figures.actuals(period),
      this.leads.computedIndicators(this.policy.indicators, window),
      this.figures.exemptions(period),
    ]);
    // Ledger-computed indicators replace anything typed in for them; units without projects have 0.
    const actuals = keyed(reported, units);
    const computedByKey = keyed(computed, units);
    const computedIndicators = this.policy.indicators.filter((i) => i.computed);
    for (const u of units.filter((x) => x.ranked)) {
      const values = actuals.get(u.key) ?? new Map<string, number>();
      for (const ind of computedIndicators) {
        const v = computedByKey.get(u.key)?.get(ind.key);
        if (v !== undefined) values.set(ind.key, v);
        else if (ind.computed?.metric.endsWith('-rate')) values.delete(ind.key);
        else values.set(ind.key, 0);
      }
      actuals.set(u.key, values);
    }
    const ex = new Map([...exemptions].map(([id, reason]) => [units.find((u) => u.id === id)?.key ?? `unit-${id}`, reason]));
    return rankPeriod(this.policy, period, {
      units: units.filter((u) => u.ranked).map((u) => ({ key: u.key, name: u.name, kind: u.kind, flags: u.flags })),
      targets: keyed(targets, units),
      actuals,
      exemptions: ex,
    });
  }

  async latestVersion(periodKey: string, version?: number): Promise<RankingVersion | null> {
    const rows = await this.ds.query(
      `SELECT period, version, groups, changes, published_at AS "publishedAt", published_by AS "publishedBy"
       FROM ranking_versions WHERE period = $1 AND ($2::int IS NULL OR version = $2) ORDER BY version DESC LIMIT 1`,
      [periodKey, version ?? null],
    );
    if (!rows[0]) return null;
    return { ...rows[0], publishedAt: new Date(rows[0].publishedAt).toISOString() };
  }

  async view(period: AssessmentPeriod, opts: { live?: boolean; version?: number }): Promise<RankingView | null> {
    const tp = Math.round(timeProgress(period) * 1000) / 10;
    const published = opts.live ? null : await this.latestVersion(period.key, opts.version);
    if (opts.version && !published) return null;
    if (published) {
      const now = opts.version ? undefined : canonical(await this.compute(period)) !== canonical(published.groups);
      return {
        period: period.key,
        label: period.label,
        status: 'published',
        version: published.version,
        publishedAt: published.publishedAt,
        timeProgress: tp,
        changes: published.changes,
        groups: published.groups,
        ...(now === undefined ? {} : { outdated: now }),
      };
    }
    return { period: period.key, label: period.label, status: 'draft', version: null, publishedAt: null, timeProgress: tp, changes: [], groups: await this.compute(period) };
  }

  /**
   * Publishes: a new immutable version when the figures changed since the last one (saying what
   * changed), else the same version again; then the notices, the event and the ladder.
   */
  async publish(period: AssessmentPeriod, by: string): Promise<{ version: RankingVersion; created: boolean; notices: number }> {
    const groups = await this.compute(period);
    let created = false;
    let version: RankingVersion | null = null;
    for (let attempt = 0; attempt < 5 && !version; attempt++) {
      const latest = await this.latestVersion(period.key);
      if (latest && canonical(latest.groups) === canonical(groups)) {
        version = latest;
        break;
      }
      const next = (latest?.version ?? 0) + 1;
      const moved = latest ? rankingChanges(latest.groups, groups) : [];
      // Figures can change without moving a rank or a score (e.g. above the cap): say so rather than nothing.
      const changes = latest && !moved.length ? ['分项指标数据更正，各单位名次与得分不变'] : moved;
      const rows = await this.ds.query(
        `INSERT INTO ranking_versions (period, version, groups, changes, published_by) VALUES ($1,$2,$3,$4,$5)
         ON CONFLICT (period, version) DO NOTHING RETURNING published_at AS "publishedAt"`,
        [period.key, next, JSON.stringify(groups), JSON.stringify(changes), by],
      );
      if (!rows[0]) continue; // another replica published this version at the same moment: read again
      await this.ds.query(`INSERT INTO scoring_audit (action, subject, detail) VALUES ('ranking-published', $1, $2)`, [
        period.key,
        JSON.stringify({ by, version: next, changes }),
      ]);
      version = { period: period.key, version: next, groups, changes, publishedAt: new Date(rows[0].publishedAt).toISOString(), publishedBy: by };
      created = true;
    }
    if (!version) throw new Error(`could not publish ${period.key}: versions kept colliding`);
    const notices = await this.sendNotices(period, version);
    const event: RankingPublishedEvent = {
      period: period.key,
      version: version.version,
      publishedAt: Date.parse(version.publishedAt),
      groups: version.groups.map((g) => ({ group: g.group, units: g.rows.map((r) => ({ unit: r.unit, rank: r.rank, score: r.score })) })),
      changes: version.changes,
    };
    await this.bus.publish(this.names.subjects.rankingPublished, event, `ranking-published:${period.key}:${version.version}`);
    this.logger.info({ period: period.key, version: version.version, created, notices }, 'ranking published');
    return { version, created, notices };
  }

  /** City-wide table to unit-less robots and to leaders and administrators; each unit its own row. */
  private async sendNotices(period: AssessmentPeriod, v: RankingVersion): Promise<number> {
    const units = await this.directory.units();
    const unitByKey = new Map(units.map((u) => [u.key, u]));
    const indicators = scoredIndicators(this.policy);
    const indicatorNames = Object.fromEntries(this.policy.indicators.map((i) => [i.key, i.name]));
    // A group in which nobody could be ranked (no targets or figures yet) is left out of the notices.
    const groups = v.groups.filter((g) => g.rows.some((r) => r.rank !== null));
    if (!groups.length) return 0;
    const city = cityNotice({
      cityName: this.policy.cityName,
      period,
      version: v.version,
      groups,
      indicators,
      changes: v.changes,
      timeProgress: Math.round(timeProgress(period) * 1000) / 10,
    });
    const base = `ranking:${period.key}:v${v.version}`;
    let sent = 0;
    const robots = await this.notices.robots();
    // The Excel sheet goes with the city table where the platform takes files (WeCom group robots).
    const sheet = robots.some((r) => !r.unitId && r.platform === 'wecom')
      ? await this.sheets.rankingSheet({
          period: period.key,
          label: period.label,
          status: 'published',
          version: v.version,
          publishedAt: v.publishedAt,
          timeProgress: Math.round(timeProgress(period) * 1000) / 10,
          changes: v.changes,
          groups,
        })
      : undefined;
    for (const r of robots.filter((x) => !x.unitId)) {
      await this.notices.send(`${base}:robot:${r.id}`, NoticeSender.robotTarget(r), city, r.platform === 'wecom' ? sheet : undefined);
      sent++;
    }
    sent += await this.notices.sendToPeople(`${base}:app:city`, await this.directory.cityReaders(), city);
    const rankedUnitIds = groups.flatMap((g) => g.rows.map((r) => unitByKey.get(r.unit)?.id)).filter((x): x is string => !!x);
    const people = await this.directory.membersOfUnits(rankedUnitIds, ['head', 'deputy']);
    for (const g of groups) {
      for (const row of g.rows) {
        const unit = unitByKey.get(row.unit);
        if (!unit) continue;
        const message = unitNotice({ cityName: this.policy.cityName, period, version: v.version, group: g, row, indicatorNames });
        for (const r of robots.filter((x) => x.unitId === unit.id)) {
          await this.notices.send(`${base}:robot:${r.id}:unit:${unit.id}`, NoticeSender.robotTarget(r), message);
          sent++;
        }
        sent += await this.notices.sendToPeople(`${base}:app:unit:${unit.id}`, people.filter((m) => m.unitId === unit.id), message);
      }
    }
    return sent;
  }

  /** Published rankings of a period (latest version), for the ladder. */
  async publishedGroups(periodKey: string): Promise<GroupRanking[] | undefined> {
    return (await this.latestVersion(periodKey))?.groups;
  }
}
