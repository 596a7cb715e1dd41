import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { findUnit, PolicyProfile, UnitKind } from '@zs/domain';
import { POLICY } from '../tokens';

export interface DirectoryUnit {
  id: string;
  /** the profile key, or `unit-<id>` for a unit an administrator added */
  key: string;
  name: string;
  kind: UnitKind;
  ranked: boolean;
  flags: string[];
}

export interface DirectoryMember {
  id: string;
  name: string;
  unitId: string;
  role: string;
  leaderPost: string | null;
  wecomUserId: string | null;
  dingtalkStaffId: string | null;
  mobile: string | null;
}

/**
 * Read-only view of the directory (units and members, owned by lead-intake) that scoring needs
 * to name units and to address the ranking notices (interview alerts are the scheduler's, ADR 0024). Read from lead-intake's
 * read-only views (directory_units_v, directory_members_v; ADR 0026), never its tables: every
 * ranking needs the whole unit list at once, and a request per ranking would make scoring
 * depend on lead-intake being up.
 */
@Injectable()
export class DirectoryReader {
  constructor(
    private readonly ds: DataSource,
    @Inject(POLICY) private readonly policy: PolicyProfile,
  ) {}

  async units(): Promise<DirectoryUnit[]> {
    const rows: { id: string; key: string | null; name: string; kind: UnitKind; ranked: boolean; flags: string[] | null }[] = await this.ds.query(
      `SELECT id::text AS id, profile_key AS key, name, kind, ranked, flags FROM directory_units_v ORDER BY id`,
    );
    return rows.map((r) => ({ id: r.id, key: r.key ?? `unit-${r.id}`, name: r.name, kind: r.kind, ranked: r.ranked, flags: r.flags ?? [] }));
  }

  /** A unit by id, profile key, name or alias. */
  resolve(units: DirectoryUnit[], ref: string): DirectoryUnit | undefined {
    const q = String(ref).trim();
    if (/^\d+$/.test(q)) {
      const byId = units.find((u) => u.id === q);
      if (byId) return byId;
    }
    const direct = units.find((u) => u.key === q || u.name === q);
    if (direct) return direct;
    const profileUnit = findUnit(this.policy, q);
    return profileUnit ? units.find((u) => u.key === profileUnit.key) : undefined;
  }

  async membersOfUnits(unitIds: string[], roles: string[]): Promise<DirectoryMember[]> {
    if (!unitIds.length) return [];
    return this.ds.query(
      `SELECT id::text AS id, name, unit_id::text AS "unitId", role, leader_post AS "leaderPost", wecom_user_id AS "wecomUserId", dingtalk_staff_id AS "dingtalkStaffId", mobile
       FROM directory_members_v WHERE unit_id = ANY($1::bigint[]) AND role = ANY($2::text[]) ORDER BY id`,
      [unitIds, roles],
    );
  }

  /** Who reads the city-wide ranking in a 1:1 app chat: city leaders and the administrators. */
  async cityReaders(): Promise<DirectoryMember[]> {
    return this.ds.query(
      `SELECT id::text AS id, name, unit_id::text AS "unitId", role, leader_post AS "leaderPost", wecom_user_id AS "wecomUserId", dingtalk_staff_id AS "dingtalkStaffId", mobile
       FROM directory_members_v WHERE role IN ('leader','admin') ORDER BY id`,
    );
  }
}
