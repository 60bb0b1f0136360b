// The user record as the gateway keeps it, what a registration asks for, and a grant list as stored.
import type { UserGrant, UserRole } from '@azora/contracts';

export interface UserRecord {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  /** Given by an admin on top of the role; none when the account is created. */
  grants: UserGrant[];
  passwordHash: string;
  createdAt: Date;
}

export interface RegisterInput {
  email: string;
  password: string;
  name: string;
  role: UserRole;
}

/** The grants as stored: each once, in the contracts' order, so equal sets are equal arrays. */
export function normaliseGrants(grants: readonly UserGrant[], known: readonly UserGrant[]): UserGrant[] {
  return known.filter((grant) => grants.includes(grant));
}
