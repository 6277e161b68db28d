import { randomBytes } from 'node:crypto';
import { errorBody, httpStatusOf } from '@fiscus/contracts';
import { isFiscusError } from '@fiscus/core';
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';

/** Every error leaves as `{ error: ErrorBody }` with the catalog's status. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (isFiscusError(err)) {
      return reply
        .status(httpStatusOf(err.code))
        .send({ error: errorBody(err.code, err.params, err.issues) });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues = err.validation.map((v) => ({
        path: `${err.validationContext ?? ''}${v.instancePath.replace(/\//g, '.')}`,
        code: v.keyword,
        message: v.message ?? 'invalid',
        messageZh: v.message ?? '无效',
      }));
      const detail = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
      return reply.status(422).send({ error: errorBody('VALIDATION_FAILED', { detail }, issues) });
    }
    if (err.statusCode === 429) {
      return reply.status(429).send({ error: errorBody('LOGIN_LOCKED', { minutes: 1 }) });
    }
    if (err.statusCode && err.statusCode < 500) {
      return reply
        .status(err.statusCode)
        .send({ error: errorBody('VALIDATION_FAILED', { detail: err.message }) });
    }
    const ref = randomBytes(6).toString('hex');
    req.log.error({ err, ref }, 'internal error');
    return reply.status(500).send({ error: errorBody('INTERNAL_ERROR', { ref }) });
  });
}
