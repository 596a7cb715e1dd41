import { ClientProxy } from '@nestjs/microservices';
import { lastValueFrom, timeout } from 'rxjs';
import { ReportingStatusView, Rpc, RpcResult } from '@zs/contracts';
import type { ReportingStatus } from '@zs/domain';

/** Scoring did not answer, or answered with an error: the run is recorded as failed with this reason. */
export class ScoringUnavailable extends Error {}

/**
 * Asks scoring over NATS request/reply, with a timeout on every call. The answers' shapes are the
 * contract in the issue brief; anything else is reported, never guessed at.
 */
export class ScoringClient {
  constructor(
    private readonly client: ClientProxy,
    private readonly timeoutMs: number,
  ) {}

  private async ask<T>(subject: string, payload: unknown): Promise<T> {
    let res: RpcResult<T>;
    try {
      res = await lastValueFrom(this.client.send<RpcResult<T>>(subject, payload).pipe(timeout(this.timeoutMs)));
    } catch (e) {
      const what = String((e as Error)?.message ?? e);
      throw new ScoringUnavailable(
        what.includes('Timeout') || (e as Error)?.name === 'TimeoutError'
          ? `评分服务未在 ${this.timeoutMs} 毫秒内应答（${subject}）`
          : `评分服务不可用（${subject}：${what.slice(0, 200)}）`,
      );
    }
    if (res && typeof res === 'object' && 'error' in res) throw new ScoringUnavailable(`评分服务返回错误：${res.error.message}`);
    if (!res || typeof res !== 'object' || !('ok' in res)) throw new ScoringUnavailable(`评分服务的应答无法识别（${subject}）`);
    return res.ok;
  }

  /** Publishes a period's ranking notice (scoring builds and sends it). */
  async publish(period: string): Promise<unknown> {
    return this.ask(Rpc.scoringPublish, { period });
  }

  async rankings(period: string): Promise<unknown> {
    return this.ask(Rpc.scoringRankings, { period });
  }

  /** Which units have (not) reported their figures for a period (scoring's ReportingStatusView). */
  async reportingStatus(period: string): Promise<{ unitId: string; unitName?: string; reported: boolean }[]> {
    const r = await this.ask<ReportingStatusView>(Rpc.scoringReportingStatus, { period });
    if (!Array.isArray(r?.reported) || !Array.isArray(r?.missing)) throw new ScoringUnavailable('评分服务的报送情况格式无法识别');
    return [
      ...r.reported.map((u) => ({ unitId: u.unitId, unitName: u.unitName, reported: true })),
      ...r.missing.map((u) => ({ unitId: u.unitId, unitName: u.unitName, reported: false })),
    ];
  }
}

export type { ReportingStatus };
