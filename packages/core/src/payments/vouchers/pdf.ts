import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { decodeEnvelope } from '../../exchange/voucher/envelope';
import type { VoucherFields } from '../../exchange/voucher/model';
import { FiscusError } from '../../kernel/errors';
import { formatYuanGrouped, toChineseCapital } from '../../kernel/money';

/** A CJK font pdfkit can embed: the file and, for a collection (.ttc), the face inside it. */
interface CjkFont {
  path: string;
  family?: string;
}

/**
 * Where the Chinese font is: `FISCUS_PDF_FONT` (a .ttf/.otf, or `file.ttc#Face`), else Debian's
 * fonts-noto-cjk or fonts-wqy-microhei.
 */
export function findCjkFont(env: NodeJS.ProcessEnv = process.env): CjkFont | null {
  const configured = env.FISCUS_PDF_FONT;
  if (configured) {
    const [path, family] = configured.split('#') as [string, string | undefined];
    return existsSync(path) ? { path, ...(family ? { family } : {}) } : null;
  }
  const candidates: CjkFont[] = [
    { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
    { path: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', family: 'NotoSerifCJKsc-Regular' },
    { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', family: 'WenQuanYiMicroHei' },
  ];
  return candidates.find((c) => existsSync(c.path)) ?? null;
}

const titles: Record<string, string> = {
  '5201': '财政直接支付凭证',
  '8202': '财政授权支付凭证',
  '5207': '实拨拨款凭证',
};

const text = (h: VoucherFields, k: string) => {
  const v = h[k];
  return v === undefined ? '' : typeof v === 'bigint' ? formatYuanGrouped(v) : v;
};
const both = (h: VoucherFields, code: string, name: string) =>
  [text(h, code), text(h, name)].filter(Boolean).join(' ');

/** The printed form of a voucher (one page): its fields, the amount in figures and in capitals. */
export interface VoucherPrint {
  title: string;
  rows: [string, string][];
  amountFen: bigint;
  capital: string;
  signatures: string[];
}

/** What goes on the page, from the stored envelope (pure, so the layout's content is testable). */
export function voucherPrint(envelopeXml: string): VoucherPrint {
  const decoded = decodeEnvelope(new TextEncoder().encode(envelopeXml));
  if (!decoded.ok || !decoded.value[0])
    throw new FiscusError('VALIDATION_FAILED', {
      detail: '凭证报文无法解析 the stored voucher does not decode',
    });
  const { header: h, signatures } = decoded.value[0].voucher;
  const amount = h.PayAmt;
  if (typeof amount !== 'bigint') throw new FiscusError('VALIDATION_FAILED', { detail: 'PayAmt missing' });
  const vt = text(h, 'VtCode');
  return {
    title: titles[vt] ?? `支付凭证 ${vt}`,
    rows: [
      ['凭证号', text(h, 'VoucherNo')],
      ['凭证日期', text(h, 'VouDate')],
      ['区划 / 年度', `${text(h, 'AdmDivCode')} / ${text(h, 'StYear')}`],
      ['预算单位', both(h, 'AgencyCode', 'AgencyName')],
      ['资金性质', both(h, 'FundTypeCode', 'FundTypeName')],
      ['支出功能分类', both(h, 'ExpFuncCode', 'ExpFuncName')],
      ['经济分类', both(h, 'ExpEcoCode', 'ExpEcoName')],
      ['指标文号', both(h, 'FileNoCode', 'FileNoName')],
      ['收款人', text(h, 'PayeeAcctName')],
      ['收款账号', text(h, 'PayeeAcctNo')],
      ['收款银行', [text(h, 'PayeeAcctBankName'), text(h, 'PayeeAcctBankNo')].filter(Boolean).join(' ')],
      ['付款人', text(h, 'PayAcctName')],
      ['付款账号', text(h, 'PayAcctNo')],
      ['付款银行', text(h, 'PayAcctBankName')],
      ['用途', both(h, 'PaySummaryCode', 'PaySummaryName')],
      ['结算方式', both(h, 'SetModeCode', 'SetModeName')],
    ],
    amountFen: amount,
    capital: toChineseCapital(amount),
    signatures: signatures.map(
      (s) =>
        `${s.position}：${s.keyId}${s.stamp ? `（${s.stamp.sealType} ${s.stamp.stampId}）` : ''} SM2 电子签章`,
    ),
  };
}

/** 支付凭证 PDF (A4 landscape half), with the amount in Chinese capitals (大写金额). */
export async function voucherPdf(envelopeXml: string, font: CjkFont | null = findCjkFont()): Promise<Buffer> {
  if (!font)
    throw new FiscusError('PDF_FONT_MISSING', {
      hint: 'apt-get install fonts-noto-cjk, or FISCUS_PDF_FONT=/path/font.ttf',
    });
  const p = voucherPrint(envelopeXml);
  const doc = new PDFDocument({ size: 'A4', layout: 'landscape', margin: 36, info: { Title: p.title } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  if (font.family) doc.registerFont('cjk', font.path, font.family);
  else doc.registerFont('cjk', font.path);
  doc.font('cjk');
  doc.fontSize(20).text(p.title, { align: 'center' });
  doc.moveDown(0.8);
  const left = 36;
  const labelW = 110;
  // Two columns of label + value fill the 770 pt between the margins of A4 landscape.
  const valueW = 265;
  let y = doc.y;
  doc.fontSize(10);
  p.rows.forEach(([label, value], i) => {
    const x = i % 2 === 0 ? left : left + labelW + valueW + 10;
    if (i % 2 === 0 && i > 0) y += 22;
    doc.rect(x, y, labelW, 22).stroke();
    doc.rect(x + labelW, y, valueW, 22).stroke();
    doc.text(label, x + 4, y + 6, { width: labelW - 8 });
    doc.text(value, x + labelW + 4, y + 6, { width: valueW - 8, height: 14, ellipsis: true });
  });
  y += 34;
  doc.fontSize(12);
  doc.rect(left, y, 2 * (labelW + valueW) + 10, 28).stroke();
  doc.text(`金额（小写）：¥${formatYuanGrouped(p.amountFen)}`, left + 6, y + 8);
  doc.text(`金额（大写）：${p.capital}`, left + labelW + valueW + 16, y + 8);
  y += 44;
  doc.fontSize(9).text(`签章：${p.signatures.join('；') || '（未签章）'}`, left, y);
  doc.end();
  await done;
  return Buffer.concat(chunks);
}
