// The template files of templates/ (one per kind, and layout.html), read once at start-up and
// checked: a missing section or an unknown value stops the service instead of sending mangled mail.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { NOTIFICATION_KINDS, type NotificationKind } from '@azora/contracts';
import { checkTemplateSet, parseTemplate, type Template, type TemplateSet } from '../domain/templates';

/** The service's templates/ directory, from src/ and from dist/ alike. */
export const TEMPLATES_DIR = path.join(__dirname, '..', '..', 'templates');

export function loadTemplates(dir: string = TEMPLATES_DIR): TemplateSet {
  const kinds = Object.fromEntries(
    NOTIFICATION_KINDS.map((kind) => {
      const file = path.join(dir, `${kind}.tmpl`);
      return [kind, parseTemplate(readFileSync(file, 'utf8'), file)];
    }),
  ) as Record<NotificationKind, Template>;
  const set: TemplateSet = { kinds, layout: readFileSync(path.join(dir, 'layout.html'), 'utf8') };
  checkTemplateSet(set);
  return set;
}
