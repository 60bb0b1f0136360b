// loadRolePasswords: the file of each service role's password under the data directory.
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadRolePasswords } from '../src';

const tempDirs: string[] = [];

afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'azora-passwords-test-'));
  tempDirs.push(dir);
  return dir;
}

async function modeOf(file: string): Promise<number> {
  return (await stat(file)).mode & 0o777;
}

describe('loadRolePasswords', () => {
  it('When the file does not exist, then every schema gets a new password, written to a file of mode 0600', async () => {
    // Arrange
    const file = path.join(await tempDir(), 'data', 'role-passwords.json');

    // Act
    const passwords = await loadRolePasswords(file, ['mint', 'pay']);

    // Assert
    expect(Object.keys(passwords).sort()).toEqual(['mint', 'pay']);
    expect(passwords['mint']).toMatch(/^[A-Za-z0-9_-]{24,}$/);
    expect(passwords['pay']).toMatch(/^[A-Za-z0-9_-]{24,}$/);
    expect(passwords['mint']).not.toBe(passwords['pay']);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(passwords);
    expect(await modeOf(file)).toBe(0o600);
  });

  it('When the file holds some passwords, then they are kept, the missing ones are added and the file becomes mode 0600', async () => {
    // Arrange
    const file = path.join(await tempDir(), 'role-passwords.json');
    await writeFile(file, JSON.stringify({ mint: 'kept-mint-password' }), { mode: 0o644 });

    // Act
    const passwords = await loadRolePasswords(file, ['mint', 'pay']);

    // Assert
    expect(passwords['mint']).toBe('kept-mint-password');
    expect(passwords['pay']).toMatch(/^[A-Za-z0-9_-]{24,}$/);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(passwords);
    expect(await modeOf(file)).toBe(0o600);
  });

  it('When the passwords are loaded a second time, then the same passwords come back', async () => {
    // Arrange
    const file = path.join(await tempDir(), 'role-passwords.json');
    const first = await loadRolePasswords(file, ['mint', 'pay']);

    // Act
    const second = await loadRolePasswords(file, ['mint', 'pay']);

    // Assert
    expect(second).toEqual(first);
  });
});
