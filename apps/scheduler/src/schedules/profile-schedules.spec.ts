import { loadProfile } from '@zs/domain';
import { profileSchedules } from './profile-schedules';

describe('schedules seeded from a profile', () => {
  it('Yiyang: meetings remind a day ahead and reach the convener; the quarterly dispatch also publishes the ranking', () => {
    const s = profileSchedules(loadProfile('yiyang'));
    const review = s.find((x) => x.profileKey === 'monthly-review')!;
    expect(review).toMatchObject({ kind: 'monthly-review', cron: '0 9 5 * *', timezone: 'Asia/Shanghai', workingDaysOnly: true });
    expect(review.details.leadMinutes).toBe(1440);
    expect(review.audience.posts).toEqual(['vice-mayor-in-charge']);
    expect(review.audience.units).toEqual(expect.arrayContaining(['heshan', 'commerce']));
    expect(s.find((x) => x.profileKey === 'quarterly-dispatch-notice')).toMatchObject({ kind: 'ranking-notice', cron: '0 9 10 1,4,7,10 *' });
    expect(s.find((x) => x.profileKey === 'trip-quota-check')?.details.leadMinutes).toBe(0);
    expect(s.map((x) => x.kind)).toEqual(expect.arrayContaining(['stale-projects', 'interview-alerts', 'data-due']));
  });

  it('Hengyang tracks weekly itself, so gets no extra stale-project schedule', () => {
    const s = profileSchedules(loadProfile('hengyang'));
    expect(s.filter((x) => x.kind === 'stale-projects')).toEqual([]);
    expect(s.find((x) => x.profileKey === 'weekly-tracking')?.kind).toBe('weekly-tracking');
  });

  it('every city seeds valid, uniquely named schedules', () => {
    for (const city of ['yiyang', 'zhuzhou', 'hengyang', 'yongzhou', 'zhangye']) {
      const s = profileSchedules(loadProfile(city));
      expect(new Set(s.map((x) => x.name)).size).toBe(s.length);
      expect(new Set(s.map((x) => x.profileKey)).size).toBe(s.length);
    }
  });
});
