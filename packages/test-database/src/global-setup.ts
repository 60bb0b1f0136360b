// Jest globalSetup: one PostgreSQL server and one migrated template for the whole run.
import { startTestServer, TEST_SERVER_ENV, type StartedTestServer } from './pg-server';

declare global {
  var __azoraTestServer: StartedTestServer | undefined;
}

export default async function globalSetup(): Promise<void> {
  const server = await startTestServer();
  globalThis.__azoraTestServer = server;
  // Workers are forked after globalSetup and inherit this.
  process.env[TEST_SERVER_ENV] = JSON.stringify(server.info);
}
