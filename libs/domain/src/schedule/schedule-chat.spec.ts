import { isScheduleChatCommand, parseChatDate, parseChatTime, parseScheduleChat } from './schedule-chat';

const TZ = 'Asia/Shanghai';
const ref = new Date('2026-11-29T01:00:00Z'); // Sunday 09:00 in Shanghai

describe('schedule chat commands', () => {
  it('recognises 日程, 暂停, 恢复, 改期 and 外出招商', () => {
    expect(parseScheduleChat('日程')).toEqual({ kind: 'list' });
    expect(parseScheduleChat('暂停 月研判')).toEqual({ kind: 'pause', name: '月研判' });
    expect(parseScheduleChat('恢复：月研判')).toEqual({ kind: 'resume', name: '月研判' });
    expect(parseScheduleChat('改期 月研判 每月5日 9点')).toEqual({ kind: 'reschedule', name: '月研判', when: '每月5日9点' });
    expect(parseScheduleChat('外出招商 11月20日 深圳 拜访星河智能、华南光电')).toEqual({
      kind: 'trip',
      dateText: '11月20日',
      destination: '深圳',
      purpose: '拜访星河智能、华南光电',
    });
    expect(parseScheduleChat('暂停')).toHaveProperty('error');
    expect(parseScheduleChat('报线索 企业：某公司')).toBeNull();
    expect(isScheduleChatCommand('日程')).toBe(true);
    expect(isScheduleChatCommand('日程安排很满')).toBe(false);
  });

  it('turns recurring times into cron expressions', () => {
    expect(parseChatTime('每月5日9点', ref, TZ)).toMatchObject({ cron: '0 9 5 * *' });
    expect(parseChatTime('每月十五号下午3点半', ref, TZ)).toMatchObject({ cron: '30 15 15 * *' });
    expect(parseChatTime('每周一上午10点', ref, TZ)).toMatchObject({ cron: '0 10 * * 1' });
    expect(parseChatTime('每天8点', ref, TZ)).toMatchObject({ cron: '0 8 * * *' });
    expect(parseChatTime('每季度首月10日9点', ref, TZ)).toMatchObject({ cron: '0 9 10 1,4,7,10 *' });
    expect(parseChatTime('每年12月25日9点', ref, TZ)).toMatchObject({ cron: '0 9 25 12 *' });
  });

  it('reads one-off times with chrono-node zh', () => {
    const r = parseChatTime('下周一上午10点', ref, TZ) as { onceAt: Date };
    expect(r.onceAt.toISOString()).toBe('2026-12-07T02:00:00.000Z');
    const d = parseChatTime('12月7日', ref, TZ) as { onceAt: Date };
    expect(d.onceAt.toISOString()).toBe('2026-12-07T01:00:00.000Z');
    expect(parseChatTime('11月1日9点', ref, TZ)).toHaveProperty('error');
    expect(parseChatTime('随便', ref, TZ)).toHaveProperty('error');
  });

  it('reads trip dates', () => {
    expect(parseChatDate('11月20日', ref, TZ)).toBe('2026-11-20');
    expect(parseChatDate('2026-11-02', ref, TZ)).toBe('2026-11-02');
    expect(parseChatDate('昨天', ref, TZ)).toBe('2026-11-28');
    expect(parseChatDate('深圳', ref, TZ)).toBeNull();
  });
});
