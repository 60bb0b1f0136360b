// The AI family, and the caller's daily token budget.
import { PersonaList, UsageBudget } from '@azora/contracts';
import type { Api } from '@azora/service-kit';
import { PERSONAS, toPersona } from '../domain/personas';
import type { AiContext } from '../use-cases/context';
import { usageOf } from '../use-cases/usage';
import { callerOf } from './caller';

export function personaRoutes(api: Api, ctx: AiContext): void {
  api.endpoint(
    {
      method: 'get',
      path: '/personas',
      summary: 'The eleven personas of the AI family',
      description: 'Name, role, description and domain of each; Elara is the default.',
      tags: ['personas'],
      access: 'public',
      responses: { 200: PersonaList },
    },
    (_input, _req, res) => {
      res.json({ items: PERSONAS.map(toPersona) });
    },
  );

  api.endpoint(
    {
      method: 'get',
      path: '/usage',
      summary: "The caller's token budget for the current UTC day",
      tags: ['usage'],
      access: 'user',
      responses: { 200: UsageBudget },
    },
    async (_input, req, res) => {
      res.json(await usageOf(ctx, callerOf(req)));
    },
  );
}
