// An error nobody caught ends the process through the logger, with exit code 1, after the log
// has had its bounded moment to flush.
import { spawn } from 'node:child_process';
import path from 'node:path';

const KIT_DIST = path.resolve(__dirname, '..', 'dist');

function runNode(script: string): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (stdout += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout }));
  });
}

const script = (throwing: string) => `
  const kit = require(${JSON.stringify(KIT_DIST)});
  const logger = kit.createLogger({ service: 'azora-mint', level: 'info', pretty: false });
  kit.exitOnFatalErrors(logger);
  setTimeout(() => process.stdout.write('still running\\n'), 1000);
  ${throwing}
`;

describe('fatal errors', () => {
  it.each([
    ['an uncaught exception', "setTimeout(() => { throw new Error('boom in a timer'); }, 10);", 'uncaught exception'],
    ['an unhandled rejection', "Promise.reject(new Error('boom in a promise'));", 'unhandled promise rejection'],
  ])('When a service has %s, then it logs it as fatal JSON and exits 1', async (_what, throwing, message) => {
    // Act
    const exited = await runNode(script(throwing));

    // Assert
    expect(exited.code).toBe(1);
    expect(exited.stdout).not.toContain('still running');
    const line = JSON.parse(exited.stdout.trim().split('\n').at(-1) ?? '{}');
    expect(line).toMatchObject({ level: 60, service: 'azora-mint', msg: `${message}: exiting` });
    expect(line.err.message).toMatch(/^boom in a/);
  });
});
