// A stand-in for Education's service-only reads on a real port of 127.0.0.1, faithful to their
// contract (packages/contracts/src/ai.ts, Education's README): AI Family's service credential
// only, a learner's context, a published course's content (404 otherwise), published courses
// page by page. Tests set what it knows and can take it down.
import express, { type NextFunction, type Request, type Response } from 'express';
import type { CourseContent, LearnerContext } from '@azora/contracts';
import type { ServiceTokenVerifier } from '@azora/service-kit';
import { serveOnFreePort } from '@azora/testing';

export interface FakeEducation {
  readonly url: string;
  /** Paths asked, in order, with the calling service. */
  readonly calls: { path: string; service: string }[];
  setLearner(context: LearnerContext): void;
  publish(course: CourseContent): void;
  /** While down, every route answers 503. */
  setDown(down: boolean): void;
  close(): Promise<void>;
}

export async function startFakeEducation(verifier: ServiceTokenVerifier): Promise<FakeEducation> {
  const learners = new Map<string, LearnerContext>();
  const courses = new Map<string, CourseContent>();
  const calls: { path: string; service: string }[] = [];
  let down = false;
  const app = express();

  app.use(async (req: Request, res: Response, next: NextFunction) => {
    if (down) return void res.status(503).json({ status: 503, code: 'service.dependency_unavailable' });
    const token = req.get('authorization')?.replace(/^Bearer /, '') ?? '';
    try {
      const { service } = await verifier.verify(token);
      if (service !== 'ai-family-service')
        return void res.status(403).json({ status: 403, code: 'auth.service_not_allowed' });
      calls.push({ path: req.path, service });
      next();
    } catch {
      res.status(401).json({ status: 401, code: 'auth.invalid_service_credential' });
    }
  });
  app.get('/service/learners/:userId/context', (req, res) => {
    res.json(learners.get(req.params.userId) ?? { userId: req.params.userId, enrollments: [] });
  });
  app.get('/service/courses/:id/content', (req, res) => {
    const course = courses.get(req.params.id);
    if (!course) return void res.status(404).json({ status: 404, code: 'course.not_found' });
    res.json(course);
  });
  app.get('/service/published-courses', (req, res) => {
    const all = [...courses.values()].sort((a, b) => a.publishedAt.localeCompare(b.publishedAt));
    const start = typeof req.query['cursor'] === 'string' ? Number(req.query['cursor']) : 0;
    const limit = Number(req.query['limit'] ?? 100);
    const page = all.slice(start, start + limit);
    res.json({
      items: page.map((c) => ({ courseId: c.courseId, title: c.title, publishedAt: c.publishedAt })),
      nextCursor: start + limit < all.length ? String(start + limit) : null,
    });
  });

  const { url, close } = await serveOnFreePort(app);
  return {
    url,
    calls,
    setLearner: (context) => learners.set(context.userId, context),
    publish: (course) => courses.set(course.courseId, course),
    setDown: (value) => {
      down = value;
    },
    close,
  };
}
