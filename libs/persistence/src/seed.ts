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
      const id = await repo.upsertProfileUnit({ key: u.key, name: u.name, kind: u.kind, ranked: u.ranked });
      unitIds.set(u.key, id);
      if (u.flags?.length) await em.query(`UPDATE units SET flags = $1 WHERE id = $2`, [u.flags, id]);
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
        if (m.leaderPost || m.portfolios) {
          // Leader posts decide who convenes an interview (约谈); additive columns from the scoring migration.
          await em.query(`UPDATE members SET leader_post = $1, portfolios = $2 WHERE wecom_user_id = $3`, [
            m.leaderPost ?? null,
            m.portfolios ?? null,
            m.wecomUserId,
          ]);
        }
        members++;
      }
    }
    return { units: unitIds.size, members };
  });
}
