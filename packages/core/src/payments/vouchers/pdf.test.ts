import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorCodeOf } from '../../kernel/errors-testing';
import { findCjkFont, voucherPdf, voucherPrint } from './pdf';

const envelope = readFileSync(
  join(import.meta.dirname, '..', '..', 'exchange', 'voucher', '__fixtures__', '5201-unsigned.envelope.xml'),
  'utf8',
);

describe('voucher PDF', () => {
  it('prints the voucher fields and the amount in Chinese capitals', () => {
    const p = voucherPrint(envelope);
    expect(p.title).toBe('财政直接支付凭证');
    expect(p.rows.find(([k]) => k === '凭证号')?.[1]).toMatch(/\d/);
    expect(p.capital).toMatch(/^人民币.*(整|分)$|^[零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整]+$/);
    expect(p.amountFen).toBeGreaterThan(0n);
  });

  it('refuses what does not decode', () => {
    expect(errorCodeOf(() => voucherPrint('<MOF><nope/></MOF>'))).toBe('VALIDATION_FAILED');
  });

  it('renders a PDF with an embedded CJK font, or says which font is missing', async () => {
    const font = findCjkFont();
    if (!font) {
      await expect(voucherPdf(envelope, null)).rejects.toMatchObject({ code: 'PDF_FONT_MISSING' });
      return;
    }
    const pdf = await voucherPdf(envelope, font);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // The font is embedded (a subset): the document carries a FontFile, not just a name.
    expect(pdf.toString('latin1')).toMatch(/FontFile2|FontFile3/);
    expect(pdf.length).toBeGreaterThan(5_000);
  });

  it('names the font environment variable when it points nowhere', () => {
    expect(findCjkFont({ FISCUS_PDF_FONT: '/nope/font.ttf' })).toBeNull();
  });
});
