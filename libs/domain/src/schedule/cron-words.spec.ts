import { cronFromScheduleForm, scheduleCronWords, scheduleFormFromCron } from './cron-words';

describe('schedules in words and in the form', () => {
  it('says the common schedules the way the bureau writes them', () => {
    expect(scheduleCronWords('0 9 5 * *', true)).toBe('每月5日 09:00，遇节假日顺延');
    expect(scheduleCronWords('30 8 * * *', false)).toBe('每天 08:30');
    expect(scheduleCronWords('0 17 * * 5', false)).toBe('每周五 17:00');
    expect(scheduleCronWords('0 9 * * 0', false)).toBe('每周日 09:00');
    expect(scheduleCronWords('0 9 * * 7', false)).toBe('每周日 09:00');
    expect(scheduleCronWords('0 10 3 1,4,7,10 *', true)).toBe('每季度首月3日 10:00，遇节假日顺延');
    expect(scheduleCronWords('0 9 15 3,6,9,12 *', true)).toBe('每季度末月15日 09:00，遇节假日顺延');
    expect(scheduleCronWords('0 9 25 12 *', false)).toBe('每年12月25日 09:00');
  });

  it('leaves crons the form cannot hold to the caller', () => {
    expect(scheduleCronWords('*/5 * * * *', false)).toBeNull();
    expect(scheduleCronWords('0 9 1-5 * *', false)).toBeNull();
    expect(scheduleCronWords('0 9 5 * 1', false)).toBeNull();
    expect(scheduleCronWords('0 9 5 2,8 *', false)).toBeNull();
    expect(scheduleCronWords('0 9 5 13 *', false)).toBeNull();
    expect(scheduleCronWords('0 0 9 5 * *', false)).toBeNull();
    expect(scheduleFormFromCron('0 24 * * *')).toBeNull();
  });

  it('writes the cron for a filled form and reads it back', () => {
    expect(cronFromScheduleForm({ frequency: 'monthly', monthDay: 5, hour: 9, minute: 0 })).toBe('0 9 5 * *');
    expect(cronFromScheduleForm({ frequency: 'weekly', weekday: 7, hour: 18, minute: 15 })).toBe('15 18 * * 0');
    expect(cronFromScheduleForm({ frequency: 'daily', hour: 7, minute: 5 })).toBe('5 7 * * *');
    expect(cronFromScheduleForm({ frequency: 'quarterly', monthDay: 10, hour: 9, minute: 30 })).toBe('30 9 10 1,4,7,10 *');
    expect(scheduleFormFromCron('15 18 * * 0')).toEqual({ frequency: 'weekly', weekday: 7, hour: 18, minute: 15 });
    expect(scheduleFormFromCron('0 9 5 * *')).toEqual({ frequency: 'monthly', monthDay: 5, hour: 9, minute: 0 });
    expect(cronFromScheduleForm({ frequency: 'quarter-end', monthDay: 15, hour: 9, minute: 0 })).toBe('0 9 15 3,6,9,12 *');
    expect(cronFromScheduleForm({ frequency: 'yearly', month: 12, monthDay: 25, hour: 9, minute: 0 })).toBe('0 9 25 12 *');
    expect(scheduleFormFromCron('0 9 25 12 *')).toEqual({ frequency: 'yearly', month: 12, monthDay: 25, hour: 9, minute: 0 });
  });

  it('refuses a form value out of range', () => {
    expect(() => cronFromScheduleForm({ frequency: 'monthly', monthDay: 32, hour: 9, minute: 0 })).toThrow('monthDay must be 1..31');
    expect(() => cronFromScheduleForm({ frequency: 'weekly', hour: 9, minute: 0 })).toThrow('weekday must be 1..7');
    expect(() => cronFromScheduleForm({ frequency: 'daily', hour: 9, minute: 60 })).toThrow('minute must be 0..59');
    expect(() => cronFromScheduleForm({ frequency: 'yearly', monthDay: 1, hour: 9, minute: 0 })).toThrow('month must be 1..12');
  });
});
