// What a newcomer needs to know once the platform is up: who can sign in as administrator,
// which browser origins the gateway lets in, and how the services are kept apart.
import { corsOriginsFor } from './service-env';
import type { ServiceUsers } from './service-users';

type Env = Readonly<Record<string, string | undefined>>;

export function adminNote(env: Env): string[] {
  const email = env['ADMIN_EMAIL'];
  if (email) return [`administrator   ${email} (ADMIN_EMAIL)`];
  return [
    'administrator   none: to sign in as admin, set ADMIN_EMAIL and ADMIN_PASSWORD',
    '                (10+ characters, a letter and a digit) and start again',
  ];
}

export function corsNote(env: Env): string[] {
  const { origins, fromDefault } = corsOriginsFor(env);
  if (!fromDefault) return [`browser origins ${origins.split(',').join(', ')} (CORS_ORIGINS)`];
  const ports = [...new Set(origins.split(',').map((o) => new URL(o).port))].join(', ');
  return [
    `browser origins http://localhost and http://127.0.0.1 on ports ${ports}`,
    '                (local dev servers, as CORS_ORIGINS is unset; set CORS_ORIGINS to choose)',
  ];
}

export function isolationNote(users: ServiceUsers): string[] {
  if (users.separate) return ['isolation       each service runs as an OS user of its own (azora_<schema>)'];
  return [`isolation       every service runs as this user (${users.reason})`];
}
