import type { Customer } from '../api/types';
import { checkCustomer, customerFields, customerForm, emptyCustomer } from './customer';
import { addressFields, addressForm, attachmentName, checkAddress, eInvoiceDownloads, FORMAT_OPTIONS, OTHER_SCHEME, schemeName, sentFormat } from './eInvoicing';

const customer = (overrides: Partial<ReturnType<typeof emptyCustomer>>) => ({
  ...emptyCustomer(),
  display_name: 'Bezirksamt Mitte',
  emails: 'rechnungen@ba-mitte.example',
  ...overrides,
});

describe('the e-invoicing settings', () => {
  it('offer the PDF alone first, then every format', () => {
    expect(FORMAT_OPTIONS.map((option) => option.value)).toEqual(['', 'factur_x', 'xrechnung_cii', 'xrechnung_ubl', 'peppol_ubl']);
    expect(FORMAT_OPTIONS[0]?.label).toBe('None — PDF only');
  });

  it('send a German public buyer’s format, Leitweg-ID and address, and read them back', () => {
    const form = customer({ e_invoice_format: 'xrechnung_ubl', buyer_reference: ' 04011000-12345-03 ', endpoint_scheme: '9930', endpoint_id: ' DE123456789 ' });
    expect(checkCustomer(form)).toEqual({});
    const fields = customerFields(form);
    expect(fields).toMatchObject({
      e_invoice_format: 'xrechnung_ubl',
      buyer_reference: '04011000-12345-03',
      electronic_address: { scheme: '9930', id: 'DE123456789' },
    });
    const stored = { ...fields, id: 'c', archived_at: null, created_at: '', updated_at: '' } as Customer;
    expect(customerForm(stored)).toMatchObject({ e_invoice_format: 'xrechnung_ubl', buyer_reference: '04011000-12345-03', endpoint_scheme: '9930', endpoint_other: '', endpoint_id: 'DE123456789' });
  });

  it('send none of them as null: the PDF only', () => {
    expect(customerFields(customer({}))).toMatchObject({ e_invoice_format: null, buyer_reference: null, electronic_address: null });
  });

  it('keep a scheme the list does not name as “Other” with its code', () => {
    expect(addressForm({ scheme: '0151', id: '51824753556' })).toEqual({ endpoint_scheme: OTHER_SCHEME, endpoint_other: '0151', endpoint_id: '51824753556' });
    expect(addressFields({ endpoint_scheme: OTHER_SCHEME, endpoint_other: ' em ', endpoint_id: 'a@b.example' })).toEqual({ scheme: 'EM', id: 'a@b.example' });
    expect(schemeName('0208')).toBe('Belgian enterprise number');
    expect(schemeName('0151')).toBe('EAS 0151');
  });

  it('find what the API would refuse', () => {
    expect(checkAddress({ endpoint_scheme: '', endpoint_other: '', endpoint_id: '0123456749' })).toEqual({ endpoint_scheme: 'Choose the scheme of this identifier' });
    expect(checkAddress({ endpoint_scheme: '0208', endpoint_other: '', endpoint_id: ' ' })).toEqual({ endpoint_id: 'Enter the identifier' });
    expect(checkAddress({ endpoint_scheme: '0208', endpoint_other: '', endpoint_id: '0123 456 749' })).toEqual({ endpoint_id: 'Without spaces' });
    expect(checkAddress({ endpoint_scheme: OTHER_SCHEME, endpoint_other: '151', endpoint_id: '1' })).toEqual({ endpoint_other: 'An EAS code: 4 digits or 2 letters' });
    // Peppol cannot deliver without the customer's address; XRechnung without a Leitweg-ID is saved.
    expect(checkCustomer(customer({ e_invoice_format: 'peppol_ubl' }))).toHaveProperty('endpoint_scheme');
    expect(checkCustomer(customer({ e_invoice_format: 'xrechnung_cii' }))).toEqual({});
    expect(checkCustomer(customer({ buyer_reference: 'r'.repeat(201) }))).toHaveProperty('buyer_reference');
  });
});

describe('a sent invoice’s e-invoice', () => {
  it('is the format in the invoice’s snapshot of its customer, if it is one', () => {
    expect(sentFormat({ display_name: 'Bezirksamt', e_invoice_format: 'xrechnung_ubl' })).toBe('xrechnung_ubl');
    expect(sentFormat({ display_name: 'Acme', e_invoice_format: null })).toBeNull();
    // A snapshot from before e-invoicing has no such field.
    expect(sentFormat({ display_name: 'Acme' })).toBeNull();
    expect(sentFormat({ e_invoice_format: 'zugferd' })).toBeNull();
    expect(sentFormat(null)).toBeNull();
  });

  it('is offered in every format, Factur-X only to a Factur-X customer', () => {
    const xrechnung = eInvoiceDownloads('xrechnung_ubl');
    expect(xrechnung.map((item) => item.format)).toEqual(['factur_x', 'xrechnung_cii', 'xrechnung_ubl', 'peppol_ubl']);
    expect(xrechnung.filter((item) => item.received).map((item) => item.format)).toEqual(['xrechnung_ubl']);
    expect(xrechnung.filter((item) => item.unavailable).map((item) => item.format)).toEqual(['factur_x']);
    const facturX = eInvoiceDownloads('factur_x');
    expect(facturX.every((item) => item.unavailable === null)).toBe(true);
    expect(facturX.find((item) => item.received)?.label).toBe('Factur-X');
  });

  it('is saved under the file name the API gives it', () => {
    expect(attachmentName('attachment; filename="RE-00001-xrechnung-ubl.xml"', 'x')).toBe('RE-00001-xrechnung-ubl.xml');
    expect(attachmentName(null, 'e-invoice')).toBe('e-invoice');
    expect(attachmentName('attachment', 'e-invoice')).toBe('e-invoice');
  });
});
