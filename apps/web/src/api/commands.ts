import { zhCN } from '../locales/zh-CN';
import { ApiError, api } from './client';
import type { CommandResult } from './types';

const today = () => {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
};

/**
 * A fresh command id per click. getRandomValues, not randomUUID: the latter exists only in secure
 * contexts, and the bureau's intranet may serve plain HTTP.
 */
const commandId = () =>
  `web-${Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('')}`;

/**
 * POST one command in a region and year, dated today. A refusal rejects with the ApiError built
 * from the command result (its `error`), so callers show `error.message['zh-CN']`.
 */
export async function sendCommand<R>(
  region: string,
  year: number,
  type: string,
  payload: unknown,
): Promise<R> {
  const r = await api.post<CommandResult>('/commands', {
    id: commandId(),
    type,
    region,
    year,
    on: today(),
    payload,
  });
  if (r.status === 'rejected' && r.error) throw new ApiError(409, r.error);
  return r.result as R;
}

/** The server's words for a refusal: its zh-CN message, and each field's complaint when it gave some. */
export function refusalText(e: unknown): string {
  if (!(e instanceof ApiError)) return zhCN.common.error;
  const issues = e.body.issues?.map((i) => `${i.path}：${i.messageZh}`) ?? [];
  return [e.body.message['zh-CN'], ...issues].join('；');
}
