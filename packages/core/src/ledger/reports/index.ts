export { type BalanceQuery, type BalanceRow, balanceReport } from './balances';
export { type Dimension, dimensions } from './dimensions';
export { toCsv, toWire, toXlsx } from './format';
export { type ReportName, type ReportParams, reportNames, reportTitles, runReport } from './run';
export { executionProgress, indicatorLedger, sourcesAndUses, trialBalance } from './statements';
