import { dingtalkApps, dingtalkCustomRobots } from '@zs/channels';
import type { NotificationConfig } from '../config';

export const ENV_ROBOTS = Symbol('ENV_ROBOTS');

/** A robot configured through the environment, listed beside the registered ones (never its secrets). */
export interface EnvRobotView {
  id: string;
  platform: 'wecom' | 'dingtalk';
  name: string;
  unitId: null;
  unitName: null;
  keyHint: string;
  hasSignSecret: boolean;
  status: 'ok';
  brokenErrcode: null;
  brokenReason: null;
  brokenAt: null;
  createdAt: null;
  source: 'env';
}

const mask = (s: string) => `****${s.slice(-4)}`;

export function envRobots(config: NotificationConfig): EnvRobotView[] {
  const base = { unitId: null, unitName: null, status: 'ok' as const, brokenErrcode: null, brokenReason: null, brokenAt: null, createdAt: null, source: 'env' as const };
  const out: EnvRobotView[] = [];
  if (config.WECOM_CORP_ID && config.WECOM_AGENT_ID) {
    out.push({ ...base, id: `env:wecom-app:${config.WECOM_AGENT_ID}`, platform: 'wecom', name: `企业微信自建应用 ${config.WECOM_AGENT_ID}`, keyHint: mask(config.WECOM_CORP_ID), hasSignSecret: false });
  }
  for (const app of dingtalkApps(config)) {
    out.push({ ...base, id: `env:dingtalk-app:${app.robotCode}`, platform: 'dingtalk', name: `钉钉应用机器人 ${app.robotCode}`, keyHint: mask(app.clientId), hasSignSecret: false });
  }
  for (const r of dingtalkCustomRobots(config)) {
    out.push({ ...base, id: `env:dingtalk-custom:${r.robotId}`, platform: 'dingtalk', name: `钉钉自定义机器人 ${r.robotId}`, keyHint: mask(r.accessToken), hasSignSecret: !!r.secret });
  }
  return out;
}
