import { FiscusError } from '@fiscus/core';
import { receiveBankMessage } from '@fiscus/core/payments/vouchers/inbox';
import { trustedCounterpartKeys } from '@fiscus/core/payments/vouchers/keys';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../deps';

/**
 * 电子凭证库 inbox: agent banks post their signed receipts and returns here. There is no session:
 * a message is authenticated by its SM2 signatures, checked before anything else is done.
 */
export async function evoucherRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.addContentTypeParser(
    ['application/xml', 'text/xml'],
    { parseAs: 'buffer', bodyLimit: 16 * 1024 * 1024 },
    (_req, body, done) => done(null, body),
  );
  app.post(
    '/api/v1/evoucher/messages',
    {
      schema: {
        tags: ['payments'],
        summary: '电子凭证库：接收代理银行回单与退回（SM2 验签） Inbound bank receipts and returns',
      },
    },
    async (req) => {
      if (!Buffer.isBuffer(req.body))
        throw new FiscusError('VALIDATION_FAILED', { detail: 'send the MOF message as application/xml' });
      const results = await receiveBankMessage(deps.db, req.body, await trustedCounterpartKeys());
      return { results };
    },
  );
}
