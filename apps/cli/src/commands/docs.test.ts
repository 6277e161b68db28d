import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandsMarkdown } from './docs';

describe('docs/commands.md', () => {
  it('matches the zod schemas (regenerate with `npm run docs:commands`)', () => {
    const file = readFileSync(
      join(import.meta.dirname, '..', '..', '..', '..', 'docs', 'commands.md'),
      'utf8',
    );
    expect(file).toBe(commandsMarkdown());
  });
});
