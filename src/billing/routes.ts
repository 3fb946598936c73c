import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { route } from '../platform/http/route.ts';
import type { PaymentMethodService } from './payment-methods.ts';
import { billingContracts as c } from './schemas.ts';

/** An organisation's cards on file (R-LIC-7); its owner's alone. */
export const billingRoutes: FastifyPluginAsyncZod<{ paymentMethods: PaymentMethodService }> = async (app, { paymentMethods }) => {
  route(app, c.paymentMethods, async (ctx) => ({ paymentMethods: await paymentMethods.list(ctx) }));
  route(app, c.addCard, async (ctx, { body }) => ({ paymentMethod: await paymentMethods.add(ctx, body) }));
  route(app, c.removeCard, async (ctx, { params }) => ({ paymentMethods: await paymentMethods.remove(ctx, params.paymentMethodId) }));
};
