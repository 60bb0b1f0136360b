// The provider's webhook endpoint. Mounted before the JSON parser: the signature covers the raw
// body byte for byte, so it is read as a Buffer and handed over untouched.
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { STRIPE_WEBHOOK_PATH } from '@azora/contracts';
import type { PayContext } from '../use-cases/context';
import { receiveWebhook } from '../use-cases/webhooks';

export function webhookRoutes(app: Express, ctx: PayContext): void {
  app.post(
    STRIPE_WEBHOOK_PATH,
    express.raw({ type: () => true, limit: '1mb' }),
    async (req: Request, res: Response, next: NextFunction) => {
      try {
        const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const receipt = await receiveWebhook(ctx, body, req.get('stripe-signature'), req.id);
        res.json({ received: true, duplicate: receipt.duplicate });
      } catch (error) {
        next(error);
      }
    },
  );
}
