// Placeholders for routes whose contracts have not landed in @azora/contracts yet (Forge, AI,
// Pay, Notifications, Analytics, Monitoring). Each names its route, so that when the contract
// lands, `grep Pending` finds every use and it is replaced by Input/Output of the schema. They are
// deliberately loose: no shape is guessed here, so none can disagree with the service.
import { type QueryValue } from './transport';

/** The JSON body of `Route`: typed once its contract lands. */
// eslint-disable-next-line @typescript-eslint/no-unused-vars
export type PendingRequest<Route extends string> = Record<string, unknown>;

/** The query parameters of `Route`: typed once its contract lands. */
// eslint-disable-next-line @typescript-eslint/no-unused-vars
export type PendingQuery<Route extends string> = Record<string, QueryValue>;

/** The response body of `Route`: typed once its contract lands (narrow it before use). */
// eslint-disable-next-line @typescript-eslint/no-unused-vars
export type PendingResponse<Route extends string> = unknown;
