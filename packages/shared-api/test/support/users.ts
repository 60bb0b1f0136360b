// Registration bodies that pass the gateway's rules, unique per call.
import { randomUUID } from 'node:crypto';
import { type RegisterRequest } from '@azora/contracts';

export function newUser(overrides: Partial<RegisterRequest> = {}): RegisterRequest {
  return {
    email: `user-${randomUUID()}@example.test`,
    password: 'correct horse 42',
    name: 'Ada Student',
    role: 'student',
    ...overrides,
  };
}
