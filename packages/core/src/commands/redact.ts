const SECRET_KEYS = new Set(['password', 'newPassword', 'privateKey', 'secret']);

/** Payload as it may be kept in the audit trail: secrets replaced, everything else intact. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEYS.has(k) ? '***' : redact(v);
    return out;
  }
  return value;
}
