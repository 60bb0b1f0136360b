// Jest globalTeardown: drop the run's databases and stop its server.
export default async function globalTeardown(): Promise<void> {
  await globalThis.__azoraTestServer?.stop();
  globalThis.__azoraTestServer = undefined;
}
