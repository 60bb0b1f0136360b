// Conversations: start, list, read one, delete. Another user's conversation is a 404.
import {
  Conversation,
  ConversationListQuery,
  ConversationPage,
  ConversationParams,
  CreateConversationRequest,
  MessageListQuery,
  MessagePage,
} from '@azora/contracts';
import type { Api } from '@azora/service-kit';
import type { AiContext } from '../use-cases/context';
import {
  conversationsOf,
  createConversation,
  deleteConversation,
  getConversation,
  messagesOf,
} from '../use-cases/conversations';
import { callerOf } from './caller';

const tags = ['conversations'];

export function conversationRoutes(api: Api, ctx: AiContext): void {
  api.endpoint(
    {
      method: 'post',
      path: '/conversations',
      summary: 'Start a conversation',
      description:
        'With `personaId`, that persona answers every message. Without, each message is answered by the persona whose domain fits it best (Elara when none does); each reply says who answered and why.',
      tags,
      access: 'user',
      body: CreateConversationRequest,
      responses: { 201: Conversation },
    },
    async ({ body }, req, res) => {
      res.status(201).json(await createConversation(ctx, callerOf(req), body));
    },
  );

  api.endpoint(
    {
      method: 'get',
      path: '/conversations',
      summary: "The caller's conversations, most recently active first",
      tags,
      access: 'user',
      query: ConversationListQuery,
      responses: { 200: ConversationPage },
    },
    async ({ query }, req, res) => {
      res.json(await conversationsOf(ctx, callerOf(req), query));
    },
  );

  api.endpoint(
    {
      method: 'get',
      path: '/conversations/:id',
      summary: 'A conversation of the caller',
      tags,
      access: 'user',
      params: ConversationParams,
      responses: { 200: Conversation },
    },
    async ({ params }, req, res) => {
      res.json(await getConversation(ctx, callerOf(req), params.id));
    },
  );

  api.endpoint(
    {
      method: 'delete',
      path: '/conversations/:id',
      summary: 'Delete a conversation and its messages',
      description: 'A reply still being written is cancelled first (what it wrote so far is charged).',
      tags,
      access: 'user',
      params: ConversationParams,
      responses: { 204: null },
    },
    async ({ params }, req, res) => {
      await deleteConversation(ctx, callerOf(req), params.id);
      res.status(204).end();
    },
  );

  api.endpoint(
    {
      method: 'get',
      path: '/conversations/:id/messages',
      summary: "A conversation's messages, oldest first",
      description: 'Replies in progress are listed with status `streaming` and the text stored so far.',
      tags,
      access: 'user',
      params: ConversationParams,
      query: MessageListQuery,
      responses: { 200: MessagePage },
    },
    async ({ params, query }, req, res) => {
      res.json(await messagesOf(ctx, callerOf(req), params.id, query));
    },
  );
}
