// What `npm start` tells a newcomer once the platform is up: how to become admin, and which
// browser origins may call the gateway.
import { DEV_CORS_ORIGINS, adminNote, corsNote } from '../src';

describe('start notes', () => {
  it('When ADMIN_EMAIL is unset, then the note says which two variables make an administrator', () => {
    // Act
    const note = adminNote({}).join('\n');

    // Assert
    expect(note).toContain('ADMIN_EMAIL');
    expect(note).toContain('ADMIN_PASSWORD');
  });

  it('When ADMIN_EMAIL is set, then the note names the administrator and never the password', () => {
    // Act
    const note = adminNote({ ADMIN_EMAIL: 'admin@example.com', ADMIN_PASSWORD: 'secret-pass-1' }).join('\n');

    // Assert
    expect(note).toContain('admin@example.com');
    expect(note).not.toContain('secret-pass-1');
  });

  it('When CORS_ORIGINS is unset, then the note names the dev ports allowed and the variable that changes them', () => {
    // Act
    const note = corsNote({}).join('\n');

    // Assert
    for (const port of new Set(DEV_CORS_ORIGINS.map((o) => new URL(o).port))) expect(note).toContain(port);
    expect(note).toContain('CORS_ORIGINS');
  });

  it('When CORS_ORIGINS is set, then the note lists exactly its origins', () => {
    // Act
    const note = corsNote({ CORS_ORIGINS: 'https://a.example,https://b.example' }).join('\n');

    // Assert
    expect(note).toContain('https://a.example, https://b.example');
    expect(note).not.toContain('localhost');
  });
});
