import pg from 'pg';

let installed = false;

/**
 * Type parsers, installed once per process: money never passes through a JS number.
 * int8 → bigint, numeric → string (exact), date → 'YYYY-MM-DD' (no timezone shift).
 */
export function installTypeParsers(): void {
  if (installed) return;
  installed = true;
  const { types } = pg;
  types.setTypeParser(types.builtins.INT8, (v: string) => BigInt(v));
  types.setTypeParser(types.builtins.NUMERIC, (v: string) => v);
  types.setTypeParser(types.builtins.DATE, (v: string) => v);
  // int8[] → bigint[]
  const setParser = types.setTypeParser as (oid: number, parse: (v: string) => unknown) => void;
  setParser(1016, (v: string) =>
    v === '{}'
      ? []
      : v
          .slice(1, -1)
          .split(',')
          .map((x) => BigInt(x)),
  );
}
