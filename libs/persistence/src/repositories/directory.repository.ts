import { DataSource, EntityManager } from 'typeorm';

export interface UnitRow {
  id: string;
  profileKey: string | null;
  name: string;
  kind: string;
  ranked: boolean;
  memberCount: number;
  createdAt: Date;
}

export interface MemberRow {
  id: string;
  name: string;
  unitId: string;
  unitName: string;
  role: string;
  wecomUserId: string | null;
  dingtalkStaffId: string | null;
  mobile: string | null;
  createdAt: Date;
}

export interface NewMember {
  name: string;
  unitId: string;
  role: string;
  wecomUserId?: string | null;
  dingtalkStaffId?: string | null;
  mobile?: string | null;
}

/** Raised when a write would break a uniqueness rule; carries a message fit for an administrator. */
export class ConflictError extends Error {}

const MEMBER_SELECT = `
  SELECT m.id::text AS "id", m.name AS "name", m.unit_id::text AS "unitId", u.name AS "unitName", m.role AS "role",
         m.wecom_user_id AS "wecomUserId", m.dingtalk_staff_id AS "dingtalkStaffId", m.mobile AS "mobile",
         m.created_at AS "createdAt", m.active AS "active"
  FROM members m JOIN units u ON u.id = m.unit_id`;

/** Units and members: who may talk to the bot and on whose behalf. */
export class DirectoryRepository {
  constructor(private readonly db: DataSource | EntityManager) {}

  /** WeCom userids of the administrators, who are told when something needs a person (a broken channel, a dead letter). */
  async administratorWecomUserIds(): Promise<string[]> {
    const rows: Array<{ u: string }> = await this.db.query(
      `SELECT wecom_user_id AS u FROM members WHERE role = 'admin' AND wecom_user_id IS NOT NULL ORDER BY id LIMIT 1000`,
    );
    return rows.map((r) => r.u);
  }

  async listUnits(): Promise<UnitRow[]> {
    const rows = await this.db.query(`
      SELECT u.id::text AS "id", u.profile_key AS "profileKey", u.name AS "name", u.kind AS "kind", u.ranked AS "ranked",
             u.created_at AS "createdAt", (SELECT count(*)::int FROM members m WHERE m.unit_id = u.id) AS "memberCount"
      FROM units u ORDER BY u.id`);
    return rows;
  }

  /** One page of units for the admin API, with the total; same order as listUnits. */
  async pageUnits(limit: number, offset: number): Promise<{ items: UnitRow[]; total: number }> {
    const items = await this.db.query(
      `SELECT u.id::text AS "id", u.profile_key AS "profileKey", u.name AS "name", u.kind AS "kind", u.ranked AS "ranked",
              u.created_at AS "createdAt", (SELECT count(*)::int FROM members m WHERE m.unit_id = u.id) AS "memberCount"
       FROM units u ORDER BY u.id LIMIT $1 OFFSET $2`,
      [limit, offset],
    );
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total FROM units`);
    return { items, total };
  }

  async findUnit(idOrName: { id?: string; name?: string }): Promise<UnitRow | null> {
    const rows = await this.db.query(
      `SELECT u.id::text AS "id", u.profile_key AS "profileKey", u.name AS "name", u.kind AS "kind", u.ranked AS "ranked",
              u.created_at AS "createdAt", 0 AS "memberCount"
       FROM units u WHERE ($1::bigint IS NOT NULL AND u.id = $1::bigint) OR ($2::text IS NOT NULL AND u.name = $2)`,
      [idOrName.id ?? null, idOrName.name ?? null],
    );
    return rows[0] ?? null;
  }

  async createUnit(u: { name: string; kind: string; ranked: boolean; profileKey?: string | null }): Promise<UnitRow> {
    try {
      const rows = await this.db.query(
        `INSERT INTO units (name, kind, ranked, profile_key) VALUES ($1, $2, $3, $4)
         RETURNING id::text AS "id", profile_key AS "profileKey", name, kind, ranked, created_at AS "createdAt", 0 AS "memberCount"`,
        [u.name, u.kind, u.ranked, u.profileKey ?? null],
      );
      return rows[0];
    } catch (e) {
      throw translateUnique(e);
    }
  }

  /** Inserts or updates a unit identified by its profile key (seeding from a policy profile). */
  async upsertProfileUnit(u: { key: string; name: string; kind: string; ranked: boolean }): Promise<string> {
    const rows = await this.db.query(
      `INSERT INTO units (profile_key, name, kind, ranked) VALUES ($1, $2, $3, $4)
       ON CONFLICT (profile_key) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, ranked = EXCLUDED.ranked
       RETURNING id::text AS id`,
      [u.key, u.name, u.kind, u.ranked],
    );
    return rows[0].id;
  }

  async listMembers(unitId?: string): Promise<MemberRow[]> {
    return this.db.query(`${MEMBER_SELECT} WHERE ($1::bigint IS NULL OR m.unit_id = $1::bigint) ORDER BY m.id`, [unitId ?? null]);
  }

  /** One page of members (optionally of one unit) for the admin API, with the total; same order as listMembers. */
  /** A page of members, of one unit or all; `memberId` narrows it to that one member (an ownership check). */
  async pageMembers(unitId: string | undefined, limit: number, offset: number, memberId?: string): Promise<{ items: MemberRow[]; total: number }> {
    const where = `WHERE ($1::bigint IS NULL OR m.unit_id = $1::bigint) AND ($2::bigint IS NULL OR m.id = $2::bigint)`;
    const items = await this.db.query(`${MEMBER_SELECT} ${where} ORDER BY m.id LIMIT $3 OFFSET $4`, [unitId ?? null, memberId ?? null, limit, offset]);
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total FROM members m ${where}`, [unitId ?? null, memberId ?? null]);
    return { items, total };
  }

  async createMember(m: NewMember): Promise<MemberRow> {
    try {
      const rows = await this.db.query(
        `INSERT INTO members (name, unit_id, role, wecom_user_id, dingtalk_staff_id, mobile)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id::text AS id`,
        [m.name, m.unitId, m.role, m.wecomUserId ?? null, m.dingtalkStaffId ?? null, m.mobile ?? null],
      );
      const [row] = await this.db.query(`${MEMBER_SELECT} WHERE m.id = $1`, [rows[0].id]);
      return row;
    } catch (e) {
      throw translateUnique(e);
    }
  }

  /** Seeding: a member identified by WeCom userid is created once and updated afterwards. */
  async upsertMemberByWecomId(m: NewMember & { wecomUserId: string }): Promise<void> {
    await this.db.query(
      `INSERT INTO members (name, unit_id, role, wecom_user_id, dingtalk_staff_id, mobile)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (wecom_user_id) DO UPDATE SET name = EXCLUDED.name, unit_id = EXCLUDED.unit_id, role = EXCLUDED.role,
         dingtalk_staff_id = EXCLUDED.dingtalk_staff_id, mobile = EXCLUDED.mobile`,
      [m.name, m.unitId, m.role, m.wecomUserId, m.dingtalkStaffId ?? null, m.mobile ?? null],
    );
  }

  /** Resolves a chat sender to a registered member, or null for an unknown sender. */
  async findMemberByChatIdentity(platform: 'wecom' | 'dingtalk', senderId: string): Promise<MemberRow | null> {
    const column = platform === 'wecom' ? 'm.wecom_user_id' : 'm.dingtalk_staff_id';
    // A deactivated member is an unknown sender from then on; their history stays.
    const rows = await this.db.query(`${MEMBER_SELECT} WHERE ${column} = $1 AND m.active`, [senderId]);
    return rows[0] ?? null;
  }

  /** Changes a member; a deactivated member can be reactivated with active: true. */
  async updateMember(id: string, p: { name?: string; unitId?: string; role?: string; wecomUserId?: string; dingtalkStaffId?: string; mobile?: string; active?: boolean }): Promise<MemberRow | null> {
    const cols: Record<string, string> = { name: 'name', unitId: 'unit_id', role: 'role', wecomUserId: 'wecom_user_id', dingtalkStaffId: 'dingtalk_staff_id', mobile: 'mobile', active: 'active' };
    const sets: string[] = [];
    const values: unknown[] = [id];
    for (const [k, v] of Object.entries(p)) {
      if (v === undefined || !cols[k]) continue;
      values.push(v);
      sets.push(`${cols[k]} = $${values.length}`);
    }
    if (p.active === true) sets.push('deactivated_at = NULL');
    if (sets.length) {
      try {
        await this.db.query(`UPDATE members SET ${sets.join(', ')} WHERE id = $1`, values);
      } catch (e) {
        throw translateUnique(e);
      }
    }
    const [row] = await this.db.query(`${MEMBER_SELECT} WHERE m.id = $1`, [id]);
    return row ?? null;
  }

  /** Deactivates a member: no longer recognised in chat; their leads and history stay. */
  async deactivateMember(id: string): Promise<MemberRow | null> {
    await this.db.query(`UPDATE members SET active = false, deactivated_at = coalesce(deactivated_at, now()) WHERE id = $1`, [id]);
    const [row] = await this.db.query(`${MEMBER_SELECT} WHERE m.id = $1`, [id]);
    return row ?? null;
  }

  /** Active members of a unit, by its profile key or id: whom a unit-wide notice reaches. */
  async activeMembersOfUnit(unit: { profileKey?: string; id?: string }): Promise<MemberRow[]> {
    return this.db.query(
      `${MEMBER_SELECT} WHERE m.active AND (($1::text IS NOT NULL AND u.profile_key = $1) OR ($2::bigint IS NOT NULL AND u.id = $2::bigint)) ORDER BY m.id`,
      [unit.profileKey ?? null, unit.id ?? null],
    );
  }
}

function translateUnique(e: unknown): unknown {
  const err = e as { code?: string; constraint?: string };
  if (err.code !== '23505') return e;
  const which: Record<string, string> = {
    units_name_key: 'a unit with this name already exists',
    units_profile_key_key: 'a unit with this profile key already exists',
    members_wecom_user_id_key: 'another member already has this WeCom userid',
    members_dingtalk_staff_id_key: 'another member already has this DingTalk staffId',
  };
  return new ConflictError(which[err.constraint ?? ''] ?? 'duplicate value');
}
