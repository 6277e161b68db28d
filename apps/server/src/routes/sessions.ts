import { loginRequestSchema } from '@fiscus/contracts';
import { type Actor, allPermissions, login, logout, rolesByCode, SESSION_HOURS } from '@fiscus/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import type { AppDeps } from '../deps';
import { requireActor, SESSION_COOKIE } from '../plugins/session';

/** What the web client needs to know about the signed-in user. */
async function me(deps: AppDeps, actor: Actor) {
  const regions = await deps.db
    .selectFrom('basedata.region')
    .select(['region_code', 'name', 'level', 'parent_code', 'path'])
    .orderBy('path')
    .execute();
  const visible = regions.filter((r) =>
    actor.grants.some(
      (g) =>
        r.region_code === g.scopeRegion ||
        (g.includeDescendants && r.path.split('/').includes(g.scopeRegion)),
    ),
  );
  const fiscal = actor.grants.find((g) => (rolesByCode.get(g.role)?.adminKind ?? null) === null);
  const defaultRegion = (fiscal ?? actor.grants[0])?.scopeRegion ?? visible[0]?.region_code ?? '';
  const year = await deps.db
    .selectFrom('basedata.fiscal_year')
    .select(sql<number>`max(fiscal_year)`.as('y'))
    .where('region_code', '=', defaultRegion)
    .where('state', '=', 'open')
    .executeTakeFirst();
  return {
    username: actor.username,
    displayName: actor.displayName,
    permissions: allPermissions(actor),
    grants: actor.grants.map((g) => ({ ...g, roleName: rolesByCode.get(g.role)?.nameZh ?? g.role })),
    regions: visible.map((r) => ({
      code: r.region_code,
      name: r.name,
      level: r.level,
      parentCode: r.parent_code,
    })),
    defaultRegion,
    defaultYear: year?.y ?? new Date().getFullYear(),
  };
}

export async function sessionRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/v1/sessions',
    {
      schema: { tags: ['sessions'], summary: '登录 Sign in', body: loginRequestSchema },
      // Per-address throttle on top of the per-account lock in login().
      config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      const s = await login(deps.db, req.body.username, req.body.password, req.ip);
      reply.setCookie(SESSION_COOKIE, s.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: deps.secureCookies ?? false,
        signed: true,
        maxAge: SESSION_HOURS * 3600,
      });
      const actor = await requireActor({ ...req, username: s.username } as typeof req, deps);
      return reply.status(201).send({ user: await me(deps, actor) });
    },
  );
  r.get(
    '/api/v1/sessions/current',
    { schema: { tags: ['sessions'], summary: '当前用户 Current user' } },
    async (req) => me(deps, await requireActor(req, deps)),
  );
  r.delete(
    '/api/v1/sessions/current',
    { schema: { tags: ['sessions'], summary: '退出 Sign out' } },
    async (req, reply) => {
      if (req.sessionToken) await logout(deps.db, req.sessionToken);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  );
}
