// SQL for users: insert (unique email, case-insensitively), look-ups, promotion to admin, grants.
import { z } from 'zod';
import { UserGrant, UserRole } from '@azora/contracts';
import type { Queryable } from '@azora/service-kit';
import type { UserRecord } from '../domain/users';

const UserRow = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: UserRole,
  // A grant this version does not know (written by a newer one) is left out rather than refused.
  grants: z.array(z.string()).transform((names) => names.filter((n) => UserGrant.safeParse(n).success) as UserGrant[]),
  password_hash: z.string(),
  created_at: z.date(),
});

const COLUMNS = 'id, email, name, role, grants, password_hash, created_at';

function toRecord(row: unknown): UserRecord {
  const r = UserRow.parse(row);
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    grants: r.grants,
    passwordHash: r.password_hash,
    createdAt: r.created_at,
  };
}

/** Null when a user with this email (in any letter case) exists. */
export async function insertUser(db: Queryable, user: Omit<UserRecord, 'grants'>): Promise<UserRecord | null> {
  const { rows } = await db.query(
    `INSERT INTO users (id, email, name, role, password_hash, created_at, updated_at)
     VALUES ($1, lower($2), $3, $4, $5, $6, $6)
     ON CONFLICT ((lower(email))) DO NOTHING
     RETURNING ${COLUMNS}`,
    [user.id, user.email, user.name, user.role, user.passwordHash, user.createdAt],
  );
  return rows[0] ? toRecord(rows[0]) : null;
}

export async function findUserByEmail(db: Queryable, email: string): Promise<UserRecord | null> {
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM users WHERE lower(email) = lower($1)`, [email]);
  return rows[0] ? toRecord(rows[0]) : null;
}

export async function findUserById(db: Queryable, id: string): Promise<UserRecord | null> {
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
  return rows[0] ? toRecord(rows[0]) : null;
}

export async function makeAdmin(db: Queryable, id: string, passwordHash: string, at: Date): Promise<UserRecord> {
  const { rows } = await db.query(
    `UPDATE users SET role = 'admin', password_hash = $2, updated_at = $3 WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, passwordHash, at],
  );
  return toRecord(rows[0]);
}

/** The user with their grants replaced; null when no user has this id. */
export async function setGrants(
  db: Queryable,
  id: string,
  grants: readonly UserGrant[],
  at: Date,
): Promise<UserRecord | null> {
  const { rows } = await db.query(
    `UPDATE users SET grants = $2::text[], updated_at = $3 WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, grants, at],
  );
  return rows[0] ? toRecord(rows[0]) : null;
}
