import { commandEnvelopeSchema, errorBody, httpStatusOf } from '@fiscus/contracts';
import { CommandBatcher, executeCommands } from '@fiscus/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../deps';
import { requireActor } from '../plugins/session';

const MAX_BATCH = 5000;

export async function commandRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const batcher = new CommandBatcher(deps.db, { windowMs: 2 });
  r.post(
    '/api/v1/commands',
    {
      schema: {
        tags: ['commands'],
        summary: '提交命令 Submit one command or an array (results in order)',
        description:
          'Every write is a command. A repeat of an id returns the first result (replayed: true). ' +
          'A single command answers with the status of its outcome; an array answers 200 with one result per item.',
        body: z.union([commandEnvelopeSchema, z.array(commandEnvelopeSchema).max(MAX_BATCH)]),
      },
      // The pipeline validates and audits malformed commands itself, so schema failures pass through.
      attachValidation: true,
      bodyLimit: 50 * 1024 * 1024,
    },
    async (req, reply) => {
      const actor = await requireActor(req, deps);
      const raw: unknown = req.body;
      const many = Array.isArray(raw);
      const items = many ? (raw as unknown[]) : [raw];
      if (items.length > MAX_BATCH) {
        return reply
          .status(422)
          .send({ error: errorBody('VALIDATION_FAILED', { detail: `at most ${MAX_BATCH} commands` }) });
      }
      const opts = { sessionActor: actor.username };
      if (many) return reply.status(200).send(await executeCommands(deps.db, items, opts));
      // Single commands share a transaction with concurrent ones (group commit): same result, fewer commits.
      const one = await batcher.submit(items[0], opts);
      return reply.status(one.status === 'accepted' ? 200 : httpStatusOf(one.error.code)).send(one);
    },
  );
}
