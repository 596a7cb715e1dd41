import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ZodError, ZodTypeAny, z } from 'zod';
import { ActualsInput, ExemptionsInput, InterviewHeldInput, PublishResultView, Rpc, RpcResult, ScoringRpc, TargetsInput } from '@zs/contracts';
import { AssessmentPeriod, parsePeriod, PolicyProfile, scoredIndicators } from '@zs/domain';
import { AccountabilityService } from '../accountability/accountability.service';
import { FiguresService } from '../figures/figures.service';
import { RankingService } from '../rankings/ranking.service';
import { RewardsService } from '../rewards/rewards.service';
import { SheetsService } from '../sheets/sheets.service';
import { POLICY } from '../tokens';
import { RpcBadRequest, RpcNotFound, rpcResult } from './rpc-result';

type Req = Record<string, unknown>;

function period(raw: unknown): AssessmentPeriod {
  const p = parsePeriod(String(raw ?? ''));
  if (!p) throw new RpcBadRequest(`period "${String(raw ?? '')}" is not a period: write 2026-Q1, 2026-03 or 2026`);
  return p;
}
function year(raw: unknown): number {
  const s = String(raw ?? '');
  if (!/^\d{4}$/.test(s) || Number(s) < 2000 || Number(s) > 2100) throw new RpcBadRequest(`year "${s}" must be four digits, e.g. 2026`);
  return Number(s);
}
function parse<S extends ZodTypeAny>(schema: S, body: unknown): z.infer<S> {
  try {
    return schema.parse(body);
  } catch (e) {
    if (e instanceof ZodError) throw new RpcBadRequest(e.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
    throw e;
  }
}
const who = (req: Req) => String(req.by ?? 'admin-api');

/** Scoring's request/reply API: the admin API and the scheduler ask it here. */
@Controller()
export class ScoringRpcController {
  constructor(
    private readonly figures: FiguresService,
    private readonly rankings: RankingService,
    private readonly accountability: AccountabilityService,
    private readonly rewards: RewardsService,
    private readonly sheets: SheetsService,
    @Inject(POLICY) private readonly policy: PolicyProfile,
  ) {}

  @MessagePattern(Rpc.scoringPing)
  ping() {
    return { ok: { service: 'scoring', profile: this.policy.id, indicators: this.policy.indicators.length } };
  }

  @MessagePattern(ScoringRpc.indicators)
  indicators(): Promise<RpcResult<unknown>> {
    return rpcResult(async () => {
      const scored = new Map(scoredIndicators(this.policy).map((i) => [i.key, i]));
      return this.policy.indicators.map((i) => ({
        key: i.key,
        name: i.name,
        unit: i.unit,
        direction: i.direction,
        appliesTo: i.appliesTo,
        weight: this.policy.scoring.weights[i.key] ?? null,
        method: scored.get(i.key)?.method ?? null,
        missing: scored.get(i.key)?.missing ?? null,
        source: i.computed ? 'ledger' : 'reported',
        computed: i.computed ?? null,
        policySource: i.source,
        assumed: i.assumed === true,
        note: i.note ?? null,
      }));
    });
  }

  @MessagePattern(ScoringRpc.targetsPut)
  putTargets(@Payload() req: Req) {
    return rpcResult(() => this.figures.putTargets(year(req.year), parse(TargetsInput, req.body), who(req)));
  }

  @MessagePattern(ScoringRpc.actualsPut)
  putActuals(@Payload() req: Req) {
    return rpcResult(() => this.figures.putActuals(period(req.period), parse(ActualsInput, req.body), who(req)));
  }

  @MessagePattern(ScoringRpc.exemptionsPut)
  putExemptions(@Payload() req: Req) {
    return rpcResult(() => this.figures.putExemptions(period(req.period), parse(ExemptionsInput, req.body), who(req)));
  }

  @MessagePattern(Rpc.scoringRankings)
  ranking(@Payload() req: Req) {
    return rpcResult(async () => {
      const version = req.version === undefined || req.version === null || req.version === '' ? undefined : Number(req.version);
      if (version !== undefined && !(Number.isInteger(version) && version > 0)) throw new RpcBadRequest('version must be a positive integer');
      const view = await this.rankings.view(period(req.period), { live: req.live === true || req.live === 'true', version });
      if (!view) throw new RpcNotFound(`no published version ${version} of ${String(req.period)}`);
      return view;
    });
  }

  /** Publishes a period's ranking (admin API and the scheduler's notices): version, notices, event, ladder. */
  @MessagePattern(Rpc.scoringPublish)
  publish(@Payload() req: Req): Promise<RpcResult<PublishResultView>> {
    return rpcResult(async () => {
      const p = period(req.period);
      const { version, created, notices } = await this.rankings.publish(p, who(req));
      const raised = await this.accountability.evaluate(p, version.version);
      return { period: p.key, version: version.version, created, changes: version.changes, notices, accountability: raised };
    });
  }

  @MessagePattern(Rpc.scoringAccountability)
  listAccountability(@Payload() req: Req) {
    return rpcResult(() => this.accountability.list(year(req.year)));
  }

  @MessagePattern(ScoringRpc.interviewHeld)
  interviewHeld(@Payload() req: Req) {
    return rpcResult(async () => {
      if (!/^\d{1,18}$/.test(String(req.id ?? ''))) throw new RpcBadRequest('id must be a numeric id');
      return this.accountability.recordHeld(String(req.id), parse(InterviewHeldInput, req.body), who(req));
    });
  }

  @MessagePattern(ScoringRpc.rewards)
  listRewards(@Payload() req: Req) {
    return rpcResult(() => this.rewards.list(year(req.year)));
  }

  @MessagePattern(Rpc.scoringReportingStatus)
  reportingStatus(@Payload() req: Req) {
    return rpcResult(() => this.figures.reportingStatus(period(req.period)));
  }

  @MessagePattern(ScoringRpc.template)
  template(@Payload() req: Req) {
    return rpcResult(async () => {
      if (req.kind === 'targets') {
        const y = year(req.key);
        return this.sheets.template('targets', `${y}年`, String(y));
      }
      const p = period(req.key);
      return this.sheets.template('actuals', p.label, p.key);
    });
  }

  @MessagePattern(ScoringRpc.upload)
  upload(@Payload() req: Req) {
    return rpcResult(async () => {
      const base64 = String(req.base64 ?? '');
      if (!base64) throw new RpcBadRequest('请上传 .xlsx 文件');
      if (req.kind === 'targets') return this.sheets.upload('targets', null, year(req.key), base64, who(req));
      const p = period(req.key);
      return this.sheets.upload('actuals', p, p.year, base64, who(req));
    });
  }

  @MessagePattern(ScoringRpc.rankingSheet)
  rankingSheet(@Payload() req: Req) {
    return rpcResult(async () => {
      const view = await this.rankings.view(period(req.period), {});
      if (!view) throw new RpcNotFound('no ranking');
      return this.sheets.rankingSheet(view);
    });
  }
}
