// The client's types are the contracts' types: checked by the compiler (npm run typecheck
// compiles this file), so a contract change that the client does not follow fails the build.
import type * as C from '@azora/contracts';
import type { z } from 'zod';
import {
  createAzoraClient,
  type AzoraApiError,
  type AzoraClient,
  type AzoraErrorCode,
  type ClientErrorCode,
} from '../src';
import { assertType, type Arg, type Equal, type Result } from './support/type-assertions';

type Api = AzoraClient;

// auth
assertType<Equal<Arg<Api['auth']['register']>, z.input<typeof C.RegisterRequest>>>();
assertType<Equal<Arg<Api['auth']['login']>, z.input<typeof C.LoginRequest>>>();
assertType<Equal<Result<Api['auth']['login']>, z.output<typeof C.AuthResponse>>>();
assertType<Equal<Result<Api['auth']['me']>, z.output<typeof C.User>>>();
assertType<Equal<Result<Api['auth']['logout']>, void>>();
// education
assertType<Equal<Arg<Api['education']['listCourses']>, z.input<typeof C.CourseListQuery> | undefined>>();
assertType<Equal<Result<Api['education']['listCourses']>, z.output<typeof C.CoursePage>>>();
assertType<Equal<Result<Api['education']['getCourse']>, z.output<typeof C.CourseDetail>>>();
assertType<Equal<Arg<Api['education']['createCourse']>, z.input<typeof C.CreateCourseRequest>>>();
assertType<Equal<Arg<Api['education']['addLesson'], 1>, z.input<typeof C.CreateLessonRequest>>>();
assertType<Equal<Result<Api['education']['enroll']>, z.output<typeof C.Enrollment>>>();
assertType<Equal<Result<Api['education']['completeLesson']>, z.output<typeof C.LessonCompletion>>>();
assertType<Equal<Result<Api['education']['myEnrollments']>, z.output<typeof C.MyEnrollmentPage>>>();
// mint
assertType<Equal<Result<Api['mint']['wallet']>, z.output<typeof C.Wallet>>>();
assertType<Equal<Result<Api['mint']['transactions']>, z.output<typeof C.WalletTransactionsPage>>>();
assertType<Equal<Arg<Api['mint']['transfer']>, z.input<typeof C.TransferRequest>>>();
assertType<Equal<Result<Api['mint']['transfer']>, z.output<typeof C.TransferResult>>>();
assertType<Equal<Arg<Api['education']['updateCourse'], 1>, z.input<typeof C.UpdateCourseRequest>>>();
assertType<Equal<Result<Api['education']['courseStats']>, z.output<typeof C.CourseStats>>>();
assertType<Equal<Result<Api['mint']['mintTokens']>, z.output<typeof C.AdminSupplyResult>>>();
assertType<Equal<Result<Api['mint']['checkLedger']>, z.output<typeof C.LedgerCheckReport>>>();
assertType<Equal<Result<Api['monitoring']['gatewayHealth']>, z.output<typeof C.GatewayHealth>>>();
assertType<Equal<Result<Api['monitoring']['status']>, z.output<typeof C.ServiceStatusList>>>();

// error codes: the catalog's problem codes and the client's own, one union to switch on
assertType<Equal<AzoraApiError['code'], AzoraErrorCode>>();
assertType<Equal<AzoraErrorCode, C.ProblemCode | ClientErrorCode>>();
assertType<
  Equal<
    ClientErrorCode,
    | 'client.network_error'
    | 'client.timeout'
    | 'client.aborted'
    | 'client.unexpected_response'
    | 'client.no_refresh_token'
    | 'client.stream_failed'
  >
>();
assertType<Equal<Extract<AzoraErrorCode, 'gateway.circuit_open'>, 'gateway.circuit_open'>>();

/** What a front end writes: compiled by `npm run typecheck`, run by the test below. */
function messageFor(error: AzoraApiError): string {
  switch (error.code) {
    case 'wallet.insufficient_funds':
      return 'Not enough AZR';
    case 'enrollment.payment_required':
      return 'Pay for the course first';
    case 'client.network_error':
    case 'client.timeout':
      return 'You seem to be offline';
    // @ts-expect-error a misspelled code is no AzoraErrorCode, so the compiler refuses the case
    case 'wallet.insuficient_funds':
      return 'unreachable';
    default:
      return error.title;
  }
}

// @ts-expect-error a misspelled code cannot be compared with an AzoraErrorCode either
export const misspelledComparison = (error: AzoraApiError) => error.code === 'client.time_out';

test('When a switch over codes meets a known code or one newer than the client, then it picks its case or default', () => {
  const error = (code: string, title = 'Error') => ({ code, title }) as AzoraApiError;

  expect(messageFor(error('wallet.insufficient_funds'))).toBe('Not enough AZR');
  expect(messageFor(error('client.timeout'))).toBe('You seem to be offline');
  expect(messageFor(error('forge.job_filled', 'Job already filled'))).toBe('Job already filled');
});

test('When the client is created, then it has the nine namespaces and the token methods', () => {
  const client = createAzoraClient({ baseUrl: 'http://127.0.0.1:1' });

  expect(Object.keys(client).sort()).toEqual(
    [
      'ai',
      'analytics',
      'auth',
      'clearTokens',
      'education',
      'forge',
      'getTokens',
      'mint',
      'monitoring',
      'notifications',
      'pay',
      'setTokens',
    ].sort(),
  );
});

test('When a request schema has defaults, then the client takes its input type (defaults optional)', async () => {
  const client = createAzoraClient({ baseUrl: 'http://127.0.0.1:1', timeoutMs: 1 });

  // `limit` has a default and `skills` too: both may be left out, which z.infer would not allow.
  const calls = [
    client.education.listCourses({ q: 'sql' }),
    client.education.createCourse({ title: 'T', description: 'D', priceCents: 0, currency: 'USD' }),
  ];

  await expect(Promise.all(calls)).rejects.toMatchObject({ status: 0 });
});
