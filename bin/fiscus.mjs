#!/usr/bin/env node
// The `fiscus` command: TypeScript sources run through tsx, no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../apps/cli/src/main.ts');
await main(process.argv);
