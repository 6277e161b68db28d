import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App } from 'antd';
import { type ReactNode, useRef, useState } from 'react';
import { zhCN } from '../locales/zh-CN';
import { meKey } from '../session/me-query';
import { ApiError } from './client';

/**
 * TanStack Query with one error policy: a 401 anywhere ends the session (RequireAuth then
 * goes to /login); other errors show the server's zh-CN message unless meta.silent.
 */
export function QueryProvider({ children }: { children: ReactNode }) {
  const { message } = App.useApp();
  const messageRef = useRef(message);
  messageRef.current = message;

  const [client] = useState(() => {
    const onError = (error: Error, silent: boolean | undefined, isMe: boolean): void => {
      if (error instanceof ApiError && error.status === 401) {
        if (isMe) return;
        if (client.getQueryData(meKey)) messageRef.current.warning(zhCN.common.sessionExpired);
        client.setQueryData(meKey, null);
        return;
      }
      if (silent) return;
      messageRef.current.error(error instanceof ApiError ? error.body.message['zh-CN'] : zhCN.common.error);
    };
    const client: QueryClient = new QueryClient({
      queryCache: new QueryCache({
        onError: (error, query) => onError(error, query.meta?.silent, query.queryKey[0] === meKey[0]),
      }),
      mutationCache: new MutationCache({
        onError: (error, _vars, _result, mutation) => onError(error, mutation.meta?.silent, false),
      }),
      defaultOptions: {
        queries: {
          refetchOnWindowFocus: false,
          retry: (count, error) => !(error instanceof ApiError && error.status > 0) && count < 2,
        },
      },
    });
    return client;
  });

  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
