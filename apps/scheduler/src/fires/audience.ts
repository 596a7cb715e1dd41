import { DataSource } from 'typeorm';
import { ScheduleAudience } from '@zs/contracts';
import type { Person } from '@zs/domain';

export interface Recipient extends Person {
  wecomUserId: string | null;
  dingtalkStaffId: string | null;
  unitKey: string | null;
}

/**
 * Reads the directory (units, members, leaders' posts) and resolves a schedule's audience.
 * Units and roles narrow each other ("the heads of the counties"); members and posts add named
 * people; robots are group chats, sent to as they are.
 */
export class AudienceResolver {
  constructor(private readonly db: DataSource) {}

  async everyone(): Promise<Recipient[]> {
    return this.db.query(`
      SELECT m.id::text AS "memberId", m.name, m.unit_id::text AS "unitId", u.name AS "unitName", u.kind AS "unitKind",
             u.profile_key AS "unitKey", m.role, m.leader_post AS post, m.wecom_user_id AS "wecomUserId", m.dingtalk_staff_id AS "dingtalkStaffId"
      FROM directory_members_v m JOIN directory_units_v u ON u.id = m.unit_id
      ORDER BY m.id`);
  }

  static select(people: Recipient[], a: ScheduleAudience): Recipient[] {
    const units = a.units?.length ? new Set(a.units) : null;
    const roles = a.roles?.length ? new Set<string>(a.roles) : null;
    const chosen = new Map<string, Recipient>();
    if (units || roles) {
      for (const p of people) {
        if (units && !(units.has(p.unitId) || (p.unitKey && units.has(p.unitKey)))) continue;
        if (roles && !roles.has(p.role)) continue;
        chosen.set(p.memberId, p);
      }
    }
    const members = new Set(a.members ?? []);
    const posts = new Set<string>(a.posts ?? []);
    for (const p of people) {
      if (members.has(p.memberId) || (p.post && posts.has(p.post))) chosen.set(p.memberId, p);
    }
    return [...chosen.values()];
  }

  async unknownMembers(ids: string[]): Promise<string[]> {
    if (!ids.length) return [];
    const rows: { id: string }[] = await this.db.query(`SELECT id::text AS id FROM directory_members_v WHERE id = ANY($1::bigint[])`, [ids]);
    const known = new Set(rows.map((r) => r.id));
    return ids.filter((i) => !known.has(i));
  }

  async unknownRobots(ids: string[]): Promise<string[]> {
    if (!ids.length) return [];
    const rows: { id: string }[] = await this.db.query(`SELECT id::text AS id FROM robot_directory_v WHERE id = ANY($1::bigint[])`, [ids]);
    const known = new Set(rows.map((r) => r.id));
    return ids.filter((i) => !known.has(i));
  }

  async robotChannel(id: string): Promise<string | null> {
    const rows = await this.db.query(`SELECT platform FROM robot_directory_v WHERE id = $1`, [id]);
    return rows[0]?.platform ?? null;
  }
}
