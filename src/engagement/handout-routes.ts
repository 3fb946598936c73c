import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { route } from '../platform/http/route.ts';
import type { HandoutService } from './handout.ts';
import { engagementContracts as c } from './schemas.ts';

/** The printable handout of a programme (R-PRG-2, R-ENG-8). */
export const handoutRoutes: FastifyPluginAsyncZod<{ handouts: HandoutService }> = async (app, { handouts }) => {
  route(app, c.handout, async (ctx, { params }, reply) => {
    const { fileName, pdf } = await handouts.handout(ctx, params.programmeId);
    return reply
      .type('application/pdf')
      .header('content-disposition', `inline; filename="${fileName}"`)
      // Patient data: kept by no cache on the way.
      .header('cache-control', 'no-store')
      .send(pdf);
  });
};
