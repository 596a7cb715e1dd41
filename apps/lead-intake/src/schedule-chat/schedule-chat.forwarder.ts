import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import { lastValueFrom, timeout } from 'rxjs';
import type { Logger } from 'pino';
import { RpcResult, SchedulerRpc } from '@zs/contracts';
import { isScheduleChatCommand } from '@zs/domain';
import { LOGGER } from '@zs/platform';

export const SCHEDULER_CLIENT = Symbol('SCHEDULER_CLIENT');
export const SCHEDULER_TIMEOUT_MS = Symbol('SCHEDULER_TIMEOUT_MS');

/**
 * The scheduler's chat commands (日程, 暂停, 恢复, 改期, 外出招商) belong to the scheduler: this
 * handler recognises them and forwards them over NATS request/reply (with a timeout), so the
 * command router only needs `handles()` and `answer()`. The commands are idempotent (a pause,
 * a trip keyed by person, day and place), so a redelivered message forwarded again is harmless.
 */
@Injectable()
export class ScheduleChatForwarder implements OnApplicationShutdown {
  constructor(
    @Inject(SCHEDULER_CLIENT) private readonly client: ClientProxy,
    @Inject(SCHEDULER_TIMEOUT_MS) private readonly timeoutMs: number,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  handles(text: string): boolean {
    return isScheduleChatCommand(text);
  }

  async answer(text: string, member: { id: string; role: string }): Promise<string> {
    try {
      const r = await lastValueFrom(
        this.client.send<RpcResult<{ reply: string }>>(SchedulerRpc.chat, { text, memberId: member.id, role: member.role }).pipe(timeout(this.timeoutMs)),
      );
      if ('error' in r) return `日程命令未能执行：${r.error.message}`;
      return r.ok.reply;
    } catch (e) {
      this.logger.warn({ err: e }, 'scheduler did not answer a chat command');
      return '日程服务暂时没有响应，请稍后再试。';
    }
  }

  async onApplicationShutdown() {
    await this.client.close();
  }
}
