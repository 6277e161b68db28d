export * from './auth';
export * from './basedata';
export * from './command';
export * from './common';
export * from './errors';
export * from './imports';
export * from './ledger';
export * from './registry';
