// The user record as the gateway keeps it, and what a registration asks for.
import type { UserRole } from '@azora/contracts';

export interface UserRecord {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  passwordHash: string;
  createdAt: Date;
}

export interface RegisterInput {
  email: string;
  password: string;
  name: string;
  role: UserRole;
}
