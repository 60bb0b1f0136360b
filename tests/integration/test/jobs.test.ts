// The jobs marketplace through the public API, as front ends see it: the typed client against the
// real gateway, Education, Mint, Forge and Nexus processes. An employer funded by an admin posts a
// job (its reward held in Mint's escrow), a student whose completed course proved the skills finds
// it recommended, applies, is shortlisted and hired, and completing the job pays the reward and,
// for a verified employer only, Mint's learn-to-earn bonus.
import { randomUUID } from 'node:crypto';
import { createAzoraClient, type AzoraClient } from '@azora/shared-api';
import { createTestDatabase, waitFor, type TestDatabase } from '@azora/testing';
import { ADMIN, startPlatform, type Platform } from './support/platform';

describe('the jobs marketplace through the gateway', () => {
  let db: TestDatabase;
  let platform: Platform;
  let admin: AzoraClient;

  beforeAll(async () => {
    db = await createTestDatabase();
    platform = await startPlatform(db, ['azora-education', 'azora-mint', 'azora-forge']);
    admin = client();
    await admin.auth.login(ADMIN);
  });
  afterAll(async () => {
    await platform?.stop();
    await db?.drop();
  });

  const client = () => createAzoraClient({ baseUrl: platform.gatewayUrl });
  const bus = { timeoutMs: 30_000 };

  /** A registered user whose wallet Mint has opened (from identity.user.registered). */
  async function registered(role: 'student' | 'instructor' | 'employer', name: string) {
    const user = client();
    const { user: me } = await user.auth.register({
      email: `${name}-${randomUUID().slice(0, 8)}@azora.test`,
      password: `${name}-password-42`,
      name,
      role,
    });
    await waitFor(async () => expect((await user.mint.wallet()).balance).toBe(0), { ...bus, what: `${name}'s wallet` });
    return { api: user, id: me.id };
  }

  /** An employer holding `amount` AZR, minted by the admin. */
  async function fundedEmployer(name: string, amount: number) {
    const employer = await registered('employer', name);
    await admin.mint.mintTokens({ userId: employer.id, amount, memo: 'funds to hire with' });
    return employer;
  }

  /** A student who completed a published course teaching `skills`, proven in Forge. */
  async function studentWithSkills(name: string, skills: string[]) {
    const instructor = await registered('instructor', `${name}-teacher`);
    const course = await instructor.api.education.createCourse({
      title: `${skills.join(' and ')} in practice`,
      description: 'Hands-on',
      priceCents: 0,
      currency: 'USD',
      skills,
    });
    const lesson = await instructor.api.education.addLesson(course.id, { title: 'All of it', content: 'Do it.' });
    await instructor.api.education.publishCourse(course.id);
    const student = await registered('student', name);
    await student.api.education.enroll(course.id);
    await student.api.education.completeLesson(course.id, lesson.id);
    await waitFor(
      async () => expect((await student.api.forge.mySkills()).skills.map((s) => s.skill)).toEqual([...skills].sort()),
      { ...bus, what: `${name}'s proven skills` },
    );
    return student;
  }

  it('When a verified employer hires a recommended student and completes the job, then the worker gets the reward and the bonus and the escrow is emptied', async () => {
    // Arrange
    const employer = await fundedEmployer('erin', 300);
    await admin.forge.setEmployerVerification(employer.id, { verified: true });
    const student = await studentWithSkills('sipho', ['rust', 'sql']);

    // Act: post, find, apply, shortlist, hire, complete
    const job = await employer.api.forge.createJob({
      title: 'Ledger export',
      description: 'Export the ledger to CSV files',
      skills: ['rust', 'sql', 'csv'],
      reward: 120,
    });
    expect(job).toMatchObject({ status: 'open', reward: 120 });
    expect((await employer.api.mint.wallet()).balance).toBe(180);
    const recommended = await student.api.forge.recommendedJobs();
    expect(recommended.items[0]).toEqual({
      job: expect.objectContaining({ id: job.id }),
      match: { score: 0.667, matched: ['rust', 'sql'], missing: ['csv'] },
    });
    const application = await student.api.forge.apply(job.id, { coverLetter: 'I export ledgers for fun.' });
    const applicants = await employer.api.forge.jobApplications(job.id);
    expect(applicants.items.map((a) => [a.userId, a.match.score])).toEqual([[student.id, 0.667]]);
    await employer.api.forge.updateApplication(application.id, { status: 'shortlisted' });
    await employer.api.forge.updateApplication(application.id, { status: 'hired' });
    const completed = await employer.api.forge.completeJob(job.id);
    const again = await employer.api.forge.completeJob(job.id);

    // Assert: reward + bonus, once; the escrow paid out in full; the ledger balances
    expect(completed).toMatchObject({ status: 'completed', hiredUserId: student.id });
    expect(again).toEqual(completed);
    await waitFor(async () => expect((await student.api.mint.wallet()).balance).toBe(170), {
      ...bus,
      what: 'the reward and the bonus',
    });
    const history = await student.api.mint.transactions();
    expect(history.items.map((t) => [t.kind, t.amount, t.counterparty])).toEqual(
      expect.arrayContaining([
        ['escrow_release', 120, { type: 'escrow', reference: `job:${job.id}` }],
        ['reward', 50, { type: 'treasury' }],
      ]),
    );
    expect((await employer.api.mint.wallet()).balance).toBe(180);
    const ledger = await admin.mint.checkLedger();
    expect(ledger.ok).toBe(true);
  });

  it('When an unverified employer hires a friend, then the escrow is released but no bonus is minted', async () => {
    const employer = await fundedEmployer('uma', 100);
    const friend = await studentWithSkills('frank', ['go']);
    const job = await employer.api.forge.createJob({
      title: 'Tiny tool',
      description: 'A small Go program',
      skills: ['go'],
      reward: 40,
    });
    const application = await friend.api.forge.apply(job.id, { coverLetter: 'Hire me, friend.' });
    await employer.api.forge.updateApplication(application.id, { status: 'shortlisted' });
    await employer.api.forge.updateApplication(application.id, { status: 'hired' });

    await employer.api.forge.completeJob(job.id);

    const decision = await waitFor(
      async () => {
        const found = (await friend.api.mint.rewards()).items.find((d) => d.reference === `reward:job:${job.id}`);
        if (!found) throw new Error('no decision about the job bonus yet');
        return found;
      },
      { ...bus, what: "Mint's decision about the job bonus" },
    );
    expect(decision).toMatchObject({ trigger: 'job', paid: 0, heldBack: 50, reason: 'unverified_employer' });
    expect((await friend.api.mint.wallet()).balance).toBe(40);
  });

  it('When an employer without the AZR posts, then 409 and no job; when an open job is closed, then its reward comes back', async () => {
    const employer = await fundedEmployer('paul', 50);

    const refused = await employer.api.forge
      .createJob({ title: 'Too dear', description: 'Costs more than I have', skills: ['sql'], reward: 80 })
      .catch((e: unknown) => e);
    const job = await employer.api.forge.createJob({
      title: 'Affordable',
      description: 'Within budget',
      skills: ['sql'],
      reward: 30,
    });
    const afterPosting = (await employer.api.mint.wallet()).balance;
    const closed = await employer.api.forge.closeJob(job.id);

    expect(refused).toMatchObject({ status: 409, code: 'wallet.insufficient_funds' });
    expect((await employer.api.forge.myJobs()).items.map((j) => j.id)).toEqual([job.id]);
    expect(afterPosting).toBe(20);
    expect(closed.status).toBe('closed');
    expect((await employer.api.mint.wallet()).balance).toBe(50);
  });

  it("When Mint's escrow routes are called with a user's token instead of Forge's credential, then they answer 401", async () => {
    const student = await registered('student', 'mallory');
    const res = await fetch(`${platform.service('azora-mint').url}/escrow/holds`, {
      method: 'POST',
      headers: { authorization: `Bearer ${student.api.getTokens().accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reference: `job:${randomUUID()}`, userId: student.id, amount: 1 }),
    });
    expect(res.status).toBe(401);
  });
});
