import { Inject, Injectable } from '@nestjs/common';
import { computeRewards, cumulativeWindowMs, makePeriod, PolicyProfile, RewardLine } from '@zs/domain';
import { DirectoryReader } from '../directory/directory.reader';
import { LeadReadModel } from '../read-model/lead-read-model';
import { RankingService } from '../rankings/ranking.service';
import { utcOffsetMinutes } from '../time-zone';
import { POLICY } from '../tokens';

/** A year's rewards: from the published annual ranking (else the ranking as it stands) and the ledger. */
@Injectable()
export class RewardsService {
  constructor(
    private readonly rankings: RankingService,
    private readonly leads: LeadReadModel,
    private readonly directory: DirectoryReader,
    @Inject(POLICY) private readonly policy: PolicyProfile,
  ) {}

  async list(year: number): Promise<{ year: number; basis: 'published' | 'draft'; rankingVersion: number | null; items: RewardLine[]; totalWan: number }> {
    const period = makePeriod('year', year, 1);
    const published = await this.rankings.latestVersion(period.key);
    const annual = published?.groups ?? (await this.rankings.compute(period));
    const units = await this.directory.units();
    const offset = utcOffsetMinutes(this.policy.timezone);
    const projects = await this.leads.projectsActiveIn(cumulativeWindowMs(period, offset), new Map(units.map((u) => [u.id, u.key])));
    const items = computeRewards(this.policy, year, annual, projects, new Map(units.map((u) => [u.key, { name: u.name, kind: u.kind }])), offset);
    return {
      year,
      basis: published ? 'published' : 'draft',
      rankingVersion: published?.version ?? null,
      items,
      totalWan: items.reduce((s, i) => s + i.amountWan, 0),
    };
  }
}
