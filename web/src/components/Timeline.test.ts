import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../api/types';
import { describe as describeEvent } from './Timeline';

const event = (type: TimelineEvent['type'], data: Record<string, unknown>): TimelineEvent => ({
  id: '1',
  type,
  occurred_at: '2026-11-24T10:00:00Z',
  data,
});

describe('timeline sentences', () => {
  it('reads the event data the worker and the store record', () => {
    expect(describeEvent(event('email_sent', { email: { kind: 'invoice_sent', document_version: 1 }, to: 'ap@acme.example' }), 'USD')).toMatchObject({
      title: 'Invoice e-mailed',
      detail: 'To ap@acme.example',
    });
    expect(describeEvent(event('email_sent', { email: { kind: 'payment_receipt', amount: 100000 } }), 'USD').title).toBe('Receipt for $1,000.00 e-mailed');
    expect(describeEvent(event('reminder_sent', { email: { kind: 'reminder', days_from_due_date: -3 } }), 'USD').title).toBe('Reminder sent 3 days before the due date');
    expect(describeEvent(event('payment_recorded', { amount: 1250, method: 'bank_transfer', reference: 'TX-1' }), 'EUR')).toMatchObject({
      title: 'Payment of €12.50 received',
      detail: 'Bank transfer · TX-1',
    });
    expect(describeEvent(event('due_date_changed', { from: '2026-12-01', to: '2026-12-15' }), 'USD').detail).toBe('Dec 1, 2026 → Dec 15, 2026');
    expect(describeEvent(event('voided', { reason: 'Duplicate' }), 'USD')).toMatchObject({ title: 'Voided', detail: 'Duplicate', tone: 'bad' });
  });

  it('tells what a credit note took back, and where its excess went', () => {
    expect(describeEvent(event('credit_note_issued', { number: 'CN-000003', reason: 'Returned', gross_total: 11900, excess: 0, excess_to: null }), 'EUR')).toMatchObject({
      title: 'Credit note CN-000003 issued for €119.00',
      detail: 'Returned',
    });
    expect(describeEvent(event('credit_note_issued', { number: 'CN-000004', reason: 'Cancelled', gross_total: 50000, excess: 20000, excess_to: 'refund' }), 'EUR').detail).toBe(
      'Cancelled · €200.00 refunded',
    );
  });
});
