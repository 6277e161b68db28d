import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import { errorBody } from '@fiscus/contracts';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import type { AppDeps } from './deps';
import { installErrorHandler } from './errors';
import { installSession } from './plugins/session';
import { auditRoutes } from './routes/audit';
import { clearingRoutes } from './routes/clearing';
import { commandRoutes } from './routes/commands';
import { directReachRoutes } from './routes/direct-reach';
import { evoucherRoutes } from './routes/evoucher';
import { indicatorImportRoutes } from './routes/indicator-imports';
import { indicatorRoutes } from './routes/indicators';
import { ledgerRoutes } from './routes/ledger';
import { listRoutes } from './routes/lists';
import { monitorRoutes } from './routes/monitor';
import { paymentRoutes } from './routes/payments';
import { reconcileRoutes } from './routes/reconcile';
import { sessionRoutes } from './routes/sessions';
import { transferRoutes } from './routes/transfers';
import { yearendRoutes } from './routes/yearend';

export type { AppDeps } from './deps';

/** The HTTP face: API, OpenAPI document and (when built) the web UI, on one port. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger
      ? {
          level: 'info',
          redact: [
            'req.headers.cookie',
            'req.headers.authorization',
            'res.headers["set-cookie"]',
            'body.password',
          ],
        }
      : false,
    trustProxy: true,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // Ant Design injects its CSS-in-JS styles at run time.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        scriptSrc: ["'self'"],
      },
    },
  });
  await app.register(cookie, { secret: deps.cookieSecret });
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Fiscus API',
        version: '0.1.0',
        description: '预算管理一体化 — budget indicators to bank',
      },
    },
    transform: jsonSchemaTransform,
  });
  for (const type of [
    'application/octet-stream',
    'text/csv',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ]) {
    app.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: 20 * 1024 * 1024 }, (_req, body, done) =>
      done(null, body),
    );
  }
  installSession(app, deps);

  app.get('/healthz', { schema: { tags: ['system'], summary: '健康检查 Health' } }, async () => {
    await sql`select 1`.execute(deps.db);
    return { status: 'ok', database: deps.databaseMode };
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await sessionRoutes(app, deps);
  await commandRoutes(app, deps);
  await listRoutes(app, deps);
  await auditRoutes(app, deps);
  await ledgerRoutes(app, deps);
  await transferRoutes(app, deps);
  await paymentRoutes(app, deps);
  await directReachRoutes(app, deps);
  await monitorRoutes(app, deps);
  await reconcileRoutes(app, deps);
  await clearingRoutes(app, deps);
  await evoucherRoutes(app, deps);
  await yearendRoutes(app, deps);
  await indicatorImportRoutes(app, deps);
  await indicatorRoutes(app, deps);

  const dist = deps.webDist;
  const indexHtml =
    dist && existsSync(join(dist, 'index.html')) ? readFileSync(join(dist, 'index.html')) : null;
  if (dist && indexHtml) {
    await app.register(fastifyStatic, { root: dist, wildcard: false, index: false });
    app.get('/', (_req, reply) => reply.type('text/html').send(indexHtml));
    app.get('/assets/*', (req, reply) =>
      reply.sendFile((req.params as { '*': string })['*'], join(dist, 'assets')),
    );
  }
  app.setNotFoundHandler((req, reply) => {
    if (req.method === 'GET' && indexHtml && !req.url.startsWith('/api/')) {
      // Client-side routes of the single-page app.
      return reply.type('text/html').send(indexHtml);
    }
    return reply
      .status(404)
      .send({ error: errorBody('NOT_FOUND', { entity: 'route', key: `${req.method} ${req.url}` }) });
  });
  return app;
}
