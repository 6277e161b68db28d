import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import { useNavigate } from 'react-router';
import { api } from '../api/client';
import { zhCN } from '../locales/zh-CN';
import { meKey } from './me-query';

export function useLogout() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  return useMutation({
    mutationFn: () => api.del('/sessions/current'),
    onSettled: () => {
      // Leave the signed-in tree first, then drop its cached data (no refetch on the way out).
      queryClient.setQueryData(meKey, null);
      navigate('/login', { replace: true });
      setTimeout(() => queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== meKey[0] }), 0);
    },
    onSuccess: () => {
      message.success(zhCN.header.loggedOut);
    },
  });
}
