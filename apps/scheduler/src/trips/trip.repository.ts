import { DataSource } from 'typeorm';

export interface TripRow {
  id: string;
  memberId: string;
  memberName: string;
  unitName: string;
  date: string;
  destination: string;
  purpose: string;
  source: string;
  createdAt: Date;
}

export class UnknownMember extends Error {}

/** Investment trips (外出招商) officials log; the trip quotas count them. */
export class TripRepository {
  constructor(private readonly db: DataSource) {}

  /** Logging the same trip twice (same person, day, destination) keeps one record and updates its purpose. */
  async record(t: { memberId: string; date: string; destination: string; purpose: string; source: string }): Promise<{ trip: TripRow; created: boolean }> {
    const member = await this.db.query(`SELECT 1 FROM directory_members_v WHERE id = $1`, [t.memberId]);
    if (!member.length) throw new UnknownMember(`成员 ${t.memberId} 不存在`);
    const rows = await this.db.query(
      `INSERT INTO trips (member_id, trip_date, destination, purpose, source) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (member_id, trip_date, destination) DO UPDATE SET purpose = EXCLUDED.purpose
       RETURNING id::text AS id, (xmax = 0) AS created`,
      [t.memberId, t.date, t.destination, t.purpose, t.source],
    );
    const trip = (await this.list({ id: rows[0].id }))[0];
    return { trip, created: rows[0].created };
  }

  async list(f: { id?: string; memberId?: string; from?: string; to?: string } = {}): Promise<TripRow[]> {
    return this.db.query(
      `SELECT t.id::text AS "id", t.member_id::text AS "memberId", m.name AS "memberName", u.name AS "unitName",
              to_char(t.trip_date, 'YYYY-MM-DD') AS "date", t.destination, t.purpose, t.source, t.created_at AS "createdAt"
       FROM trips t JOIN directory_members_v m ON m.id = t.member_id JOIN directory_units_v u ON u.id = m.unit_id
       WHERE ($1::bigint IS NULL OR t.id = $1::bigint) AND ($2::bigint IS NULL OR t.member_id = $2::bigint)
         AND ($3::date IS NULL OR t.trip_date >= $3::date) AND ($4::date IS NULL OR t.trip_date < $4::date)
       ORDER BY t.trip_date DESC, t.id DESC LIMIT 1000`,
      [f.id ?? null, f.memberId ?? null, f.from ?? null, f.to ?? null],
    );
  }

  async countInQuarter(memberId: string, from: string, to: string): Promise<number> {
    const r = await this.db.query(`SELECT count(*)::int AS n FROM trips WHERE member_id = $1 AND trip_date >= $2 AND trip_date < $3`, [memberId, from, to]);
    return r[0].n;
  }
}
