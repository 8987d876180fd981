// The customer form (the Customers page and the editor's "New customer" dialog) and the API's
// customer JSON, both ways, with the checks the API makes (workflows/src/domain/customer.rs)
// that a person should see before sending.

import { LIMITS } from '../api/limits';
import type { Customer, CustomerFields, Language, TaxIdKind } from '../api/types';
import { addressFields, addressForm, checkEInvoicing, eInvoicingPath, type EInvoicingForm } from './eInvoicing';
import { isEmail } from './validation';

export interface CustomerForm extends EInvoicingForm {
  display_name: string;
  legal_name: string;
  /** Addresses separated by commas or new lines. */
  emails: string;
  cc_emails: string;
  /** Up to three lines. */
  address_lines: string;
  postal_code: string;
  city: string;
  region: string;
  /** `''`: no address. */
  country: string;
  /** `''`: no tax id. */
  tax_id_kind: TaxIdKind | '';
  tax_id_value: string;
  currency: string;
  language: Language;
  time_zone: string;
  /** `''`: the account's terms. */
  payment_terms_days: string;
  notes: string;
}

export const MAX_EMAILS = LIMITS.customerEmails;
export const MAX_CC_EMAILS = LIMITS.customerCcEmails;
/** Lines of a postal address (workflows/src/domain/party.rs; JSON Schema cannot say it). */
export const MAX_ADDRESS_LINES = 3;
export const MAX_TERMS_DAYS = LIMITS.paymentTerms;

export function emptyCustomer(): CustomerForm {
  return {
    display_name: '',
    legal_name: '',
    emails: '',
    cc_emails: '',
    address_lines: '',
    postal_code: '',
    city: '',
    region: '',
    country: '',
    tax_id_kind: '',
    tax_id_value: '',
    currency: '',
    language: 'en',
    time_zone: 'UTC',
    payment_terms_days: '',
    notes: '',
    e_invoice_format: '',
    buyer_reference: '',
    ...addressForm(null),
  };
}

export function customerForm(customer: Customer): CustomerForm {
  return {
    display_name: customer.display_name,
    legal_name: customer.legal_name ?? '',
    emails: customer.emails.join(', '),
    cc_emails: customer.cc_emails.join(', '),
    address_lines: customer.address?.lines?.join('\n') ?? '',
    postal_code: customer.address?.postal_code ?? '',
    city: customer.address?.city ?? '',
    region: customer.address?.region ?? '',
    country: customer.address?.country ?? '',
    tax_id_kind: customer.tax_id?.kind ?? '',
    tax_id_value: customer.tax_id?.value ?? '',
    currency: customer.currency ?? '',
    language: customer.language,
    time_zone: customer.time_zone,
    payment_terms_days: customer.payment_terms_days === null ? '' : String(customer.payment_terms_days),
    notes: customer.notes ?? '',
    e_invoice_format: customer.e_invoice_format ?? '',
    buyer_reference: customer.buyer_reference ?? '',
    ...addressForm(customer.electronic_address),
  };
}

/** A list of addresses as typed, split at commas, semicolons and new lines. */
export function splitEmails(text: string): string[] {
  return text
    .split(/[,;\n]+/)
    .map((part) => part.trim())
    .filter(Boolean);
}

const optional = (text: string): string | null => (text.trim() ? text.trim() : null);

/** The form as the API's JSON: an address only with a country, a tax id only with its kind. */
export function customerFields(form: CustomerForm): CustomerFields {
  const lines = form.address_lines.split('\n').map((line) => line.trim()).filter(Boolean);
  return {
    display_name: form.display_name.trim(),
    legal_name: optional(form.legal_name),
    emails: splitEmails(form.emails),
    cc_emails: splitEmails(form.cc_emails),
    address: form.country
      ? { lines, postal_code: optional(form.postal_code), city: optional(form.city), region: optional(form.region), country: form.country }
      : null,
    tax_id: form.tax_id_kind ? { kind: form.tax_id_kind, value: form.tax_id_value.trim() } : null,
    currency: optional(form.currency),
    language: form.language,
    time_zone: form.time_zone || 'UTC',
    payment_terms_days: form.payment_terms_days.trim() === '' ? null : Number(form.payment_terms_days),
    notes: optional(form.notes),
    e_invoice_format: form.e_invoice_format || null,
    buyer_reference: optional(form.buyer_reference),
    electronic_address: addressFields(form),
  };
}

/** What the API would refuse, by the form's field. */
export function checkCustomer(form: CustomerForm): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!form.display_name.trim()) errors.display_name = 'Enter the name you know the customer by';
  else if (form.display_name.trim().length > LIMITS.customerName) errors.display_name = `At most ${LIMITS.customerName} characters`;
  if (form.legal_name.trim().length > LIMITS.customerName) errors.legal_name = `At most ${LIMITS.customerName} characters`;
  if (form.notes.trim().length > LIMITS.customerNotes) errors.notes = `At most ${LIMITS.customerNotes} characters`;
  const emails = splitEmails(form.emails);
  const cc = splitEmails(form.cc_emails);
  if (emails.length === 0) errors.emails = 'Enter the address invoices go to';
  else if (emails.length > MAX_EMAILS) errors.emails = `At most ${MAX_EMAILS} addresses`;
  else if (emails.some((email) => !isEmail(email))) errors.emails = `Not an e-mail address: ${emails.find((email) => !isEmail(email))}`;
  if (cc.length > MAX_CC_EMAILS) errors.cc_emails = `At most ${MAX_CC_EMAILS} addresses`;
  else if (cc.some((email) => !isEmail(email))) errors.cc_emails = `Not an e-mail address: ${cc.find((email) => !isEmail(email))}`;
  const all = [...emails, ...cc].map((email) => email.toLowerCase());
  if (!errors.emails && !errors.cc_emails && new Set(all).size !== all.length) errors.cc_emails = 'An address is listed twice';
  const lines = form.address_lines.split('\n').map((line) => line.trim()).filter(Boolean);
  const anyAddress = lines.length > 0 || [form.postal_code, form.city, form.region].some((part) => part.trim());
  if (anyAddress && !form.country) errors.country = 'Choose the country';
  if (form.country && lines.length === 0) errors.address_lines = 'Enter the street and number';
  if (lines.length > MAX_ADDRESS_LINES) errors.address_lines = `At most ${MAX_ADDRESS_LINES} lines`;
  if (form.tax_id_kind && !form.tax_id_value.trim()) errors.tax_id_value = 'Enter the number';
  if (form.currency && !/^[A-Z]{3}$/.test(form.currency)) errors.currency = 'Choose a currency';
  const terms = form.payment_terms_days.trim();
  if (terms && (!/^\d+$/.test(terms) || Number(terms) > MAX_TERMS_DAYS)) errors.payment_terms_days = `From 0 to ${MAX_TERMS_DAYS} days`;
  return { ...errors, ...checkEInvoicing(form) };
}

/** The API's field path (`address.lines[0]`, `emails[1]`) as the form's field. */
export function customerPath(apiPath: string): string | null {
  const path = apiPath.replace(/\[\d+\]/g, '');
  if (path.startsWith('address.lines')) return 'address_lines';
  if (path === 'address') return 'country';
  if (path.startsWith('address.')) return path.slice('address.'.length);
  if (path.startsWith('tax_id')) return 'tax_id_value';
  const eInvoicing = eInvoicingPath(path);
  if (eInvoicing) return eInvoicing;
  const known = ['display_name', 'legal_name', 'emails', 'cc_emails', 'currency', 'language', 'time_zone', 'payment_terms_days', 'notes'];
  return known.includes(path) ? path : null;
}
