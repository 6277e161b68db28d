export * from './auth/domain/access';
export * from './auth/domain/roles';
export * from './auth/domain/separation';
export { loadActor, loadGrants } from './auth/store/actors';
export { login, logout, resolveSession, SESSION_HOURS } from './auth/store/sessions';
export { demoCommands, loadDemo } from './basedata/demo';
export * from './basedata/lists/index';
export { regionAncestry } from './basedata/store/scope';
export { CommandBatcher } from './commands/batcher';
export * from './commands/pipeline';
export type { LevelDifference, ReceivedRecord } from './indicators/domain/levels';
export { type DocImportRequest, docTemplate, importDocument, lineColumns } from './indicators/excel';
export {
  type Amounts,
  allDocuments,
  allIndicators,
  approvalInbox,
  type DocumentDetail,
  type DocumentFilter,
  type DocumentItem,
  documentDetail,
  type IndicatorDetail,
  type IndicatorFilter,
  type IndicatorItem,
  indicatorDetail,
  listDocuments,
  listIndicators,
} from './indicators/queries';
export { type LevelReport, receivedFrom, reconcileLevels } from './indicators/reconcile-levels';
export { type CommandSink, httpSink, localSink, type RelayReport, relayTransfers } from './indicators/relay';
export {
  type ChunkProgress,
  chunkCommandId,
  findYearendRun,
  listYearendRuns,
  reverseCommandId,
  reverseYearend,
  runYearend,
  type YearendRunOptions,
  type YearendRunView,
  yearendDryRun,
} from './indicators/yearend/run';
export * from './kernel/errors';
export * from './kernel/money';
export * from './ledger/reports/index';
export { type VerifyReport, verifyLedger } from './ledger/verify';
export {
  type BeneficiaryRecord,
  type DirectReachFigures,
  type DirectReachFund,
  type DirectReachPayment,
  type DirectReachPayments,
  type DirectReachPaymentsQuery,
  type DirectReachQuery,
  type DirectReachReport,
  directReachPayments,
  directReachReport,
} from './monitoring/direct-reach';
export { type MonitorFinding, type PaymentMonitor, registerPaymentMonitor } from './payments/monitor-hook';
export { listPayments, paymentDetail } from './payments/queries';
export { listAudit, verifyAudit } from './platform/audit/store';
export { connect, type Database, ensureDatabase, openPool } from './platform/db/connect';
export { migrateToLatest } from './platform/db/migrate';
export type { DB } from './platform/db/schema';
export { writeTemplate, writeXlsx } from './platform/tabular/write-xlsx';
export { openSystem } from './system';
