import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ZodError, z } from 'zod';
import { CreateScheduleBody, CreateTripBody, PatchScheduleBody, PreviewScheduleBody, RpcResult, RunScheduleBody, ScheduleChatRequest, SchedulerRpc } from '@zs/contracts';
import { SchedulerCore } from '../scheduler-core';
import { BadScheduleInput, ScheduleNotFound } from './schedule.service';
import { ScheduleNameTaken } from './schedule.repository';
import { UnknownMember } from '../trips/trip.repository';
import { ScoringUnavailable } from '../fires/scoring-client';

async function answer<T>(work: () => Promise<T>): Promise<RpcResult<T>> {
  try {
    return { ok: await work() };
  } catch (e) {
    if (e instanceof ZodError) return { error: { status: 400, message: e.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') } };
    if (e instanceof BadScheduleInput || e instanceof UnknownMember) return { error: { status: 400, message: e.message } };
    if (e instanceof ScheduleNotFound) return { error: { status: 404, message: e.message } };
    if (e instanceof ScheduleNameTaken) return { error: { status: 409, message: e.message } };
    if (e instanceof ScoringUnavailable) return { error: { status: 503, message: e.message } };
    throw e;
  }
}

const IdOnly = z.object({ id: z.string().regex(/^\d{1,18}$/, 'must be a numeric id') }).passthrough();

/** The scheduler's request/reply API (admin API and chat forward here; one replica answers each). */
@Controller()
export class SchedulesRpcController {
  constructor(@Inject(SchedulerCore) private readonly core: SchedulerCore) {}

  @MessagePattern(SchedulerRpc.list)
  list() {
    return answer(() => this.core.service.list());
  }

  @MessagePattern(SchedulerRpc.create)
  create(@Payload() p: { body: unknown; actor?: string }) {
    return answer(() => this.core.service.create(CreateScheduleBody.parse(p?.body), p?.actor ?? 'admin-api'));
  }

  @MessagePattern(SchedulerRpc.update)
  update(@Payload() p: { id: string; body: unknown; actor?: string }) {
    return answer(async () => {
      const { id } = IdOnly.parse(p);
      const body = PatchScheduleBody.parse(p.body);
      if (!Object.keys(body).length) throw new BadScheduleInput('请求体中没有要修改的字段');
      return this.core.service.update(id, body, p.actor ?? 'admin-api');
    });
  }

  @MessagePattern(SchedulerRpc.remove)
  remove(@Payload() p: { id: string; actor?: string }) {
    return answer(() => this.core.service.remove(IdOnly.parse(p).id, p.actor ?? 'admin-api'));
  }

  @MessagePattern(SchedulerRpc.run)
  run(@Payload() p: { id: string; body?: unknown; actor?: string }) {
    return answer(() => {
      const { id } = IdOnly.parse(p);
      const body = RunScheduleBody.parse(p.body ?? {});
      return this.core.service.runNow(id, body.asOf ? new Date(body.asOf) : new Date(), p.actor ?? 'admin-api');
    });
  }

  @MessagePattern(SchedulerRpc.preview)
  preview(@Payload() p: { id: string; body?: unknown }) {
    return answer(() => {
      const { id } = IdOnly.parse(p);
      const body = PreviewScheduleBody.parse(p.body ?? {});
      return this.core.service.preview(id, body.asOf ? new Date(body.asOf) : new Date(), body.limit ?? 200);
    });
  }

  @MessagePattern(SchedulerRpc.runs)
  runs(@Payload() p: { id: string; limit?: number }) {
    return answer(() => this.core.service.history(IdOnly.parse(p).id, Math.min(Math.max(Number(p.limit) || 50, 1), 500)));
  }

  @MessagePattern(SchedulerRpc.tripsCreate)
  createTrip(@Payload() p: { body: unknown }) {
    return answer(async () => {
      const b = CreateTripBody.parse(p?.body);
      return (await this.core.trips.record({ memberId: b.member, date: b.date, destination: b.destination, purpose: b.purpose, source: 'api' })).trip;
    });
  }

  @MessagePattern(SchedulerRpc.tripsList)
  listTrips(@Payload() p: { member?: string; from?: string; to?: string }) {
    return answer(() => this.core.trips.list({ memberId: p?.member, from: p?.from, to: p?.to }));
  }

  @MessagePattern(SchedulerRpc.chat)
  chat(@Payload() p: unknown) {
    return answer(async () => {
      const r = ScheduleChatRequest.parse(p);
      return { reply: await this.core.chat.handle(r.text, r.memberId, r.role) };
    });
  }
}
