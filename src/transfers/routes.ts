import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { route } from '../platform/http/route.ts';
import { transferContracts as c } from './schemas.ts';
import type { TransferService } from './service.ts';

export const transferRoutes: FastifyPluginAsyncZod<{ transfers: TransferService }> = async (app, { transfers }) => {
  route(app, c.transferPatient, (ctx, { params, body }) => transfers.transferPatient(ctx, params.patientId, body.accountId));
  route(app, c.transferable, (ctx, { params }) => transfers.transferable(ctx, params.memberId));
  route(app, c.adminTransfer, (ctx, { params, body }) => {
    const { toMemberId, ...selection } = body;
    return transfers.adminTransfer(ctx, params.memberId, { toMembershipId: toMemberId, ...selection });
  });
};
