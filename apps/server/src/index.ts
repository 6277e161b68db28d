export { buildApp } from './app';
export type { AppDeps } from './deps';
export { type RunningServer, startServer } from './main';
