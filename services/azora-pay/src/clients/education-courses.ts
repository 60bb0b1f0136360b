// Education's course catalogue, asked for a course's price: GET <education>/courses/:id with
// Pay's service credential. The price always comes from here, never from the buyer.
import { z } from 'zod';
import { DomainError, type HttpClient, type ServiceTokenIssuer } from '@azora/service-kit';
import type { CourseCatalog, CourseOffer } from '../domain/ports';

const CourseFacts = z.object({
  id: z.uuid(),
  priceCents: z.number().int().nonnegative(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  status: z.enum(['draft', 'published']),
});

export interface EducationCatalogOptions {
  baseUrl: string;
  http: HttpClient;
  credentials?: ServiceTokenIssuer | undefined;
  timeoutMs: number;
}

const unavailable = (why: string) =>
  new DomainError('service.dependency_unavailable', `Education cannot tell the course's price right now (${why})`, {
    extras: { dependency: 'azora-education' },
    retryAfterSeconds: 5,
  });

export function createEducationCatalog({
  baseUrl,
  http,
  credentials,
  timeoutMs,
}: EducationCatalogOptions): CourseCatalog {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    async offer(courseId): Promise<CourseOffer> {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (credentials) headers['authorization'] = `Bearer ${await credentials.token()}`;
      let answer;
      try {
        answer = await http.call(`${base}/courses/${encodeURIComponent(courseId)}`, {
          method: 'GET',
          headers,
          timeoutMs,
        });
      } catch (error) {
        throw unavailable((error as Error).message);
      }
      // A draft is invisible to anyone but its author, so it is a 404 here too.
      if (answer.status === 404) return { found: false };
      if (!answer.ok) throw unavailable(`it answered ${answer.status}`);
      let parsed;
      try {
        parsed = CourseFacts.safeParse(JSON.parse(answer.text));
      } catch {
        throw unavailable('it answered something that is not JSON');
      }
      if (!parsed.success) throw unavailable('it answered an unexpected course shape');
      const course = parsed.data;
      return {
        found: true,
        courseId: course.id,
        priceCents: course.priceCents,
        currency: course.currency,
        published: course.status === 'published',
      };
    },
  };
}
