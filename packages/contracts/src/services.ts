// The service catalog: name, directory, default port and database schema of every service.
// The launcher, the gateway and monitoring all read it from here.
export interface ServiceInfo {
  /** Package directory under services/ and the name used in logs and the status page. */
  readonly name: string;
  readonly title: string;
  readonly port: number;
  readonly schema: string;
  /** Path prefix under /api on the gateway, when the service is public. */
  readonly publicPrefix: string | null;
}

export const SERVICES = [
  { name: 'azora-nexus', title: 'Nexus event bus', port: 3000, schema: 'nexus', publicPrefix: null },
  { name: 'azora-education', title: 'Education', port: 3001, schema: 'education', publicPrefix: 'education' },
  { name: 'azora-mint', title: 'Mint', port: 3002, schema: 'mint', publicPrefix: 'mint' },
  { name: 'azora-forge', title: 'Forge', port: 3003, schema: 'forge', publicPrefix: 'forge' },
  { name: 'ai-family-service', title: 'AI Family', port: 3004, schema: 'ai_family', publicPrefix: 'ai' },
  { name: 'azora-pay', title: 'Pay', port: 3010, schema: 'pay', publicPrefix: 'pay' },
  {
    name: 'notification-service',
    title: 'Notification',
    port: 3011,
    schema: 'notification',
    publicPrefix: 'notifications',
  },
  { name: 'analytics-service', title: 'Analytics', port: 3012, schema: 'analytics', publicPrefix: 'analytics' },
  { name: 'monitoring-service', title: 'Monitoring', port: 3013, schema: 'monitoring', publicPrefix: 'monitoring' },
  { name: 'api-gateway', title: 'API Gateway', port: 4000, schema: 'gateway', publicPrefix: null },
] as const satisfies readonly ServiceInfo[];

export type ServiceName = (typeof SERVICES)[number]['name'];
export type SchemaName = (typeof SERVICES)[number]['schema'];

export function serviceByName(name: string): ServiceInfo | undefined {
  return SERVICES.find((s) => s.name === name);
}

/** The catalog entry of a service known at compile time. */
export function serviceInfo(name: ServiceName): ServiceInfo {
  return SERVICES.find((s) => s.name === name) as ServiceInfo;
}

/** `education` -> `EDUCATION_DATABASE_URL`: where a service finds its own database. */
export function databaseUrlVariable(schema: string): string {
  return `${schema.toUpperCase()}_DATABASE_URL`;
}

/** `azora-mint` -> `AZORA_MINT_URL`: where peers find a service. */
export function serviceUrlVariable(name: string): string {
  return `${name.toUpperCase().replace(/-/g, '_')}_URL`;
}
