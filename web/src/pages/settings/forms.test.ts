// The Settings forms' JSON and checks (tax rates, bank accounts, the seller profile).
import type { Seller } from '../../api/types';
import { accountFields, accountForm } from './BankAccounts';
import { checkNumberFormat } from '../../lib/numberFormat';
import { nextNumber, sellerFields, sellerForm, sellerPath } from './SellerDetails';
import { rateFields, type RateForm } from './TaxRates';

const rate = (overrides: Partial<RateForm>): RateForm => ({
  name: 'VAT 19 %',
  description: '',
  category: 'S',
  percent: '19',
  exemption_reason: '',
  exemption_code: '',
  ...overrides,
});

describe('the tax-rate form', () => {
  it('sends a standard rate exactly, and an exempt one with its reason and code', () => {
    expect(rateFields(rate({ percent: '8,875 %' })).fields).toEqual({
      name: 'VAT 19 %',
      description: null,
      percent: '8.875',
      category: 'S',
      exemption_reason: null,
      exemption_code: null,
    });
    expect(rateFields(rate({ name: 'Reverse charge', category: 'AE', percent: '', exemption_reason: 'Reverse charge', exemption_code: 'vatex-eu-ae' })).fields).toEqual({
      name: 'Reverse charge',
      description: null,
      percent: '0',
      category: 'AE',
      exemption_reason: 'Reverse charge',
      exemption_code: 'VATEX-EU-AE',
    });
  });

  it('refuses what the API refuses', () => {
    expect(rateFields(rate({ name: ' ', percent: '0' })).errors).toEqual({
      name: 'Name the rate, e.g. VAT 19 %',
      percent: 'A standard rate is above 0 %; use “Zero rated” for 0 %',
    });
    expect(rateFields(rate({ percent: '19.00001' })).errors).toEqual({ percent: 'At most 4 decimal places' });
    expect(rateFields(rate({ percent: '101' })).errors).toEqual({ percent: 'At most 100 %' });
    expect(rateFields(rate({ category: 'E', exemption_code: 'EU-132' })).errors).toEqual({
      exemption_reason: 'Say why the supply is not taxed',
      exemption_code: 'A VATEX code such as VATEX-EU-AE',
    });
  });
});

describe('the bank-account form', () => {
  it('sends an IBAN compact and upper case, a UK sort code without dashes', () => {
    const iban = { ...accountForm(), holder: 'Schmidt GmbH', iban: 'de89 3704 0044 0532 0130 00', bic: 'cobadeffxxx' };
    expect(accountFields(iban).fields).toEqual({
      holder: 'Schmidt GmbH',
      bank_name: null,
      currency: null,
      is_default: false,
      iban: 'DE89370400440532013000',
      bic: 'COBADEFFXXX',
      account_number: null,
      routing_number: null,
      sort_code: null,
    });
    const uk = { ...accountForm(), holder: 'Ltd', method: 'uk' as const, account_number: '31926819', sort_code: '60-16-13' };
    expect(accountFields(uk).fields).toMatchObject({ iban: null, account_number: '31926819', sort_code: '601613', routing_number: null });
  });

  it('finds a mistyped IBAN before the API does', () => {
    expect(accountFields({ ...accountForm(), holder: 'x', iban: 'DE89 3704 0044 0532 0130 01' }).errors).toEqual({ iban: 'Not a valid IBAN: check the digits' });
    expect(accountFields({ ...accountForm(), method: 'us', account_number: '1', routing_number: '12' }).errors).toEqual({
      holder: 'Enter the account holder’s name',
      routing_number: '9 digits',
    });
  });
});

describe('the seller form', () => {
  const seller: Seller = {
    display_name: 'Schmidt Consulting',
    legal_name: null,
    address: { lines: ['Friedrichstraße 123'], postal_code: '10117', city: 'Berlin', region: null, country: 'DE' },
    legacy_address: null,
    tax_ids: [{ kind: 'eu_vat', value: 'DE123456789' }],
    registration: 'HRB 12345',
    email: null,
    phone: null,
    website: null,
    payment_instructions: null,
    payment_terms_days: 14,
    number_format: { pattern: 'RE-{YYYY}-{SEQ:5}', reset: 'yearly' },
    credit_note_format: { pattern: 'GS-{YYYY}-{SEQ:5}', reset: 'yearly' },
    electronic_address: { scheme: '9930', id: 'DE123456789' },
    next_places: { as_of: '2026-12-07', invoices: { never: 1, yearly: 1 }, credit_notes: { never: 1, yearly: 1 } },
    logo: null,
  };

  it('reads and writes the profile the API serves', () => {
    expect(sellerFields(sellerForm(seller))).toEqual({
      display_name: 'Schmidt Consulting',
      legal_name: null,
      address: { lines: ['Friedrichstraße 123'], postal_code: '10117', city: 'Berlin', region: null, country: 'DE' },
      tax_ids: [{ kind: 'eu_vat', value: 'DE123456789' }],
      registration: 'HRB 12345',
      email: null,
      phone: null,
      website: null,
      payment_instructions: null,
      payment_terms_days: 14,
      number_format: { pattern: 'RE-{YYYY}-{SEQ:5}', reset: 'yearly' },
      credit_note_format: { pattern: 'GS-{YYYY}-{SEQ:5}', reset: 'yearly' },
      electronic_address: { scheme: '9930', id: 'DE123456789' },
    });
    expect(sellerFields(sellerForm({ ...seller, electronic_address: null })).electronic_address).toBeNull();
  });

  it('puts the API’s paths on its fields', () => {
    expect(sellerPath('address.lines[0]')).toBe('address_lines');
    expect(sellerPath('address.country')).toBe('country');
    expect(sellerPath('tax_ids[1].value')).toBe('tax_ids.1.value');
    expect(sellerPath('tax_ids[1]')).toBe('tax_ids.1.value');
    expect(sellerPath('number_format.pattern')).toBe('pattern');
    expect(sellerPath('credit_note_format.pattern')).toBe('credit_note_pattern');
    expect(sellerPath('credit_note_format.reset')).toBe('credit_note_pattern');
    expect(sellerPath('electronic_address.id')).toBe('endpoint_id');
    expect(sellerPath('electronic_address.scheme')).toBe('endpoint_scheme');
    expect(sellerPath('buyer_reference')).toBeNull();
    expect(sellerPath('logo')).toBeNull();
  });

  it('previews the next number from where the API says the series stand, by reset rule', () => {
    const places = { never: 412, yearly: 58 };
    expect(nextNumber(checkNumberFormat('RE-{YYYY}-{SEQ:5}', 'yearly'), 'yearly', places, '2026-12-07')).toBe('RE-2026-00058');
    expect(nextNumber(checkNumberFormat('INV-{SEQ:6}', 'never'), 'never', places, '2026-12-07')).toBe('INV-000412');
    expect(nextNumber(checkNumberFormat('GS-{YY}{MM}-{SEQ}', 'never'), 'never', { never: 1, yearly: 1 }, '2027-01-02')).toBe('GS-2701-1');
    expect(nextNumber(checkNumberFormat('INV-{SEQ', 'never'), 'never', places, '2026-12-07')).toBeNull();
  });
});
