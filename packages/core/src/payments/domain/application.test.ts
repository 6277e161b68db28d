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

  it('keeps every role with a different person', () => {
    const unit = app({ state: 'unitApproved', submittedBy: 'clerk', unitApprovedBy: 'head' });
    expect(code(() => paymentTransition(unit, 'approve', 'head'))).toBe('SOD_SAME_PERSON');
    expect(code(() => paymentTransition(unit, 'approve', 'clerk'))).toBe('SOD_SAME_PERSON');
    const cosigned = app({ state: 'submitted', submittedBy: 'clerk', cosignedBy: 'head' });
    expect(code(() => paymentTransition(cosigned, 'unitApprove', 'head'))).toBe('SOD_SAME_PERSON');
    expect(code(() => paymentTransition(app(), 'cosign', 'clerk'))).toBe('SOD_SAME_PERSON');
    expect(code(() => paymentTransition(app(), 'submit', 'other'))).toBe('DOC_NOT_PREPARER');
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
  ];
  // Any sequence by anyone: reservations and releases alternate, starting with a reservation, so
  // an application never holds two reservations nor releases one it does not hold.
  test.prop([
    fc.array(
      fc.record({
        action: fc.constantFrom(...actions),
        actor: fc.constantFrom('clerk', 'head', 'center', 'x'),
      }),
      { maxLength: 50 },
    ),
  ])('reserves and releases in turn', (steps) => {
    let a = app();
    let held = false;
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
      if (t.ledger === 'release') {
        expect(held).toBe(true);
        held = false;
      }
      // Holding a reservation exactly while in review or approved.
      expect(held).toBe(['submitted', 'unitApproved', 'approved'].includes(t.state));
      const back = s.action === 'withdraw' || s.action === 'return';
      a = {
        ...a,
        state: t.state,
        submittedBy: s.action === 'submit' ? s.actor : a.submittedBy,
        cosignedBy: s.action === 'cosign' ? s.actor : s.action === 'update' || back ? null : a.cosignedBy,
        unitApprovedBy: s.action === 'unitApprove' ? s.actor : back ? null : a.unitApprovedBy,
      };
    }
  });
});
