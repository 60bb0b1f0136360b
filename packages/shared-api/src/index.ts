// @azora/shared-api: the typed client of the Azora public API, for browsers and Node 20.
export { createAzoraClient, type AzoraClient, type AzoraClientOptions } from './client';
export { AzoraApiError, isAzoraApiError, CLIENT_ERROR_CODES, type AzoraApiErrorInit } from './errors';
export { type AzoraTokens, type HeldTokens, type OnTokenRefresh } from './session';
export { type RequestOptions, type QueryValue } from './transport';
export { type TransferOptions, type MintApi } from './api/mint';
export { paymentRequired, type EducationApi } from './api/education';
export { type AuthApi } from './api/auth';
export { type ForgeApi } from './api/forge';
export { tokenOf, type AiApi } from './api/ai';
export { type PayApi } from './api/pay';
export { type NotificationsApi } from './api/notifications';
export { type AnalyticsApi } from './api/analytics';
export { type MonitoringApi } from './api/monitoring';
export { type Input, type Output } from './contract-types';
export { type PendingRequest, type PendingQuery, type PendingResponse } from './pending-contracts';
export { createSseParser, readSseStream, type SseEvent, type SseParser } from './sse';
export { type FetchLike } from './event-stream';
export { newIdempotencyKey } from './idempotency';
