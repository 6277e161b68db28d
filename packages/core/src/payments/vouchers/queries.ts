import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema';

export interface StoredVoucher {
  vtCode: string;
  voucherNo: string;
  applicationId: string;
  agencyCode: string | null;
  libraryStatus: number;
  signedBy: string;
  keyId: string;
  createdAt: Date;
  /** The outer <MOF> envelope, XML text. */
  envelope: string;
}

/** The latest voucher of an application, or null when none is signed. */
export async function paymentVoucher(
  db: Kysely<DB>,
  region: string,
  year: number,
  applicationId: string,
): Promise<StoredVoucher | null> {
  const r = await db
    .selectFrom('payments.voucher as v')
    .innerJoin('payments.application as a', (j) =>
      j
        .onRef('a.region_code', '=', 'v.region_code')
        .onRef('a.fiscal_year', '=', 'v.fiscal_year')
        .onRef('a.application_id', '=', 'v.application_id'),
    )
    .select([
      'v.vt_code',
      'v.voucher_no',
      'v.application_id',
      'a.agency_code',
      'v.library_status',
      'v.signed_by',
      'v.key_id',
      'v.created_at',
      'v.envelope',
    ])
    .where('v.region_code', '=', region)
    .where('v.fiscal_year', '=', year)
    .where('v.application_id', '=', applicationId)
    .orderBy('v.created_at', 'desc')
    .orderBy('v.voucher_no', 'desc')
    .executeTakeFirst();
  if (!r) return null;
  return {
    vtCode: r.vt_code,
    voucherNo: r.voucher_no,
    applicationId: r.application_id,
    agencyCode: r.agency_code,
    libraryStatus: r.library_status,
    signedBy: r.signed_by,
    keyId: r.key_id,
    createdAt: r.created_at,
    envelope: r.envelope,
  };
}
