import { isWorkingDay, nextWorkingInstant, localDate } from './calendar';
import { cronError, eventTimeOf, nextSlot, slotDecision, slotsBetween } from './slots';
import { periodOf, previousPeriodLabel, periodRange } from './periods';

const TZ = 'Asia/Shanghai';

describe('working-day calendar (chinese-days)', () => {
  it('knows the 调休 swaps: a Saturday that is a working day and a weekday that is a holiday', () => {
    expect(isWorkingDay('2026-02-14')).toBe(true); // Saturday, worked before the Spring Festival
    expect(isWorkingDay('2026-02-16')).toBe(false); // Monday inside the Spring Festival holiday
    expect(isWorkingDay('2026-10-01')).toBe(false); // National Day
    expect(isWorkingDay('2026-11-28')).toBe(false); // ordinary Saturday
    expect(isWorkingDay('2026-11-30')).toBe(true);
  });

  it('moves a holiday slot to the same wall time on the next working day', () => {
    const national = new Date('2026-10-05T09:00:00+08:00');
    const moved = nextWorkingInstant(national, TZ);
    expect(localDate(moved, TZ)).toBe('2026-10-08');
    expect(moved.toISOString()).toBe('2026-10-08T01:00:00.000Z');
  });
});

describe('slots', () => {
  it('computes cron slots in the profile time zone', () => {
    const s = nextSlot({ cron: '0 9 5 * *', timezone: TZ, workingDaysOnly: false }, new Date('2026-11-29T00:00:00Z'));
    expect(s?.toISOString()).toBe('2026-12-05T01:00:00.000Z');
  });

  it('follows working days: a Saturday 5th fires Monday the 7th', () => {
    const s = nextSlot({ cron: '0 9 5 * *', timezone: TZ, workingDaysOnly: true }, new Date('2026-11-29T00:00:00Z'));
    expect(s?.toISOString()).toBe('2026-12-07T01:00:00.000Z');
  });

  it('a daily working-day schedule fires once on Monday for a whole weekend, and on a 调休 Saturday', () => {
    const rule = { cron: '0 9 * * *', timezone: TZ, workingDaysOnly: true };
    const slots = slotsBetween(rule, new Date('2026-11-27T02:00:00Z'), new Date('2026-11-30T23:00:00Z')).map((d) => localDate(d, TZ));
    expect(slots).toEqual(['2026-11-30']);
    const feb = slotsBetween(rule, new Date('2026-02-13T02:00:00Z'), new Date('2026-02-14T23:00:00Z')).map((d) => localDate(d, TZ));
    expect(feb).toEqual(['2026-02-14']);
  });

  it('fires a lead-time reminder the day before the (moved) meeting', () => {
    const rule = { cron: '0 9 5 * *', timezone: TZ, workingDaysOnly: true, leadMinutes: 1440 };
    const s = nextSlot(rule, new Date('2026-11-29T00:00:00Z'));
    // Meeting Saturday 5th moves to Monday 7th; the reminder a day before (Sunday) moves back to Friday 4th.
    expect(s?.toISOString()).toBe('2026-12-04T01:00:00.000Z');
    expect(eventTimeOf(rule, s!).toISOString()).toBe('2026-12-07T01:00:00.000Z');
    const plain = { ...rule, workingDaysOnly: false };
    const p = nextSlot(plain, new Date('2026-11-29T00:00:00Z'));
    expect(p?.toISOString()).toBe('2026-12-04T01:00:00.000Z');
    expect(eventTimeOf(plain, p!).toISOString()).toBe('2026-12-05T01:00:00.000Z');
  });

  it('supports six-field (seconds) expressions and rejects bad ones with a Chinese reason', () => {
    expect(cronError('*/2 * * * * *')).toBeNull();
    expect(cronError('61 9 * * *')).toMatch(/无效/);
    expect(cronError('9 *')).toMatch(/5 段/);
  });

  it('fires a late slot within grace and records it as missed after', () => {
    const slot = new Date('2026-11-29T01:00:00Z');
    expect(slotDecision(slot, new Date(slot.getTime() + 30_000), 60_000)).toBe('fire');
    expect(slotDecision(slot, new Date(slot.getTime() + 61_000), 60_000)).toBe('missed');
    expect(slotDecision(slot, new Date(slot.getTime() - 1), 60_000)).toBe('wait');
  });
});

describe('periods', () => {
  it('labels months, quarters, years in the zone and finds the one just closed', () => {
    const at = new Date('2026-09-30T17:00:00Z'); // 1 October 01:00 in Shanghai
    expect(periodOf(at, 'quarter', TZ)).toBe('2026-Q4');
    expect(previousPeriodLabel(at, 'quarter', TZ)).toBe('2026-Q3');
    expect(previousPeriodLabel(new Date('2026-01-03T02:00:00Z'), 'month', TZ)).toBe('2025-12');
    expect(periodRange('2026-Q4')).toEqual({ from: '2026-10-01', to: '2027-01-01' });
  });
});

describe('cadence periods', () => {
  it('reads month, quarter or year from the cron and picks the data-due month', () => {
    const { cadencePeriodKind, dataDuePeriod } = jest.requireActual('./periods');
    expect(cadencePeriodKind('0 9 10 * *')).toBe('month');
    expect(cadencePeriodKind('0 9 15 1,4,7,10 *')).toBe('quarter');
    expect(cadencePeriodKind('0 9 25 12 *')).toBe('year');
    expect(dataDuePeriod(new Date('2026-12-01T01:00:00Z'), 'Asia/Shanghai')).toBe('2026-11');
    expect(dataDuePeriod(new Date('2026-11-25T01:00:00Z'), 'Asia/Shanghai')).toBe('2026-11');
  });
});
