// @ts-check
// Which secret each service holds, and nothing more: its own database URL and signing key (every
// service), and the credentials of its own providers. Compose, the Kubernetes Secrets and the
// tests read this one table.
'use strict';

/** Secret variables beyond the database URL and the signing key, by service. */
const PROVIDER_SECRETS = {
  'azora-nexus': [],
  'azora-education': [],
  'azora-mint': [],
  'azora-forge': [],
  'ai-family-service': ['OPENAI_API_KEY'],
  'azora-pay': ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'PAY_SANDBOX_WEBHOOK_SECRET'],
  'notification-service': ['SMTP_URL', 'VAPID_PUBLIC_KEY', 'VAPID_PRIVATE_KEY'],
  'analytics-service': [],
  'monitoring-service': [],
  'api-gateway': ['GATEWAY_KEY_ENCRYPTION_KEY', 'ADMIN_EMAIL', 'ADMIN_PASSWORD'],
};

/** Shared by every service when set: the bearer token Prometheus sends to /metrics. */
const SHARED_SECRETS = ['METRICS_TOKEN'];

/** @param {string} service */
function providerSecrets(service) {
  const names = /** @type {Record<string, string[]>} */ (PROVIDER_SECRETS)[service];
  if (!names) throw new Error(`unknown service ${service}`);
  return names;
}

module.exports = { PROVIDER_SECRETS, SHARED_SECRETS, providerSecrets };
