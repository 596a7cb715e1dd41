import { ScheduleAudience } from '@zs/contracts';
import { PolicyProfile } from '@zs/domain';
import { MEETING_KINDS } from '../fires/run-executor';
import { NewSchedule } from './schedule.repository';

/**
 * The schedules a city starts with, from its profile's cadences: meeting kinds remind before the
 * meeting; a cadence that publishes a notice also gets a ranking-notice schedule at the meeting;
 * every city gets the weekly stale-project check (unless the profile has its own weekly tracking)
 * and, where the profile has accountability rules, the daily interview-alert check.
 */
export function profileSchedules(p: PolicyProfile): NewSchedule[] {
  const r = p.reminders;
  const graceSeconds = (r?.graceMinutes ?? 120) * 60;
  const workingDaysOnly = r?.workingDaysOnly ?? false;
  const unitKeysOf = (kinds?: string[]) => (kinds?.length ? p.units.filter((u) => kinds.includes(u.kind)).map((u) => u.key) : undefined);
  const out: NewSchedule[] = [];
  for (const c of p.cadences) {
    const audience: ScheduleAudience = {};
    if (c.audienceRoles?.length) audience.roles = c.audienceRoles;
    const units = unitKeysOf(c.audienceUnitKinds);
    if (units) audience.units = units;
    if (c.chairPost) audience.posts = [c.chairPost];
    const meeting = MEETING_KINDS.includes(c.kind);
    out.push({
      profileKey: c.key,
      kind: c.kind,
      name: c.name,
      cron: c.cron,
      timezone: p.timezone,
      enabled: c.enabled,
      workingDaysOnly,
      audience,
      message: null,
      details: { chair: c.chair, attendees: c.audience, leadMinutes: meeting ? (r?.meetingLeadMinutes ?? 0) : 0, source: c.source, cadenceKey: c.key },
      graceSeconds,
    });
    if (c.publishesNotice && c.kind !== 'ranking-notice') {
      out.push({
        profileKey: `${c.key}-notice`,
        kind: 'ranking-notice',
        name: `${c.name}·排名通报`,
        cron: c.cron,
        timezone: p.timezone,
        enabled: c.enabled,
        workingDaysOnly,
        audience: {},
        message: null,
        details: { source: c.source, cadenceKey: c.key },
        graceSeconds,
      });
    }
  }
  if (!p.cadences.some((c) => c.kind === 'weekly-tracking')) {
    out.push({
      profileKey: 'stale-projects',
      kind: 'stale-projects',
      name: '项目推进提醒',
      cron: '0 9 * * 1',
      timezone: p.timezone,
      enabled: true,
      workingDaysOnly,
      audience: {},
      message: null,
      details: { source: 'leadTiers.trackingCadence' },
      graceSeconds,
    });
  }
  if (p.accountability.length) {
    out.push({
      profileKey: 'interview-alerts',
      kind: 'interview-alerts',
      name: '约谈提醒',
      cron: '0 9 * * *',
      timezone: p.timezone,
      enabled: true,
      workingDaysOnly,
      audience: {},
      message: null,
      details: { source: 'accountability' },
      graceSeconds,
    });
  }
  return out;
}
