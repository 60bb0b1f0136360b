// Education's service-only reads, with AI Family's service credential: a learner's context for
// prompts, published courses' content for the offline tutor's index. A learner context that
// cannot be read leaves the reply without it (logged), rather than failing the learner's message.
import { CourseContent, LearnerContext, PublishedCoursePage } from '@azora/contracts';
import type { CoreDeps, HttpClient, ServiceTokenIssuer } from '@azora/service-kit';
import type { z } from 'zod';
import type { EducationReads } from '../domain/ports';

export interface EducationClientOptions {
  baseUrl: string;
  http: HttpClient;
  credentials?: ServiceTokenIssuer | undefined;
  timeoutMs: number;
  logger: CoreDeps['logger'];
}

export class EducationUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EducationUnavailable';
  }
}

export function createEducationClient({
  baseUrl,
  http,
  credentials,
  timeoutMs,
  logger,
}: EducationClientOptions): EducationReads {
  const base = baseUrl.replace(/\/+$/, '');

  async function get<S extends z.ZodType>(path: string, schema: S): Promise<z.output<S> | null> {
    if (!credentials) throw new EducationUnavailable('no service credentials to call Education with');
    const headers = { accept: 'application/json', authorization: `Bearer ${await credentials.token()}` };
    let answer;
    try {
      answer = await http.call(`${base}${path}`, { method: 'GET', headers, timeoutMs });
    } catch (error) {
      throw new EducationUnavailable((error as Error).message);
    }
    if (answer.status === 404) return null;
    if (!answer.ok) throw new EducationUnavailable(`Education answered ${answer.status}`);
    let body: unknown;
    try {
      body = JSON.parse(answer.text);
    } catch {
      throw new EducationUnavailable('Education answered something that is not JSON');
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new EducationUnavailable('Education answered an unexpected shape');
    return parsed.data;
  }

  return {
    async learnerContext(userId) {
      try {
        return await get(`/service/learners/${encodeURIComponent(userId)}/context`, LearnerContext);
      } catch (error) {
        logger.warn({ err: (error as Error).message, userId }, 'learner context unavailable; replying without it');
        return null;
      }
    },
    courseContent(courseId) {
      return get(`/service/courses/${encodeURIComponent(courseId)}/content`, CourseContent);
    },
    async publishedCourses(cursor) {
      const query = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
      const page = await get(`/service/published-courses?limit=100${query}`, PublishedCoursePage);
      if (!page) throw new EducationUnavailable('Education has no published-course listing');
      return page;
    },
  };
}
