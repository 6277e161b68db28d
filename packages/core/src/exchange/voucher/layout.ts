/**
 * Field layouts are data: which elements a voucher type carries, in which order, of which kind.
 * A region whose counterparts expect extra elements extends a layout instead of changing code.
 * Field names are the MOF/PBOC element names of DOMAIN.md §4.6, copied exactly.
 */

/** `text` as is; `date` yyyyMMdd; `amount` yuan in XML, bigint fen in TypeScript. */
export type FieldKind = 'text' | 'date' | 'amount';

export interface FieldSpec {
  readonly name: string;
  readonly kind: FieldKind;
  /** Required on every voucher of the type; receipt X-fields are never required here. */
  readonly required: boolean;
  readonly maxLength?: number;
  /** Extra shape check for codes (e.g. AdmDivCode digits). */
  readonly pattern?: RegExp;
}

export interface VoucherLayout {
  readonly vtCode: string;
  readonly name: string;
  readonly header: readonly FieldSpec[];
  readonly detail: readonly FieldSpec[];
  /** Fewest <Detail> rows a voucher of this type may have. */
  readonly minDetails: number;
  /** Header amounts that must equal the sum of a detail amount (e.g. PayAmt = Σ Detail/PayAmt). */
  readonly sums: readonly { readonly header: string; readonly detail: string }[];
}

/**
 * Fields prefixed X are filled by the receiving party when it returns the 回单 (DOMAIN.md §4.2);
 * the prefix alone decides it, for extras too.
 */
export function isReceiptField(name: string): boolean {
  return /^X[A-Z]/.test(name);
}

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
/** Element names the codec itself uses inside <Voucher>. */
const RESERVED = new Set(['DetailList', 'Detail', 'Signatures', 'Signature']);

type Spec<N extends string, K extends FieldKind, R extends boolean> = FieldSpec & {
  readonly name: N;
  readonly kind: K;
  readonly required: R;
};

/** Optional text field; the literal types let `FieldValues` derive a typed record from a layout. */
export function text<const N extends string>(
  name: N,
  extra: Partial<Pick<FieldSpec, 'maxLength' | 'pattern'>> = {},
) {
  return { name, kind: 'text', required: false, ...extra } as Spec<N, 'text', false>;
}
export function date<const N extends string>(name: N) {
  return { name, kind: 'date', required: false } as Spec<N, 'date', false>;
}
export function amount<const N extends string>(name: N) {
  return { name, kind: 'amount', required: false } as Spec<N, 'amount', false>;
}
export function required<const N extends string, const K extends FieldKind>(spec: Spec<N, K, boolean>) {
  return { ...spec, required: true } as Spec<N, K, true>;
}

/** Field value in the model: amounts are fen, everything else the exact element text. */
export type FieldValue = string | bigint;

type ValueOf<K extends FieldKind> = K extends 'amount' ? bigint : string;

/** A typed record for a const field list: required names mandatory, the rest optional. */
export type FieldValues<F extends readonly FieldSpec[]> = {
  readonly [S in F[number] as S['required'] extends true ? S['name'] : never]: ValueOf<S['kind']>;
} & {
  readonly [S in F[number] as S['required'] extends true ? never : S['name']]?: ValueOf<S['kind']>;
};

/** Checks a layout once, when it is defined or extended, not on every message. */
export function defineLayout(layout: VoucherLayout): VoucherLayout {
  if (!/^\d{4}$/.test(layout.vtCode)) throw new Error(`VtCode must be 4 digits: ${layout.vtCode}`);
  for (const [part, fields] of [
    ['header', layout.header],
    ['detail', layout.detail],
  ] as const) {
    const seen = new Set<string>();
    for (const f of fields) {
      if (!FIELD_NAME.test(f.name) || RESERVED.has(f.name)) {
        throw new Error(`${part} field name ${f.name} not allowed`);
      }
      if (seen.has(f.name)) throw new Error(`${part} field ${f.name} appears twice in ${layout.vtCode}`);
      if (f.required && isReceiptField(f.name)) throw new Error(`receipt field ${f.name} cannot be required`);
      seen.add(f.name);
    }
  }
  for (const { header, detail } of layout.sums) {
    const h = layout.header.find((f) => f.name === header);
    const d = layout.detail.find((f) => f.name === detail);
    if (h?.kind !== 'amount' || d?.kind !== 'amount') {
      throw new Error(`sum ${header} = Σ ${detail} needs two amounts`);
    }
  }
  return layout;
}

/**
 * A region's extra elements, appended after the standard ones (the spare Hold1..Hold4 stay where
 * they are), so a standard counterpart's field order is unchanged.
 */
export function extendLayout(
  layout: VoucherLayout,
  extra: { readonly header?: readonly FieldSpec[]; readonly detail?: readonly FieldSpec[] },
): VoucherLayout {
  return defineLayout({
    ...layout,
    header: [...layout.header, ...(extra.header ?? [])],
    detail: [...layout.detail, ...(extra.detail ?? [])],
  });
}

export type LayoutRegistry = ReadonlyMap<string, VoucherLayout>;

export function layoutRegistry(layouts: readonly VoucherLayout[]): LayoutRegistry {
  const map = new Map<string, VoucherLayout>();
  for (const l of layouts) {
    if (map.has(l.vtCode)) throw new Error(`two layouts for VtCode ${l.vtCode}`);
    map.set(l.vtCode, l);
  }
  return map;
}
