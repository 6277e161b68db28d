import { describe, expect, it } from 'vitest';
import { decodeEnvelope, encodeEnvelope } from '../../exchange/voucher/envelope';
import { elements } from '../../ledger/domain/elements';
import { buildPaymentVoucher, type PayType, type VoucherInput, voucherNumber } from './build';

const input = (payType: PayType): VoucherInput => ({
  payType,
  admDivCode: '530700',
  year: 2026,
  on: '2026-03-15',
  serial: 42n,
  applicationId: 'ZF202600000001',
  agencyCode: '205002',
  amountFen: 123_450n,
  purpose: '办公用品 & 耗材 <一批>',
  contractNo: 'HT-1',
  settlementMode: '001001',
  elements: elements({
    fundTypeCode: '111',
    agencyCode: '205002',
    deptCode: '205',
    expFuncCode: '2050203',
    depEcoCode: '30201',
  }),
  names: {
    fundType: '一般公共预算资金',
    indicatorType: '',
    payType: '财政直接支付',
    expFunc: '高中教育',
    depEco: '办公费',
    dept: '丽江市教育局',
    agency: '丽江市第一中学',
    settlementMode: '正常支付',
  },
  payee: {
    name: '丽江雪山文具',
    accountNo: '2510800109200066001',
    accountName: '丽江雪山文具',
    bankName: '中国工商银行丽江分行',
    bankNo: '102751000015',
  },
  payer: {
    accountNo: '2510800109200010001',
    accountName: '丽江市财政局零余额账户',
    bankCode: 'ICBC',
    bankName: '中国工商银行丽江分行',
  },
  clearBank: { code: 'PBOC', name: '中国人民银行丽江市分行' },
});

describe('payment voucher of an application', () => {
  it.each([
    ['direct', '5201'],
    ['authorized', '8202'],
    ['allocation', '5207'],
  ] as const)('builds a %s payment as a valid %s that survives the envelope', (payType, vtCode) => {
    const v = buildPaymentVoucher(input(payType));
    expect(v.header).toMatchObject({
      VtCode: vtCode,
      VoucherNo: `2026${vtCode}0000000042`,
      VouDate: '20260315',
      PayAmt: 123_450n,
    });
    // Empty elements are left out, never written as ''.
    expect(Object.values(v.header)).not.toContain('');
    const bytes = encodeEnvelope([{ flag: 'send', returnReason: '', attach: '', voucher: v }]);
    const back = decodeEnvelope(bytes);
    expect(back.ok && back.value[0]!.voucher.header).toEqual(v.header);
  });

  it('numbers vouchers by year, VtCode and serial', () => {
    expect(voucherNumber(2026, '5201', 7)).toBe('20265201' + '0000000007');
  });
});
