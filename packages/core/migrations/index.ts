import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation';
import * as m0002 from './0002_ledger';
import * as m0003 from './0003_indicators';
import * as m0004 from './0004_yearend';
import * as m0005 from './0005_config_token';
import * as m0006 from './0006_payments';
import * as m0007 from './0007_vouchers';
import * as m0008 from './0008_entry_check_per_statement';
import * as m0009 from './0009_receipts';
import * as m0010 from './0010_voucher_sending';
import * as m0011 from './0011_monitoring';
import * as m0012 from './0012_clearing';
import * as m0013 from './0013_reconcile';
import * as m0014 from './0014_monitor_spend_day';
import * as m0015 from './0015_reconcile_coding';

/** Static map: the bundle needs no file system scan, and order is the key order. */
export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_ledger': m0002,
  '0003_indicators': m0003,
  '0004_yearend': m0004,
  '0005_config_token': m0005,
  '0006_payments': m0006,
  '0007_vouchers': m0007,
  '0008_entry_check_per_statement': m0008,
  '0009_receipts': m0009,
  '0010_voucher_sending': m0010,
  '0011_monitoring': m0011,
  '0012_clearing': m0012,
  '0013_reconcile': m0013,
  '0014_monitor_spend_day': m0014,
  '0015_reconcile_coding': m0015,
};
