import { zhCN } from '../locales/zh-CN';
import type { ErrorBody } from './types';

/** A refusal from the server (or the network), carrying the server's error body. */
export class ApiError extends Error {
  readonly status: number;
  readonly body: ErrorBody;

  constructor(status: number, body: ErrorBody) {
    super(body.message['zh-CN']);
    this.name = 'ApiError';
    this.status = status;
    this.body = body;
  }

  get code(): string {
    return this.body.code;
  }
}

export type QueryValue = string | number | boolean | null | undefined;
export type Query = Record<string, QueryValue>;

/** `/api/v1` + path + the query's non-empty values. */
export function apiUrl(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const qs = params.toString();
  return `/api/v1${path}${qs ? `?${qs}` : ''}`;
}

function localError(code: string, zh: string, en: string): ErrorBody {
  return { code, params: {}, message: { 'zh-CN': zh, en } };
}

function isErrorBody(v: unknown): v is ErrorBody {
  if (typeof v !== 'object' || v === null) return false;
  const m = (v as { message?: unknown }).message;
  return typeof (v as { code?: unknown }).code === 'string' && typeof m === 'object' && m !== null;
}

async function errorOf(res: Response): Promise<ApiError> {
  let parsed: unknown = null;
  try {
    parsed = await res.json();
  } catch {
    // not JSON: a proxy or a crash page
  }
  const body = (parsed as { error?: unknown } | null)?.error;
  if (isErrorBody(body)) return new ApiError(res.status, body);
  return new ApiError(
    res.status,
    localError(`HTTP_${res.status}`, `${zhCN.common.error}（HTTP ${res.status}）`, `HTTP ${res.status}`),
  );
}

export interface RequestOptions {
  query?: Query;
  json?: unknown;
  body?: BodyInit;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** The raw response of a successful (2xx) request; throws ApiError otherwise. */
export async function send(method: string, path: string, opts: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  const init: RequestInit = { method, credentials: 'same-origin', headers };
  if (opts.json !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(opts.json);
  } else if (opts.body !== undefined) {
    init.body = opts.body;
  }
  if (opts.signal) init.signal = opts.signal;
  let res: Response;
  try {
    res = await fetch(apiUrl(path, opts.query), init);
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, localError('NETWORK', zhCN.common.networkError, 'Network error'));
  }
  if (!res.ok) throw await errorOf(res);
  return res;
}

/** A JSON request; 204 resolves to undefined. */
export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const res = await send(method, path, opts);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) =>
    request<T>('GET', path, { ...(query ? { query } : {}), ...(signal ? { signal } : {}) }),
  post: <T>(path: string, json?: unknown, query?: Query) =>
    request<T>('POST', path, { ...(json === undefined ? {} : { json }), ...(query ? { query } : {}) }),
  del: <T = void>(path: string) => request<T>('DELETE', path),
};
