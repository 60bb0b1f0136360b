// Routing through the API: a conversation without a persona has each message answered by the
// persona whose domain fits it, and the reply says who answered and why; Nexus consults the
// others and answers with their combined view.
import { startAiFamily, type Harness } from './support/harness';

describe('routing messages to personas (offline tutor)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startAiFamily();
  });
  afterAll(() => h.close());

  it('When a conversation has no persona, then each message is answered by the persona whose domain fits it', async () => {
    const learner = await h.user();
    const id = await h.conversation(learner);

    const security = await h.send(learner, id, 'Is this email phishing?');
    const money = await h.send(learner, id, 'How do I budget my AZR?');

    expect(security.body.reply).toMatchObject({
      personaId: 'jabari',
      routing: { mode: 'keywords', matched: ['phishing'] },
    });
    expect(security.body.reply.content).toContain('Safety first.');
    expect(money.body.reply).toMatchObject({
      personaId: 'kofi',
      routing: { mode: 'keywords', matched: ['budget', 'azr'] },
    });
  });

  it('When a conversation has a persona, then she answers whatever the subject', async () => {
    const learner = await h.user();
    const id = await h.conversation(learner, 'abeni');

    const res = await h.send(learner, id, 'Is this email phishing?');

    expect(res.body.reply).toMatchObject({ personaId: 'abeni', routing: { mode: 'conversation', matched: [] } });
  });

  it('When the whole family is asked, then Nexus answers with the views of the personas it consulted', async () => {
    const learner = await h.user();
    const id = await h.conversation(learner);

    const res = await h.send(learner, id, 'Ask the whole family: how do I keep my password safe and save money?');

    const { reply } = res.body;
    expect(reply.personaId).toBe('nexus');
    expect(reply.consulted).toEqual(['jabari', 'kofi', 'thembo']);
    expect(reply.content).toContain('I asked the family.');
    expect(reply.content).toContain('Jabari (the security guardian):');
    expect(reply.content).toContain('Kofi (the finance mentor):');
  });
});

describe('Nexus over the OpenAI provider', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startAiFamily({ provider: 'openai' });
  });
  afterAll(() => h.close());

  it('When Nexus answers, then it asks each consulted persona first and writes its answer from their views', async () => {
    h.openai!.script((body) => {
      const name = /^You are (\w+),/.exec(body.messages[0]!.content)?.[1] ?? 'someone';
      return {
        kind: 'reply',
        text: name === 'Nexus' ? 'Together: protect, then save.' : `${name} says hi.`,
        usage: { prompt: 10, completion: 5 },
      };
    });
    const learner = await h.user();
    const id = await h.conversation(learner, 'nexus');

    const res = await h.send(learner, id, 'How do I keep my password safe and save money?');

    expect(res.status).toBe(201);
    expect(res.body.reply).toMatchObject({
      personaId: 'nexus',
      consulted: ['jabari', 'kofi', 'elara'],
      content: 'Together: protect, then save.',
    });
    expect(res.body.reply.usage).toEqual({ promptTokens: 40, completionTokens: 20, totalTokens: 60 });
    const requests = h.openai!.requests.slice(-4);
    const final = requests.find((r) => r.messages[0]!.content.startsWith('You are Nexus'))!;
    const views = final.messages.find((m) =>
      m.content.startsWith('What the family members you consulted answered'),
    )!.content;
    expect(views).toContain('Jabari (the security guardian):\nJabari says hi.');
    expect(views).toContain('Kofi (the finance mentor):\nKofi says hi.');
    expect(views).toContain('Elara (the teacher):\nElara says hi.');
  });
});
