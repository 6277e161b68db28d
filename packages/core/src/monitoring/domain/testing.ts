import type { MonitorAggregates } from './functions';
import type { PaymentSubject } from './subject';

/** Test helpers: an unremarkable payment and quiet history that fire no built-in rule. */
export function aPayment(over: Partial<PaymentSubject> = {}): PaymentSubject {
  return {
    region: '610102000',
    year: 2026,
    on: '2026-05-12',
    time: '10:30',
    applicationId: 'PA-0001',
    agencyCode: '101001',
    payType: 'authorized',
    amountFen: 1_200_00n,
    purpose: '购买办公用品',
    settlementMode: 'transfer',
    contractNo: null,
    procurement: false,
    viaPayroll: false,
    payee: {
      name: '西安文具有限公司',
      accountNo: '6100001',
      accountKind: 'corporate',
      bankCode: '102',
      isFirstTime: false,
    },
    payer: { accountKind: 'zeroBalance' },
    indicator: {
      id: 'IND-1',
      fundTypeCode: '1',
      expFuncCode: '2010101',
      depEcoCode: '30299',
      govEcoCode: '50201',
      isDirectReach: false,
      sanGong: '',
      officialCardMandatory: false,
      amountFen: 1_000_000_00n,
      usedFen: 500_000_00n,
    },
    details: [{ depEcoCode: '30299', amountFen: 1_200_00n }],
    beneficiaries: [],
    ...over,
  };
}

export function quietHistory(over: Partial<MonitorAggregates> = {}): MonitorAggregates {
  return {
    countSamePayee: () => 0,
    sumSamePayee: () => 0n,
    countSamePayeeAmount: () => 0,
    unitMonthTotal: () => 10_000_00n,
    unitYearTotal: () => 500_000_00n,
    cashTotal: () => 0n,
    ecoYearTotal: () => 0n,
    unitPayrollTotal: () => 2_000_000_00n,
    unitEcoHistoryStats: () => ({ mean: 100_000, stddev: 10_000, count: 50 }),
    payeeFirstSeen: () => '2024-03-01',
    isWorkingDay: () => true,
    ...over,
  };
}
