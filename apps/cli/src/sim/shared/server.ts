import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** What a simulator's HTTP face needs from it (the bank's and the PBOC's are the same shape). */
export interface SimHandlers {
  /** A voucher-library message; `drop` destroys the connection without an answer. */
  message(bytes: Uint8Array): { status: number; body: unknown } | 'drop';
  state(): unknown;
  /** `POST <path>` with a JSON body (`/sim/day-end`, `/sim/bounce`). */
  readonly actions?: Readonly<Record<string, (body: unknown) => Promise<{ status: number; body: unknown }>>>;
}

export const MESSAGES_PATH = '/voucher-library/messages';
const MAX_BODY = 16 * 1024 * 1024;

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        resolve(null);
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * A simulator's HTTP face: `POST /voucher-library/messages` (its 电子凭证库), `GET /sim/state`,
 * `GET /health` and its JSON actions (`POST /sim/day-end`, the bank's `POST /sim/bounce`).
 */
export function createSimServer(handlers: SimHandlers): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/health') return reply(res, 200, { ok: true });
    if (req.method === 'GET' && path === '/sim/state') return reply(res, 200, handlers.state());
    if (path === MESSAGES_PATH) {
      if (req.method !== 'POST') return reply(res, 405, { error: 'POST only' });
      readBody(req).then(
        (body) => {
          if (body === null) return reply(res, 413, { error: `message larger than ${MAX_BODY} bytes` });
          const answer = handlers.message(new Uint8Array(body));
          if (answer === 'drop') {
            req.socket.destroy();
            return;
          }
          reply(res, answer.status, answer.body);
        },
        (e: unknown) => {
          if (!res.headersSent) reply(res, 500, { error: e instanceof Error ? e.message : String(e) });
        },
      );
      return;
    }
    const action = path === undefined ? undefined : handlers.actions?.[path];
    if (action !== undefined) {
      if (req.method !== 'POST') return reply(res, 405, { error: 'POST only' });
      readBody(req)
        .then(async (body) => {
          if (body === null) return reply(res, 413, { error: `body larger than ${MAX_BODY} bytes` });
          let json: unknown = {};
          const t = body.toString('utf8').trim();
          if (t !== '') {
            try {
              json = JSON.parse(t);
            } catch {
              return reply(res, 400, { error: 'body is not JSON' });
            }
          }
          const answer = await action(json);
          reply(res, answer.status, answer.body);
        })
        .catch((e: unknown) => {
          if (!res.headersSent) reply(res, 500, { error: e instanceof Error ? e.message : String(e) });
        });
      return;
    }
    reply(res, 404, { error: `no route ${req.method} ${path}` });
  });
}
