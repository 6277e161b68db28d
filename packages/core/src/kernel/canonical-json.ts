/**
 * Deterministic JSON: object keys sorted, bigint as a decimal string, no whitespace.
 * Used wherever bytes are hashed (idempotency fingerprints, audit chain), so the same value
 * always gives the same hash whatever the insertion order of its keys. Written out directly
 * (no sorted copy of the value first): it runs for every command and every audit record.
 */
export function canonicalJson(value: unknown): string {
  return write(value);
}

const isIndex = (k: string) => /^(0|[1-9]\d{0,9})$/.test(k) && Number(k) < 4294967295;

/**
 * Keys sorted, in the order the first implementation produced them: it sorted into a new object
 * and let JSON.stringify enumerate it, which lists array-index keys ("0", "12") first in numeric
 * order. Stored audit hashes depend on these bytes.
 */
function keyOrder(o: Record<string, unknown>): string[] {
  const keys = Object.keys(o).sort();
  if (!keys.some(isIndex)) return keys;
  const idx = keys.filter(isIndex).sort((a, b) => Number(a) - Number(b));
  return [...idx, ...keys.filter((k) => !isIndex(k))];
}

function write(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'bigint':
      return `"${value.toString()}"`;
    case 'undefined':
    case 'function':
    case 'symbol':
      return 'null';
    case 'object': {
      if (value === null) return 'null';
      if (value instanceof Date) return JSON.stringify(value.toISOString());
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + write(value[i]);
        return `${out}]`;
      }
      const o = value as Record<string, unknown>;
      let out = '{';
      let first = true;
      for (const k of keyOrder(o)) {
        const v = o[k];
        if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
        out += `${first ? '' : ','}${JSON.stringify(k)}:${write(v)}`;
        first = false;
      }
      return `${out}}`;
    }
    default:
      return JSON.stringify(value);
  }
}
