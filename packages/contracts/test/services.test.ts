import { SERVICES, databaseUrlVariable, serviceUrlVariable } from '../src/services';

describe('service catalog', () => {
  it('When the catalog is read, then it lists the ten services with distinct ports and schemas', () => {
    expect(SERVICES).toHaveLength(10);
    expect(new Set(SERVICES.map((s) => s.port)).size).toBe(10);
    expect(new Set(SERVICES.map((s) => s.schema)).size).toBe(10);
    expect(SERVICES.find((s) => s.name === 'api-gateway')?.port).toBe(4000);
  });

  it('When variable names are derived, then they follow <SCHEMA>_DATABASE_URL and <NAME>_URL', () => {
    expect(databaseUrlVariable('ai_family')).toBe('AI_FAMILY_DATABASE_URL');
    expect(serviceUrlVariable('azora-mint')).toBe('AZORA_MINT_URL');
  });
});
