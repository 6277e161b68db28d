import { z } from 'zod';
import { parseYuan } from '../../kernel/money';
import { type CodecError, codecError } from './errors';
import type { FieldSpec, FieldValue } from './layout';

/**
 * zod schemas built from layouts: element text in, model values out. The encoders run the same
 * schemas over the text they are about to write, so what we send is exactly what we accept.
 */

const DEFAULT_MAX_LENGTH = 512;
// Same shape as kernel/money parseYuan: at most 15 integer digits and 2 decimals.
const YUAN = /^-?\d{1,15}(\.\d{1,2})?$/;
// C0 controls, DEL, and lone surrogates (the u flag keeps valid pairs together): none can be a
// voucher value, and several would not survive an XML round trip (\r is normalised away).
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const FORBIDDEN = /[\u0000-\u001f\u007f\ud800-\udfff]/u;

function isCalendarDate(s: string): boolean {
  const y = Number(s.slice(0, 4));
  const m = Number(s.slice(4, 6));
  const d = Number(s.slice(6, 8));
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

export const textValue = (maxLength = DEFAULT_MAX_LENGTH) =>
  z
    .string()
    .max(maxLength)
    .refine((s) => !FORBIDDEN.test(s), 'control characters are not allowed')
    .refine((s) => s.trim() === s, 'leading or trailing whitespace is not allowed');

function fieldSchema(spec: FieldSpec): z.ZodType<FieldValue, string> {
  switch (spec.kind) {
    case 'amount':
      return z.string().regex(YUAN, 'not a yuan amount').transform(parseYuan);
    case 'date':
      return z
        .string()
        .regex(/^\d{8}$/, 'not a yyyyMMdd date')
        .refine(isCalendarDate, 'not a calendar date');
    case 'text': {
      const base = textValue(spec.maxLength);
      return spec.pattern === undefined ? base : base.regex(spec.pattern, `does not match ${spec.pattern}`);
    }
  }
}

const cache = new WeakMap<readonly FieldSpec[], z.ZodType<Record<string, FieldValue>>>();

/** A strict object schema: unknown elements are refused, not ignored. */
export function recordSchema(fields: readonly FieldSpec[]): z.ZodType<Record<string, FieldValue>> {
  let schema = cache.get(fields);
  if (schema === undefined) {
    const shape: Record<string, z.ZodType> = {};
    for (const f of fields) shape[f.name] = f.required ? fieldSchema(f) : fieldSchema(f).optional();
    schema = z.strictObject(shape) as unknown as z.ZodType<Record<string, FieldValue>>;
    cache.set(fields, schema);
  }
  return schema;
}

/** Empty elements are absent values: `<Hold1/>` and no <Hold1> mean the same. */
export function withoutEmpty(record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) if (v !== '') out[k] = v;
  return out;
}

/** One error per element: a value failing two checks is still one bad value. */
export function zodErrors(error: z.ZodError, base: string): CodecError[] {
  const out: CodecError[] = [];
  const seen = new Set<string>();
  for (const issue of error.issues) {
    // Attributes parse as `@_Name`; paths show them as `@Name`.
    const segments = issue.path.map((p) => String(p).replace(/^@_/, '@'));
    const path = [base, ...segments].filter((p) => p !== '').join('/');
    if (issue.code !== 'unrecognized_keys') {
      if (seen.has(path)) continue;
      seen.add(path);
    }
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.push(
          codecError('FIELD_UNKNOWN', `${path}/${key.replace(/^@_/, '@')}`, 'element not in the layout'),
        );
      }
    } else if (issue.code === 'invalid_type' && issue.input === undefined) {
      out.push(codecError('FIELD_MISSING', path, 'required element is missing or empty'));
    } else {
      out.push(codecError('FIELD_INVALID', path, issue.message));
    }
  }
  return out;
}

/** Parses one header or detail record; errors carry `base` as their path prefix. */
export function parseRecord(
  fields: readonly FieldSpec[],
  raw: Record<string, unknown>,
  base: string,
): { value: Record<string, FieldValue>; errors: CodecError[] } {
  const result = recordSchema(fields).safeParse(withoutEmpty(raw), { reportInput: true });
  return result.success
    ? { value: result.data, errors: [] }
    : { value: {}, errors: zodErrors(result.error, base) };
}
