import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** What the HTTP face needs from the treasury. */
export interface PbocHandlers {
  /** A voucher-library message. */
  message(bytes: Uint8Array): { status: number; body: unknown };
  /** `POST /sim/day-end` with the parsed JSON body. */
  dayEnd(body: unknown): Promise<{ status: number; body: unknown }>;
  state(): unknown;
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
 * The treasury's HTTP face: `POST /voucher-library/messages` (its 电子凭证库), `POST /sim/day-end`,
 * `GET /sim/state` and `GET /health`.
 */
export function createPbocServer(handlers: PbocHandlers): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const fail = (e: unknown) => {
      if (!res.headersSent) reply(res, 500, { error: e instanceof Error ? e.message : String(e) });
    };
    if (req.method === 'GET' && path === '/health') return reply(res, 200, { ok: true });
    if (req.method === 'GET' && path === '/sim/state') return reply(res, 200, handlers.state());
    if (path === '/sim/day-end') {
      if (req.method !== 'POST') return reply(res, 405, { error: 'POST only' });
      readBody(req)
        .then(async (body) => {
          let json: unknown;
          try {
            json = JSON.parse((body ?? Buffer.alloc(0)).toString('utf8') || '{}');
          } catch {
            return reply(res, 400, { ok: false, error: 'body must be JSON {"date":"YYYY-MM-DD"}' });
          }
          const answer = await handlers.dayEnd(json);
          reply(res, answer.status, answer.body);
        })
        .catch(fail);
      return;
    }
    if (path === MESSAGES_PATH) {
      if (req.method !== 'POST') return reply(res, 405, { error: 'POST only' });
      readBody(req).then((body) => {
        if (body === null) return reply(res, 413, { error: `message larger than ${MAX_BODY} bytes` });
        const answer = handlers.message(new Uint8Array(body));
        reply(res, answer.status, answer.body);
      }, fail);
      return;
    }
    reply(res, 404, { error: `no route ${req.method} ${path}` });
  });
}
