import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { isFiscusError } from '../../kernel/errors';
import { errorCodeOf as code } from '../../kernel/errors-testing';
import { type PaymentAction, type PaymentSnapshot, paymentTransition } from './application';

const app = (over: Partial<PaymentSnapshot> = {}): PaymentSnapshot => ({
  applicationId: 'ZF1',
  state: 'draft',
  preparedBy: 'clerk',
  submittedBy: null,
  cosignedBy: null,
  unitApprovedBy: null,
  reviewedBy: null,
  ...over,
});

describe('payment application workflow', () => {
  it('reserves at submission and releases on withdraw, return and refusal only', () => {
    expect(paymentTransition(app(), 'submit', 'clerk')).toEqual({ state: 'submitted', ledger: 'reserve' });
    const submitted = app({ state: 'submitted', submittedBy: 'clerk' });
    expect(paymentTransition(submitted, 'withdraw', 'clerk')).toEqual({ state: 'draft', ledger: 'release' });
    expect(paymentTransition(submitted, 'unitApprove', 'head')).toEqual({
      state: 'unitApproved',
      ledger: null,
    });
    const unit = app({ state: 'unitApproved', submittedBy: 'clerk', unitApprovedBy: 'head' });
    expect(paymentTransition(unit, 'approve', 'center')).toEqual({ state: 'approved', ledger: null });
    expect(paymentTransition(unit, 'return', 'center', '缺附件')).toEqual({
      state: 'returned',
      ledger: 'release',
    });
    expect(paymentTransition(unit, 'refuse', 'center', '不合规')).toEqual({
      state: 'refused',
      ledger: 'release',
    });
  });

  it('is paid or returned by the bank only once its voucher is signed', () => {
    const signed = app({
      state: 'voucherSigned',
      submittedBy: 'clerk',
      unitApprovedBy: 'head',
      reviewedBy: 'center',
    });
    expect(paymentTransition(signed, 'bankPaid', 'exchange')).toEqual({ state: 'paid', ledger: 'pay' });
    expect(paymentTransition(signed, 'bankReturn', 'exchange')).toEqual({
      state: 'bankReturned',
      ledger: 'release',
    });
    expect(code(() => paymentTransition(app({ state: 'approved' }), 'bankPaid', 'exchange'))).toBe(
      'STATE_INVALID',
    );
    expect(code(() => paymentTransition(app({ state: 'paid' }), 'bankPaid', 'exchange'))).toBe(
      'STATE_INVALID',
    );
  });

  it('bounces (退票) only a paid application, and only once', () => {
    expect(paymentTransition(app({ state: 'paid' }), 'bankRefund', 'exchange')).toEqual({
      state: 'refunded',
      ledger: 'refund',
    });
    for (const state of ['voucherSigned', 'bankReturned', 'refunded', 'approved'] as const)
      expect(code(() => paymentTransition(app({ state }), 'bankRefund', 'exchange'))).toBe('STATE_INVALID');
  });

  it('keeps every role with a different person', () => {
    const unit = app({ state: 'unitApproved', submittedBy: 'clerk', unitApprovedBy: 'head' });
    expect(code(() => paymentTransition(unit, 'approve', 'head'))).toBe('SOD_SAME_PERSON');
    expect(code(() => paymentTransition(unit, 'approve', 'clerk'))).toBe('SOD_SAME_PERSON');
    const cosigned = app({ state: 'submitted', submittedBy: 'clerk', cosignedBy: 'head' });
    expect(code(() => paymentTransition(cosigned, 'unitApprove', 'head'))).toBe('SOD_SAME_PERSON');
    expect(code(() => paymentTransition(app(), 'cosign', 'clerk'))).toBe('SOD_SAME_PERSON');
    expect(code(() => paymentTransition(app(), 'submit', 'other'))).toBe('DOC_NOT_PREPARER');
  });

  it('signs the voucher of an approved application only, by someone who has not acted on it', () => {
    const approved = app({
      state: 'approved',
      submittedBy: 'clerk',
      cosignedBy: 'cfo',
      unitApprovedBy: 'head',
      reviewedBy: 'center',
    });
    // The reservation stays until the bank pays or returns the voucher.
    expect(paymentTransition(approved, 'sign', 'signer')).toEqual({ state: 'voucherSigned', ledger: null });
    for (const who of ['clerk', 'cfo', 'head', 'center'])
      expect(code(() => paymentTransition(approved, 'sign', who))).toBe('SOD_SAME_PERSON');
    for (const state of ['draft', 'submitted', 'unitApproved', 'voucherSigned', 'returned'] as const)
      expect(code(() => paymentTransition({ ...approved, state }, 'sign', 'signer'))).toBe('STATE_INVALID');
    // Nothing else moves a signed application in this part of the chain.
    const signed = { ...approved, state: 'voucherSigned' as const };
    for (const action of ['update', 'submit', 'withdraw', 'approve', 'return', 'refuse', 'void'] as const)
      expect(code(() => paymentTransition(signed, action, 'clerk', '意见'))).toBe('STATE_INVALID');
  });

  it('lets the reviewer who returned an application review its next round', () => {
    const again = app({
      state: 'unitApproved',
      submittedBy: 'clerk',
      unitApprovedBy: 'head',
      reviewedBy: 'center',
    });
    expect(paymentTransition(again, 'approve', 'center')).toEqual({ state: 'approved', ledger: null });
  });

  const actions: PaymentAction[] = [
    'update',
    'cosign',
    'submit',
    'withdraw',
    'unitApprove',
    'approve',
    'return',
    'refuse',
    'void',
    'sign',
    'bankPaid',
    'bankReturn',
    'bankRefund',
  ];
  // Any sequence by anyone: reservations and releases alternate, starting with a reservation, so
  // an application never holds two reservations nor releases one it does not hold.
  test.prop([
    fc.array(
      fc.record({
        action: fc.constantFrom(...actions),
        actor: fc.constantFrom('clerk', 'head', 'center', 'signer', 'x'),
      }),
      { maxLength: 50 },
    ),
  ])('reserves, then releases or pays, in turn', (steps) => {
    let a = app();
    let held = false;
    let spent = false;
    for (const s of steps) {
      let t: ReturnType<typeof paymentTransition>;
      try {
        t = paymentTransition(a, s.action, s.actor, '意见');
      } catch (e) {
        if (!isFiscusError(e)) throw e;
        continue;
      }
      if (t.ledger === 'reserve') {
        expect(held).toBe(false);
        held = true;
      }
      if (t.ledger === 'release' || t.ledger === 'pay') {
        expect(held).toBe(true);
        held = false;
        spent = t.ledger === 'pay';
      }
      // A refund gives back only what was paid, once.
      if (t.ledger === 'refund') {
        expect(spent).toBe(true);
        spent = false;
      }
      // Holding a reservation exactly while in review, approved or with a signed voucher (a paid
      // application's amount is spent, not reserved).
      expect(held).toBe(['submitted', 'unitApproved', 'approved', 'voucherSigned'].includes(t.state));
      // Whoever signs the voucher acted on the application in no other role.
      if (s.action === 'sign')
        expect([a.preparedBy, a.submittedBy, a.cosignedBy, a.unitApprovedBy, a.reviewedBy]).not.toContain(
          s.actor,
        );
      const back = s.action === 'withdraw' || s.action === 'return';
      a = {
        ...a,
        state: t.state,
        submittedBy: s.action === 'submit' ? s.actor : a.submittedBy,
        cosignedBy: s.action === 'cosign' ? s.actor : s.action === 'update' || back ? null : a.cosignedBy,
        unitApprovedBy: s.action === 'unitApprove' ? s.actor : back ? null : a.unitApprovedBy,
        reviewedBy: ['approve', 'return', 'refuse'].includes(s.action) ? s.actor : a.reviewedBy,
      };
    }
  });
});
