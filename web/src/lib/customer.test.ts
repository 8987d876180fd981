import type { Customer } from '../api/types';
import { checkCustomer, customerFields, customerForm, customerPath, emptyCustomer } from './customer';

describe('the customer form', () => {
  it('becomes the API’s JSON', () => {
    const form = {
      ...emptyCustomer(),
      display_name: ' Acme ',
      emails: 'ap@acme.example, boss@acme.example',
      address_lines: 'Friedrichstraße 123\n\n3. OG',
      postal_code: '10117',
      city: 'Berlin',
      country: 'DE',
      tax_id_kind: 'eu_vat' as const,
      tax_id_value: 'DE123456789',
      currency: 'EUR',
      language: 'de' as const,
      time_zone: 'Europe/Berlin',
      payment_terms_days: '14',
    };
    expect(checkCustomer(form)).toEqual({});
    expect(customerFields(form)).toEqual({
      display_name: 'Acme',
      legal_name: null,
      emails: ['ap@acme.example', 'boss@acme.example'],
      cc_emails: [],
      address: { lines: ['Friedrichstraße 123', '3. OG'], postal_code: '10117', city: 'Berlin', region: null, country: 'DE' },
      tax_id: { kind: 'eu_vat', value: 'DE123456789' },
      currency: 'EUR',
      language: 'de',
      time_zone: 'Europe/Berlin',
      payment_terms_days: 14,
      notes: null,
      e_invoice_format: null,
      buyer_reference: null,
      electronic_address: null,
    });
    const stored = { ...customerFields(form), id: 'c', archived_at: null, created_at: '', updated_at: '' } as Customer;
    expect(customerForm(stored)).toEqual({ ...form, display_name: 'Acme', emails: 'ap@acme.example, boss@acme.example', address_lines: 'Friedrichstraße 123\n3. OG' });
  });

  it('finds what the API would refuse', () => {
    expect(checkCustomer({ ...emptyCustomer(), emails: 'x', cc_emails: 'a@b.example', city: 'Berlin', payment_terms_days: '400' })).toEqual({
      display_name: 'Enter the name you know the customer by',
      emails: 'Not an e-mail address: x',
      country: 'Choose the country',
      payment_terms_days: 'From 0 to 365 days',
    });
    expect(checkCustomer({ ...emptyCustomer(), display_name: 'A', emails: 'a@b.example', cc_emails: 'A@b.example' }).cc_emails).toBe('An address is listed twice');
  });

  it('maps the API’s field paths onto the form', () => {
    expect(customerPath('emails[1]')).toBe('emails');
    expect(customerPath('address.lines[0]')).toBe('address_lines');
    expect(customerPath('address.country')).toBe('country');
    expect(customerPath('tax_id.value')).toBe('tax_id_value');
    expect(customerPath('time_zone')).toBe('time_zone');
    expect(customerPath('electronic_address.id')).toBe('endpoint_id');
    expect(customerPath('electronic_address')).toBe('endpoint_scheme');
    expect(customerPath('buyer_reference')).toBe('buyer_reference');
    expect(customerPath('id')).toBeNull();
  });
});
