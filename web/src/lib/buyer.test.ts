import { readBuyer } from './buyer';

describe('the buyer of an invoice', () => {
  const expected = {
    name: 'Acme Trading GmbH',
    address: { lines: ['Friedrichstraße 123'], postal_code: '10117', city: 'Berlin', region: null, country: 'DE' },
    taxId: { kind: 'eu_vat', value: 'DE123456789' },
    emails: ['ap@acme.example'],
    language: 'de',
  };

  it('reads the customer’s JSON', () => {
    const customer = {
      display_name: 'Acme',
      legal_name: 'Acme Trading GmbH',
      emails: ['ap@acme.example'],
      address: { lines: ['Friedrichstraße 123'], postal_code: '10117', city: 'Berlin', region: null, country: 'DE' },
      tax_id: { kind: 'eu_vat', value: 'DE123456789' },
      language: 'de',
    };
    expect(readBuyer(customer, 'x', 'y')).toEqual(expected);
  });

  it('reads a snapshot of the customers table’s columns', () => {
    const row = {
      display_name: 'Acme',
      legal_name: 'Acme Trading GmbH',
      emails: ['ap@acme.example'],
      address_lines: ['Friedrichstraße 123'],
      postal_code: '10117',
      city: 'Berlin',
      region: null,
      country: 'DE',
      tax_id_kind: 'eu_vat',
      tax_id: 'DE123456789',
      language: 'de',
    };
    expect(readBuyer(row, 'x', 'y')).toEqual(expected);
  });

  it('falls back to the invoice’s own name and e-mail', () => {
    expect(readBuyer(null, 'Acme Ltd', 'ap@acme.example')).toEqual({ name: 'Acme Ltd', address: null, taxId: null, emails: ['ap@acme.example'], language: null });
  });
});
