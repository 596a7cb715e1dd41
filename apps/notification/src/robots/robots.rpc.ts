import { Controller, Inject, Optional } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DataSource } from 'typeorm';
import { CreateRobotDto, Rpc, RpcResult } from '@zs/contracts';
import { ChatRobotRepository, ConflictError, RobotRow } from '@zs/persistence';
import { ENV_ROBOTS, EnvRobotView } from './env-robots';

class RpcError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

async function rpc<T>(work: () => Promise<T>): Promise<RpcResult<T>> {
  try {
    return { ok: await work() };
  } catch (e) {
    if (e instanceof RpcError) return { error: { status: e.status, message: e.message } };
    if (e instanceof ConflictError) return { error: { status: 409, message: e.message } };
    throw e;
  }
}

/**
 * The key itself from what an administrator pasted: a bare key, or the whole webhook URL
 * (WeCom `...webhook/send?key=K`, DingTalk `...robot/send?access_token=T`).
 */
export function normaliseWebhookKey(platform: 'wecom' | 'dingtalk', input: string): string {
  const raw = input.trim();
  let key = raw;
  if (/^https?:\/\//i.test(raw)) {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new RpcError(400, 'webhookKey looks like a URL but cannot be read');
    }
    const param = platform === 'wecom' ? 'key' : 'access_token';
    key = url.searchParams.get(param) ?? '';
    if (!key) throw new RpcError(400, `the webhook URL has no ${param} parameter`);
  }
  if (!/^[A-Za-z0-9_-]{8,256}$/.test(key)) {
    throw new RpcError(400, 'webhookKey must be the robot key (letters, digits, - and _) or its whole webhook URL');
  }
  return key;
}

/**
 * Robot registry for the admin API (through the gateway, NATS request/reply in notification's
 * queue group). Answers never contain a key or a signing secret: only a masked hint.
 */
@Controller()
export class RobotsRpcController {
  private readonly repo: ChatRobotRepository;

  constructor(
    private readonly ds: DataSource,
    @Optional() @Inject(ENV_ROBOTS) private readonly fromEnv: EnvRobotView[] = [],
  ) {
    this.repo = new ChatRobotRepository(ds);
  }

  /** Registered robots, then the ones configured through the environment (source: 'env'). */
  @MessagePattern(Rpc.robotsList)
  list(): Promise<RpcResult<Array<RobotRow | EnvRobotView>>> {
    return rpc(async () => [...(await this.repo.list()), ...(this.fromEnv ?? [])]);
  }

  @MessagePattern(Rpc.robotsCreate)
  create(@Payload() dto: CreateRobotDto): Promise<RpcResult<RobotRow>> {
    return rpc(async () => {
      if (dto.signSecret && dto.platform !== 'dingtalk') throw new RpcError(400, 'signSecret is for DingTalk robots only');
      const webhookKey = normaliseWebhookKey(dto.platform, dto.webhookKey ?? '');
      if (dto.unitId) {
        const [unit] = await this.ds.query(`SELECT id FROM directory_units_v WHERE id = $1`, [dto.unitId]);
        if (!unit) throw new RpcError(400, `no unit with id ${dto.unitId}`);
      }
      return this.repo.create({ platform: dto.platform, name: dto.name, unitId: dto.unitId ?? null, webhookKey, signSecret: dto.signSecret ?? null });
    });
  }

  @MessagePattern(Rpc.robotsReset)
  reset(@Payload() q: { id?: string }): Promise<RpcResult<RobotRow>> {
    return rpc(async () => {
      const robot = await this.repo.reset(String(q?.id ?? ''));
      if (!robot) throw new RpcError(404, `no robot with id ${q?.id}`);
      return robot;
    });
  }
}
