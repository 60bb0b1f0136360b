// Unit tests of Notification's pure rules: template parsing and escaping, preferences, retries,
// push endpoints, amounts and ledger parties.
import { formatMoney } from '../src/domain/format';
import { userOfParty } from '../src/domain/notices';
import { preferenceMap, settingsFor, switchesOf } from '../src/domain/preferences';
import { isAllowedPushEndpoint } from '../src/domain/push-endpoints';
import { decide, pushOutcome, retryDelayMs } from '../src/domain/retries';
import {
  checkTemplateSet,
  escapeHtml,
  oneLine,
  parseTemplate,
  renderNotice,
  TemplateError,
} from '../src/domain/templates';
import { loadTemplates } from '../src/templates/template-files';

describe('templates', () => {
  const source = [
    '# a comment',
    '[subject]',
    'Hi {{name}}',
    '[text]',
    'Dear {{ name }}',
    '[html]',
    '<b>{{name}}</b>',
    '[title]',
    'T',
    '[body]',
    'B',
  ].join('\n');

  it('When a template has every section, then each is read without its header', () => {
    expect(parseTemplate(source, 't')).toEqual({
      subject: 'Hi {{name}}',
      text: 'Dear {{ name }}',
      html: '<b>{{name}}</b>',
      title: 'T',
      body: 'B',
    });
  });

  it('When a section is missing or repeated, then the template is refused', () => {
    expect(() => parseTemplate('[subject]\nx', 't')).toThrow(/missing section/);
    expect(() => parseTemplate(`${source}\n[title]\nagain`, 't')).toThrow(/appears twice/);
  });

  it('When a template names a value its kind does not have, then the set is refused', () => {
    const set = loadTemplates();
    const broken = { ...set, kinds: { ...set.kinds, welcome: { ...set.kinds.welcome, subject: 'Hi {{password}}' } } };
    expect(() => checkTemplateSet(broken)).toThrow(TemplateError);
  });

  it('When values are rendered, then HTML is escaped in HTML only, and one-line fields lose their line breaks', () => {
    const rendered = renderNotice(loadTemplates(), 'welcome', { name: `<i>O'Neil</i>\r\n$& "x"` });
    expect(rendered.subject).toBe(`Welcome to Azora, <i>O'Neil</i> $& "x"`);
    expect(rendered.html).toContain('&lt;i&gt;O&#39;Neil&lt;/i&gt; $&amp; &quot;x&quot;');
    expect(rendered.html).not.toContain('<i>');
    expect(rendered.text).toContain(`Hi <i>O'Neil</i>\n$& "x",`);
  });

  it('When text carries control characters, then they are removed', () => {
    expect(oneLine('a\u0000b\u0007c\u2028d')).toBe('abcd');
    expect(escapeHtml(`<>&"'`)).toBe('&lt;&gt;&amp;&quot;&#39;');
  });
});

describe('preferences', () => {
  it('When nothing was switched, then each kind has its defaults', () => {
    expect(settingsFor('tokens_earned', [])).toEqual({ in_app: true, email: false, push: false });
  });

  it('When a switch is stored for required mail, then the mail stays on', () => {
    expect(settingsFor('welcome', [{ kind: 'welcome', channel: 'email', enabled: false }]).email).toBe(true);
  });

  it('When an update switches channels, then only those change', () => {
    const switches = switchesOf({ preferences: { enrollment: { push: false }, welcome: { in_app: false } } });
    expect(switches).toEqual([
      { kind: 'welcome', channel: 'in_app', enabled: false },
      { kind: 'enrollment', channel: 'push', enabled: false },
    ]);
    expect(preferenceMap(switches).enrollment).toEqual({ in_app: true, email: true, push: false });
  });

  it('When an update switches required mail off, then it is refused', () => {
    expect(() => switchesOf({ preferences: { payment_refunded: { email: false } } })).toThrow(/cannot be switched off/);
  });
});

describe('retries', () => {
  const settings = { retryBaseMs: 1_000, retryMaxMs: 10_000, maxAttempts: 4 };
  const now = new Date('2026-01-01T00:00:00Z');
  const transient = { ok: false, permanent: false, detail: 'x' } as const;

  it('When attempts fail, then the waits double up to the ceiling, with jitter in its upper half', () => {
    expect([1, 2, 3, 4, 5, 6].map((a) => retryDelayMs(a, settings, () => 1))).toEqual([
      1_000, 2_000, 4_000, 8_000, 10_000, 10_000,
    ]);
    expect(retryDelayMs(3, settings, () => 0)).toBe(2_000);
  });

  it('When the last attempt fails, or a failure is permanent, then the delivery is given up', () => {
    expect(decide(transient, 3, now, settings, () => 0).outcome).toBe('retry');
    expect(decide(transient, 4, now, settings).outcome).toBe('failed');
    expect(decide({ ...transient, permanent: true }, 1, now, settings).outcome).toBe('failed');
    expect(decide({ ok: true, detail: '250' }, 1, now, settings).outcome).toBe('delivered');
  });

  it('When push results are mixed, then one success delivers, all gone fails, a transient one retries', () => {
    const ok = { ok: true, detail: '201', gone: false } as const;
    const gone = { ok: false, permanent: true, detail: '410', gone: true } as const;
    const busy = { ok: false, permanent: false, detail: '503', gone: false } as const;
    const refused = { ok: false, permanent: true, detail: '400', gone: false } as const;
    expect(pushOutcome([gone, ok]).ok).toBe(true);
    expect(pushOutcome([gone, gone])).toMatchObject({ ok: false, permanent: true });
    expect(pushOutcome([gone, busy])).toMatchObject({ ok: false, permanent: false });
    expect(pushOutcome([refused, gone])).toMatchObject({ ok: false, permanent: true });
  });
});

describe('push endpoints', () => {
  const allowed = ['fcm.googleapis.com', '*.push.apple.com'];

  it('When the host is listed or a subdomain of a wildcard, then the endpoint is allowed', () => {
    expect(isAllowedPushEndpoint('https://fcm.googleapis.com/fcm/send/abc', allowed)).toBe(true);
    expect(isAllowedPushEndpoint('https://web.push.apple.com/x', allowed)).toBe(true);
  });

  it('When the host only looks like a listed one, then it is refused', () => {
    expect(isAllowedPushEndpoint('https://fcm.googleapis.com.evil.test/x', allowed)).toBe(false);
    expect(isAllowedPushEndpoint('https://evilpush.apple.com/x', allowed)).toBe(false);
    expect(isAllowedPushEndpoint('https://push.apple.com/x', allowed)).toBe(false);
    expect(isAllowedPushEndpoint('not a url', allowed)).toBe(false);
  });
});

describe('amounts and parties', () => {
  it('When money is shown, then it has its currency’s decimals', () => {
    expect(formatMoney(1250, 'USD')).toBe('12.50 USD');
    expect(formatMoney(500, 'JPY')).toBe('500 JPY');
    expect(formatMoney(1234, 'KWD')).toBe('1.234 KWD');
  });

  it('When a ledger party is read, then wallets name their user and other accounts nobody', () => {
    const id = '0b8f6f5e-1c2d-4e3f-8a9b-0c1d2e3f4a5b';
    expect(userOfParty(`user:${id}`)).toBe(id);
    expect(userOfParty(id)).toBe(id);
    expect(userOfParty('mint:treasury')).toBeNull();
    expect(userOfParty('escrow:job-1')).toBeNull();
  });
});
