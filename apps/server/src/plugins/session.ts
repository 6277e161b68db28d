import { type Actor, FiscusError, loadActor, resolveSession } from '@fiscus/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppDeps } from '../deps';

export const SESSION_COOKIE = 'fiscus_session';

declare module 'fastify' {
  interface FastifyRequest {
    sessionToken: string | null;
    username: string | null;
  }
}

/** Resolve the session cookie on every request; routes call `requireActor`. */
export function installSession(app: FastifyInstance, deps: AppDeps): void {
  app.decorateRequest('sessionToken', null);
  app.decorateRequest('username', null);
  app.addHook('onRequest', async (req) => {
    const raw = req.cookies[SESSION_COOKIE];
    if (!raw) return;
    const unsigned = req.unsignCookie(raw);
    if (!unsigned.valid || !unsigned.value) return;
    req.sessionToken = unsigned.value;
    req.username = await resolveSession(deps.db, unsigned.value);
  });
}

export async function requireActor(req: FastifyRequest, deps: AppDeps): Promise<Actor> {
  if (!req.username) throw new FiscusError('UNAUTHENTICATED');
  const actor = await loadActor(deps.db, req.username);
  if (!actor) throw new FiscusError('UNAUTHENTICATED');
  return actor;
}
