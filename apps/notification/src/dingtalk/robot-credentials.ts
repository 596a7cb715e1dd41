import type { DingtalkCustomRobotCredentials } from '@zs/channels';
import type { ChatRobotRepository } from '@zs/persistence';

/** A DingTalk custom robot's secrets, for the sender only: never log it. */
export interface DingtalkCustomRobot extends DingtalkCustomRobotCredentials {
  /** A robot an administrator must fix first (from the robot registry). */
  broken?: { errcode: number | null; reason: string | null };
}

/**
 * Where custom robot credentials come from, by the robot id a `dingtalk-custom-robot`
 * target names. Small on purpose, so the source can change (environment, database, vault).
 */
export interface RobotCredentials {
  customRobot(robotId: string): Promise<DingtalkCustomRobot | null>;
}

/** Robots from DINGTALK_CUSTOM_ROBOTS (see @zs/channels dingtalk-config). */
export class EnvRobotCredentials implements RobotCredentials {
  private readonly byId: Map<string, DingtalkCustomRobotCredentials>;

  constructor(robots: DingtalkCustomRobotCredentials[]) {
    this.byId = new Map(robots.map((r) => [r.robotId, r]));
  }

  async customRobot(robotId: string): Promise<DingtalkCustomRobot | null> {
    return this.byId.get(robotId) ?? null;
  }

  get size(): number {
    return this.byId.size;
  }
}

/** Robots registered by administrators (table chat_robots, platform 'dingtalk'; webhook key = access_token). */
export class RegistryRobotCredentials implements RobotCredentials {
  constructor(private readonly robots: Pick<ChatRobotRepository, 'credentials'>) {}

  async customRobot(robotId: string): Promise<DingtalkCustomRobot | null> {
    const r = await this.robots.credentials(robotId);
    if (!r || r.platform !== 'dingtalk') return null;
    return {
      robotId: r.id,
      accessToken: r.webhookKey,
      secret: r.signSecret ?? undefined,
      ...(r.status === 'broken' ? { broken: { errcode: r.brokenErrcode, reason: r.brokenReason } } : {}),
    };
  }
}

/** The first source that knows the robot wins. */
export class ChainedRobotCredentials implements RobotCredentials {
  constructor(private readonly sources: RobotCredentials[]) {}

  async customRobot(robotId: string): Promise<DingtalkCustomRobot | null> {
    for (const s of this.sources) {
      const r = await s.customRobot(robotId);
      if (r) return r;
    }
    return null;
  }
}
