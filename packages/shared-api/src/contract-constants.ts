// The contracts' constants the client needs at run time, restated as literals so that no module
// of @azora/contracts (and so no zod) is bundled. Each is typed as the contract's own constant:
// if the two ever differ, the build fails.
import type * as C from '@azora/contracts';

export const IDEMPOTENCY_KEY_HEADER: typeof C.IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const COURSE_CHECKOUT_PATH: typeof C.COURSE_CHECKOUT_PATH = '/api/pay/checkout';
