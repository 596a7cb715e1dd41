import { isScheduleChatCommand, parseChatDate, parseChatTime, parseClock, parseScheduleChat } from './schedule-chat';

/**
 * Cases that kill mutations the other specs let survive (found with `npm run mutation`): the
 * scheduler's chat commands, times and trip dates as administrators and officials type them.
 */
const TZ = 'Asia/Shanghai';
const ref = new Date('2026-11-29T01:00:00Z'); // Sunday 09:00 in Shanghai
const january = new Date('2027-01-10T01:00:00Z'); // Sunday 10 January 2027, 09:00 in Shanghai

describe('schedule chat commands', () => {
  it('日程 alone (or with a colon or trailing spaces) lists the schedules; 日程 followed by words is a chat message', () => {
    expect(isScheduleChatCommand('日程 ')).toBe(true);
    expect(isScheduleChatCommand('日程：')).toBe(true);
    expect(isScheduleChatCommand('  日程')).toBe(true);
    expect(isScheduleChatCommand('日程 下周很满')).toBe(false);
    expect(parseScheduleChat('  日程')).toEqual({ kind: 'list' });
  });

  it('暂停, 恢复, 改期 and 外出招商 are commands with their words; a sentence that merely contains them is not', () => {
    expect(isScheduleChatCommand('暂停 月研判')).toBe(true);
    expect(isScheduleChatCommand('外出招商 11月20日 深圳')).toBe(true);
    expect(isScheduleChatCommand('请暂停 月研判')).toBe(false);
    expect(parseScheduleChat('请暂停 月研判')).toBeNull();
  });

  it('暂停 月研判 with trailing spaces names 月研判', () => {
    expect(parseScheduleChat('暂停 月研判  ')).toEqual({ kind: 'pause', name: '月研判' });
    expect(parseScheduleChat('暂停 ：月研判')).toEqual({ kind: 'pause', name: '月研判' });
  });

  it('暂停 or 恢复 without a name asks for it, naming the command typed', () => {
    expect(parseScheduleChat('暂停')).toEqual({ error: '请写明日程名称，例如：暂停 月研判' });
    expect(parseScheduleChat('恢复 ')).toEqual({ error: '请写明日程名称，例如：恢复 月研判' });
  });

  it('改期 needs a name and a time', () => {
    expect(parseScheduleChat('改期 月研判')).toEqual({ error: '请写明日程名称和新时间，例如：改期 月研判 每月5日9点，或：改期 月研判 下周一上午10点' });
    expect(parseScheduleChat('改期 月研判 每月5日')).toEqual({ kind: 'reschedule', name: '月研判', when: '每月5日' });
  });

  it('外出招商 needs a date and a destination; the purpose keeps its spaces and extra spaces are ignored', () => {
    expect(parseScheduleChat('外出招商 11月20日')).toEqual({ error: '请按格式登记外出招商，例如：外出招商 11月20日 深圳 拜访星河智能、华南光电' });
    expect(parseScheduleChat('外出招商 11月20日 深圳')).toEqual({ kind: 'trip', dateText: '11月20日', destination: '深圳', purpose: '' });
    expect(parseScheduleChat('外出招商 11月20日  深圳  拜访星河智能 华南光电')).toEqual({
      kind: 'trip',
      dateText: '11月20日',
      destination: '深圳',
      purpose: '拜访星河智能 华南光电',
    });
  });
});

describe('clock times', () => {
  it.each([
    ['上午10 点', { hour: 10, minute: 0 }],
    ['下午3点15分', { hour: 15, minute: 15 }],
    ['九点三十分', { hour: 9, minute: 30 }],
    ['九点', { hour: 9, minute: 0 }],
    ['十二点', { hour: 12, minute: 0 }],
    ['晚上8点', { hour: 20, minute: 0 }],
    ['下午12点', { hour: 12, minute: 0 }],
    ['中午1点', { hour: 13, minute: 0 }],
    ['中午11点', { hour: 11, minute: 0 }],
    ['中午12点', { hour: 12, minute: 0 }],
    ['0点', { hour: 0, minute: 0 }],
    ['23点59分', { hour: 23, minute: 59 }],
  ])('%s is %o', (text, clock) => {
    expect(parseClock(text)).toEqual(clock);
  });

  it.each([['25点'], ['24点'], ['9点60分'], ['下午']])('%s is no time', (text) => {
    expect(parseClock(text)).toBeNull();
  });
});

describe('recurring times', () => {
  it.each([
    ['每月5日', '0 9 5 * *', '每月5日 09:00'],
    ['每月5日 9点', '0 9 5 * *', '每月5日 09:00'],
    ['每 月 5 日 9 点', '0 9 5 * *', '每月5日 09:00'],
    ['每月五日9点', '0 9 5 * *', '每月5日 09:00'],
    ['每月二十日9点', '0 9 20 * *', '每月20日 09:00'],
    ['每月1日8点半', '30 8 1 * *', '每月1日 08:30'],
    ['每月31日9点', '0 9 31 * *', '每月31日 09:00'],
    ['每季度10日9点', '0 9 10 1,4,7,10 *', '每季度首月10日 09:00'],
    ['每季度首月1日9点', '0 9 1 1,4,7,10 *', '每季度首月1日 09:00'],
    ['每季度第一个月31日9点', '0 9 31 1,4,7,10 *', '每季度首月31日 09:00'],
    ['每年1月1日9点', '0 9 1 1 *', '每年1月1日 09:00'],
    ['每年12月31日9点', '0 9 31 12 *', '每年12月31日 09:00'],
    ['每周一10点', '0 10 * * 1', '每周一 10:00'],
    ['每周三14点', '0 14 * * 3', '每周三 14:00'],
    ['每星期五下午3点', '0 15 * * 5', '每周五 15:00'],
    ['每礼拜天8点', '0 8 * * 0', '每周天 08:00'],
    ['每个工作日9点', '0 9 * * 1-5', '每个工作日 09:00'],
    ['每工作日8点半', '30 8 * * 1-5', '每个工作日 08:30'],
    ['每天8点', '0 8 * * *', '每天 08:00'],
    ['每日下午5点', '0 17 * * *', '每天 17:00'],
  ])('%s → %s (%s)', (text, cron, description) => {
    expect(parseChatTime(text, ref, TZ)).toEqual({ cron, description });
  });

  it.each([['每月0日9点'], ['每月32日9点'], ['每月四十日9点'], ['每月十二三日9点'], ['每季度首月0日9点'], ['每季度首月32日9点'], ['每年0月5日9点'], ['每年13月5日9点'], ['每年1月0日9点'], ['每年12月32日9点']])(
    '%s is refused as an invalid date',
    (text) => {
      expect(parseChatTime(text, ref, TZ)).toEqual({ error: `“${text}”中的日期无效` });
    },
  );
});

describe('one-off times', () => {
  it('says the instant in local time with minutes', () => {
    expect(parseChatTime('12月7日9点5分', ref, TZ)).toEqual({ onceAt: new Date('2026-12-07T01:05:00.000Z'), description: '2026年12月7日 09:05' });
    expect(parseChatTime('下周一上午10点', ref, TZ)).toEqual({ onceAt: new Date('2026-12-07T02:00:00.000Z'), description: '2026年12月7日 10:00' });
  });

  it('refuses the very minute of the message and anything before it', () => {
    expect(parseChatTime('11月29日9点', ref, TZ)).toEqual({ error: '“11月29日9点”已经过去，请写一个将来的时间' });
    expect(parseChatTime('11月29日9点1分', ref, TZ)).toEqual({ onceAt: new Date('2026-11-29T01:01:00.000Z'), description: '2026年11月29日 09:01' });
  });

  it('explains what it can read when it reads nothing', () => {
    expect(parseChatTime('随便', ref, TZ)).toEqual({ error: '没有看懂时间“随便”。可以写：每月5日9点、每周一上午10点、下周一上午10点、12月7日9点' });
  });
});

describe('trip dates', () => {
  it('pads month and day of a written-out date', () => {
    expect(parseChatDate('2026-1-2', ref, TZ)).toBe('2026-01-02');
    expect(parseChatDate('2026年11月2日', ref, TZ)).toBe('2026-11-02');
  });

  it('reads 2026/11/20 and 2026.11.20, which chrono-node does not', () => {
    expect(parseChatDate('2026/11/20', ref, TZ)).toBe('2026-11-20');
    expect(parseChatDate(' 2026/11/20 ', ref, TZ)).toBe('2026-11-20');
    expect(parseChatDate('2026.11.20', ref, TZ)).toBe('2026-11-20');
    expect(parseChatDate('2026/11/2日', ref, TZ)).toBe('2026-11-02');
  });

  it('keeps a year that was written', () => {
    expect(parseChatDate('2027年12月5号', ref, TZ)).toBe('2027-12-05');
    expect(parseChatDate('2027年12月5号', january, TZ)).toBe('2027-12-05');
  });

  it('a month and day more than two months ahead is last year (a trip is logged after it happened)', () => {
    expect(parseChatDate('12月20日', january, TZ)).toBe('2026-12-20');
    expect(parseChatDate('3月11日', january, TZ)).toBe('2026-03-11');
    expect(parseChatDate('3月10日', january, TZ)).toBe('2027-03-10');
    expect(parseChatDate('1月5日', january, TZ)).toBe('2027-01-05');
    expect(parseChatDate('1月5日', ref, TZ)).toBe('2026-01-05');
  });
});
