import { formatLocal, parseChatDate, parseChatTime, parseScheduleChat, PolicyProfile } from '@zs/domain';
import { toView } from '../schedules/schedule.repository';
import { ScheduleService } from '../schedules/schedule.service';
import { TripRepository } from '../trips/trip.repository';

const MANAGERS = new Set(['admin', 'leader']);

/**
 * The scheduler's chat commands (日程, 暂停, 恢复, 改期, 外出招商), forwarded by lead-intake's
 * command router. Answers are Simplified Chinese chat text. Changing schedules is for
 * administrators and city leaders; anyone registered may log their own trip.
 */
export class ScheduleChatHandler {
  constructor(
    private readonly schedules: ScheduleService,
    private readonly trips: TripRepository,
    private readonly policy: PolicyProfile,
  ) {}

  async handle(text: string, memberId: string, role: string, now = new Date()): Promise<string> {
    const cmd = parseScheduleChat(text);
    if (!cmd) return '没有识别到日程命令。可用：日程、暂停 名称、恢复 名称、改期 名称 时间、外出招商 日期 地点 事由';
    if ('error' in cmd) return cmd.error;
    const tz = this.policy.timezone;
    if (cmd.kind === 'trip') {
      const date = parseChatDate(cmd.dateText, now, tz);
      if (!date) return `没有看懂日期“${cmd.dateText}”。例如：外出招商 11月20日 深圳 拜访星河智能、华南光电`;
      const { created } = await this.trips.record({ memberId, date, destination: cmd.destination, purpose: cmd.purpose, source: 'chat' });
      const [y, m, d] = date.split('-').map(Number);
      return `${created ? '已登记' : '已更新'}外出招商：${y}年${m}月${d}日 ${cmd.destination}${cmd.purpose ? `，${cmd.purpose}` : ''}。`;
    }
    if (!MANAGERS.has(role)) return '只有管理员和市领导可以查看和调整日程。';
    if (cmd.kind === 'list') {
      const all = (await this.schedules.list()).slice(0, 40);
      if (!all.length) return '当前没有日程。';
      const lines = all.map((s) => {
        const next = s.nextFireAt ? formatLocal(new Date(s.nextFireAt), s.timezone) : '—';
        return `${s.enabled ? '●' : '○ 已暂停'} ${s.name}｜下次：${s.enabled ? next : '—'}`;
      });
      return [`日程（${all.length}项）：`, ...lines, '可发送：暂停 名称、恢复 名称、改期 名称 时间'].join('\n');
    }
    const found = await this.schedules.findByName(cmd.name);
    if (!found.length) return `没有找到名为“${cmd.name}”的日程。发送“日程”查看全部。`;
    if (found.length > 1) return `“${cmd.name}”对应多个日程：${found.map((s) => s.name).join('、')}。请写完整名称。`;
    const s = found[0];
    const actor = `chat:member:${memberId}`;
    if (cmd.kind === 'pause' || cmd.kind === 'resume') {
      const enabled = cmd.kind === 'resume';
      if (s.enabled === enabled) return `“${s.name}”${enabled ? '已在运行' : '已是暂停状态'}。`;
      const v = await this.schedules.update(s.id, { enabled }, actor);
      return enabled
        ? `已恢复“${s.name}”，下次发送：${v.nextFireAt ? formatLocal(new Date(v.nextFireAt), v.timezone) : '—'}。`
        : `已暂停“${s.name}”，恢复请发送：恢复 ${s.name}`;
    }
    if (cmd.kind !== 'reschedule') return '没有识别到日程命令。';
    const t = parseChatTime(cmd.when, now, s.timezone);
    if ('error' in t) return t.error;
    if ('cron' in t) {
      const v = await this.schedules.update(s.id, { cron: t.cron }, actor);
      return `已改期“${s.name}”：${t.description}。下次发送：${v.nextFireAt ? formatLocal(new Date(v.nextFireAt), v.timezone) : '—'}。`;
    }
    const v = await this.schedules.update(s.id, { onceAt: t.onceAt.toISOString(), ...(s.enabled ? {} : { enabled: true }) }, actor);
    const regular = toView({ ...s, onceAt: null }).nextFireAt;
    return `已安排“${v.name}”于 ${t.description} 发送一次${regular ? `；常规时间不变（下次 ${formatLocal(new Date(regular), v.timezone)}）` : ''}。`;
  }
}
