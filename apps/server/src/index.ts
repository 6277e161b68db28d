export { buildApp } from './app';
export type { AppDeps } from './deps';
export { startServer, type RunningServer } from './main';
