// Templates: one file per kind with five sections (email subject, text and HTML; the title and
// body of the inbox and push), `{{value}}` placeholders, and one HTML layout. Every value is
// escaped for where it lands: HTML-escaped in HTML, control characters removed from text, and
// line breaks flattened in one-line fields (a subject is a mail header).
import { NOTIFICATION_KINDS, type NotificationKind } from '@azora/contracts';
import { KIND_RULES } from './kinds';

export const SECTIONS = ['subject', 'text', 'html', 'title', 'body'] as const;
export type Section = (typeof SECTIONS)[number];
export type Template = Readonly<Record<Section, string>>;

export interface TemplateSet {
  readonly kinds: Readonly<Record<NotificationKind, Template>>;
  /** The HTML around every mail's body: `{{subject}}` and `{{{content}}}` (the rendered html section). */
  readonly layout: string;
}

export interface RenderedNotice {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly title: string;
  readonly body: string;
}

export type TemplateValues = Readonly<Record<string, string>>;

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;
const SECTION_HEADER = /^\[(subject|text|html|title|body)\]\s*$/;

export class TemplateError extends Error {
  override name = 'TemplateError';
}

/** Parses a template file: `[subject]`, `[text]`, `[html]`, `[title]`, `[body]` each once. */
export function parseTemplate(source: string, name: string): Template {
  const found: Partial<Record<Section, string[]>> = {};
  let current: string[] | undefined;
  for (const line of source.replace(/\r\n?/g, '\n').split('\n')) {
    const header = SECTION_HEADER.exec(line);
    if (header) {
      const section = header[1] as Section;
      if (found[section]) throw new TemplateError(`${name}: section [${section}] appears twice`);
      current = found[section] = [];
    } else if (current) current.push(line);
    else if (line.trim() !== '' && !line.startsWith('#'))
      throw new TemplateError(`${name}: text before the first section`);
  }
  const missing = SECTIONS.filter((s) => !found[s]);
  if (missing.length > 0) throw new TemplateError(`${name}: missing section(s) ${missing.join(', ')}`);
  return Object.fromEntries(SECTIONS.map((s) => [s, (found[s] ?? []).join('\n').trim()])) as Template;
}

function placeholdersOf(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1] as string);
}

/** Checks every kind has a template naming only the values its kind provides. */
export function checkTemplateSet(set: TemplateSet): void {
  for (const kind of NOTIFICATION_KINDS) {
    const template = set.kinds[kind];
    if (!template) throw new TemplateError(`no template for ${kind}`);
    const allowed = new Set(KIND_RULES[kind].values);
    for (const section of SECTIONS) {
      for (const name of placeholdersOf(template[section])) {
        if (!allowed.has(name)) throw new TemplateError(`${kind} [${section}]: unknown value {{${name}}}`);
      }
    }
  }
  if (!set.layout.includes('{{{content}}}')) throw new TemplateError('the layout has no {{{content}}}');
}

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

// C0 and C1 controls but tab and line feed, and the Unicode line and paragraph separators.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;

/** Text for a multi-line plain field: control characters removed. */
export function plainText(value: string): string {
  return value.replace(/\r\n?/g, '\n').replace(CONTROL, '');
}

/** Text for a one-line field (a subject, a title): line breaks and runs of spaces become one space. */
export function oneLine(value: string): string {
  return plainText(value).replace(/\s+/g, ' ').trim();
}

function fill(text: string, values: TemplateValues, escape: (value: string) => string): string {
  return text.replace(PLACEHOLDER, (_match, name: string) => escape(values[name] ?? ''));
}

/** Renders one kind with the given values, each escaped for its section. */
export function renderNotice(set: TemplateSet, kind: NotificationKind, values: TemplateValues): RenderedNotice {
  const template = set.kinds[kind];
  const subject = oneLine(fill(template.subject, values, oneLine));
  const content = fill(template.html, values, (v) => escapeHtml(oneLine(v)));
  return {
    subject,
    text: fill(template.text, values, plainText),
    // Replacer functions: a `$&` in a value is text, not a replacement pattern.
    html: set.layout.replace('{{subject}}', () => escapeHtml(subject)).replace('{{{content}}}', () => content),
    title: oneLine(fill(template.title, values, oneLine)),
    body: fill(template.body, values, plainText).trim(),
  };
}
