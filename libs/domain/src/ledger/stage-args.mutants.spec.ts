import { parseStageArgs, utcOffsetMinutes } from './stage-args';

/**
 * Cases that kill mutations the other specs let survive (found with `npm run mutation`): what an
 * official types after `签约 / 到位 / 终止 … <编号>` and what the ledger records from it.
 */
const now = new Date('2026-11-29T02:00:00Z'); // 10:00 on 29 November in Beijing
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

describe('stage arguments: dates', () => {
  it('a month and day without a year is the past date of this year (a stage is reported after it happened)', () => {
    expect(iso(parseStageArgs('11月20日', now).date)).toBe('2026-11-20T04:00:00.000Z');
    expect(iso(parseStageArgs('3月1日', now).date)).toBe('2026-03-01T04:00:00.000Z');
  });

  it('2026/12/01 and English words are read in the profile timezone, relative to the message time', () => {
    // 'tomorrow' is the day after the message, at the message's time of day.
    expect(iso(parseStageArgs('2026/12/01', now).date)).toBe('2026-12-01T04:00:00.000Z');
    expect(iso(parseStageArgs('2026/12/01', now, 'America/New_York').date)).toBe('2026-12-01T17:00:00.000Z');
    expect(iso(parseStageArgs('tomorrow', now).date)).toBe('2026-11-30T02:00:00.000Z');
  });

  it('the words on either side of a date written inside the reason stay apart', () => {
    expect(parseStageArgs('企业战略调整2026年12月1日起停止', now)).toEqual({
      amountWan: null,
      currency: null,
      date: new Date('2026-12-01T04:00:00.000Z').getTime(),
      note: '企业战略调整 起停止',
      badAmount: null,
    });
  });
});

describe('stage arguments: amounts', () => {
  it('签约 with 5000万 records the signed amount and leaves no note', () => {
    expect(parseStageArgs('5000万', now)).toEqual({ amountWan: 5000, currency: 'CNY', date: null, note: null, badAmount: null });
  });

  it('到位 with -5亿 is refused as an unreadable amount, never read as 5亿', () => {
    expect(parseStageArgs('-5亿 资金退回', now)).toEqual({ amountWan: null, currency: null, date: null, note: '资金退回', badAmount: '-5亿' });
    expect(parseStageArgs('-5亿', now).badAmount).toBe('-5亿');
  });

  it('到位 1.2亿，其中设备款5000万 records 1.2亿 and keeps the rest as the note', () => {
    expect(parseStageArgs('1.2亿，其中设备款5000万', now)).toEqual({
      amountWan: 12000,
      currency: 'CNY',
      date: null,
      note: '其中设备款5000万',
      badAmount: null,
    });
  });

  it('the words on either side of an amount written inside the reason stay apart', () => {
    expect(parseStageArgs('首期5000万元到位', now).note).toBe('首期 到位');
  });
});

describe('stage arguments: the note or reason', () => {
  it.each([
    ['，，企业战略调整', '企业战略调整'],
    ['：；企业战略调整', '企业战略调整'],
    ['企业战略调整；；', '企业战略调整'],
    ['企业战略调整,,', '企业战略调整'],
    ['资金未到位，企业战略调整', '资金未到位,企业战略调整'],
    ['资金未到位；企业战略调整', '资金未到位;企业战略调整'],
    ['资金   未到位', '资金 未到位'],
    ['资金 未到位', '资金 未到位'],
  ])('%s → the note %s (separators only trimmed at the edges, spaces collapsed)', (args, note) => {
    expect(parseStageArgs(args, now).note).toBe(note);
  });

  it('keeps at most 500 characters of the reason', () => {
    expect(parseStageArgs('因'.repeat(600), now).note).toBe('因'.repeat(500));
  });

  it('nothing after the lead number (or no argument string at all) records nothing', () => {
    const nothing = { amountWan: null, currency: null, date: null, note: null, badAmount: null };
    expect(parseStageArgs('', now)).toEqual(nothing);
    expect(parseStageArgs(undefined as unknown as string, now)).toEqual(nothing);
  });
});

describe('utcOffsetMinutes', () => {
  it.each([
    ['Asia/Shanghai', 480],
    ['Asia/Urumqi', 360],
    ['UTC', 0],
    ['America/New_York', -300],
    ['Asia/Kolkata', 330],
    ['America/St_Johns', -210],
  ])('%s is %d minutes from UTC in November', (tz, minutes) => {
    expect(utcOffsetMinutes(tz, now)).toBe(minutes);
  });
});
