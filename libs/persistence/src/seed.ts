import { DataSource } from 'typeorm';
import { loadDemoMembers, loadProfile } from '@zs/domain';
import { DirectoryRepository } from './repositories/directory.repository';

/**
 * Loads a city's units from its policy profile and, for the demo, its demo members.
 * Idempotent: units are keyed by profile key, members by WeCom userid.
 */
export async function seedCity(ds: DataSource, profileId: string, withDemoMembers: boolean) {
  const profile = loadProfile(profileId);
  return ds.transaction(async (em) => {
    const repo = new DirectoryRepository(em);
    const unitIds = new Map<string, string>();
    for (const u of profile.units) {
      unitIds.set(u.key, await repo.upsertProfileUnit({ key: u.key, name: u.name, kind: u.kind, ranked: u.ranked }));
    }
    let members = 0;
    if (withDemoMembers) {
      for (const m of loadDemoMembers(profileId)) {
        const unitId = unitIds.get(m.unitKey);
        if (!unitId) throw new Error(`demo member ${m.wecomUserId} names unknown unit ${m.unitKey}`);
        await repo.upsertMemberByWecomId({
          name: m.name,
          unitId,
          role: m.role,
          wecomUserId: m.wecomUserId,
          dingtalkStaffId: m.dingtalkStaffId,
          mobile: m.mobile,
        });
        if (m.leaderPost) {
          // City leaders' posts (who convenes, who interviews): the scheduler's audiences address them.
          await em.query(
            `INSERT INTO member_posts (member_id, post) SELECT id, $2 FROM members WHERE wecom_user_id = $1
             ON CONFLICT (member_id) DO UPDATE SET post = EXCLUDED.post`,
            [m.wecomUserId, m.leaderPost],
          );
        }
        members++;
      }
    }
    return { units: unitIds.size, members };
  });
}
