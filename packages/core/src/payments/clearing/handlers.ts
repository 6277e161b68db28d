import { approveCorrectionHandler, prepareCorrectionHandler } from './correction';
import { receiveClearingReceiptHandler, recordClearingSendHandler } from './deliveries';
import { saveClearingPolicyHandler } from './policy';
import { issueQuotasHandler } from './quota';

export const clearingHandlers = [
  saveClearingPolicyHandler,
  issueQuotasHandler,
  prepareCorrectionHandler,
  approveCorrectionHandler,
  recordClearingSendHandler,
  receiveClearingReceiptHandler,
] as const;
