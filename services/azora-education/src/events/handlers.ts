// What Education does with the events it consumes: Pay's outcomes for course purchases grant
// and revoke access. Each runs in the consumer's transaction together with the inbox record,
// so a redelivered payment enrols nobody twice.
import type { Consumer } from '@azora/service-kit';
import type { EducationContext } from '../use-cases/context';
import { grantPaidAccess, revokePaidAccess } from '../use-cases/enrollment';

export function registerEventHandlers(events: Consumer, ctx: EducationContext): void {
  events.on('pay.payment.succeeded', (event, tx) =>
    grantPaidAccess(ctx, tx, event.data, { requestId: event.requestId }),
  );
  events.on('pay.payment.refunded', (event, tx) => revokePaidAccess(ctx, tx, event.data));
}
