// The e-invoicing settings, as the customer form and Settings → Your business hold them and as
// the API's JSON carries them: the format a customer receives, its buyer reference (the
// Leitweg-ID of a German public buyer) and an electronic address (scheme and id). The checks
// a person should see before sending are here; the API checks each scheme's own form
// (workflows/src/domain/e_invoicing.rs) and its messages land on the same fields.

import { LIMITS } from '../api/limits';
import type { EInvoiceFormat, ElectronicAddress } from '../api/types';

/** What the format select shows, by the API's value; every format has its name. */
export const FORMAT_NAMES: Record<EInvoiceFormat, string> = {
  factur_x: 'Factur-X',
  xrechnung_cii: 'XRechnung (CII)',
  xrechnung_ubl: 'XRechnung (UBL)',
  peppol_ubl: 'Peppol BIS',
};

/** The select's options, "None — PDF only" first. */
export const FORMAT_OPTIONS: readonly { value: EInvoiceFormat | ''; label: string }[] = [
  { value: '', label: 'None — PDF only' },
  ...(Object.entries(FORMAT_NAMES) as [EInvoiceFormat, string][]).map(([value, label]) => ({ value, label })),
];

/**
 * The schemes of the EAS code list that customers and sellers commonly use, with what their
 * identifiers look like. Any other code of the list can be typed as "Other".
 */
export const SCHEMES: readonly { code: string; name: string; example: string }[] = [
  { code: '0088', name: 'GLN (Global Location Number)', example: '5790000435951' },
  { code: '0208', name: 'Belgian enterprise number', example: '0123456749' },
  { code: '9930', name: 'German VAT number', example: 'DE123456789' },
  { code: '0204', name: 'Leitweg-ID (German public sector)', example: '991-33333TEST-33' },
  { code: '0192', name: 'Norwegian organisation number', example: '987654325' },
  { code: '0007', name: 'Swedish organisation number', example: '5560360793' },
  { code: '0009', name: 'SIRET (France)', example: '73282932000074' },
  { code: '0002', name: 'SIRENE (France)', example: '732829320' },
  { code: '0106', name: 'Dutch KvK number', example: '12345678' },
  { code: '0190', name: 'Dutch OIN', example: '00000001234567890000' },
  { code: '9925', name: 'Belgian VAT number', example: 'BE0123456749' },
  { code: 'EM', name: 'E-mail address', example: 'invoices@example.com' },
];

/** The scheme select's value for a code typed by hand. */
export const OTHER_SCHEME = 'other';

/** An electronic address as a form holds it. */
export interface AddressForm {
  /** `''`: none; a code of {@link SCHEMES}; or {@link OTHER_SCHEME}. */
  endpoint_scheme: string;
  /** The code, when the scheme is "Other". */
  endpoint_other: string;
  endpoint_id: string;
}

/** The e-invoicing part of the customer form. */
export interface EInvoicingForm extends AddressForm {
  e_invoice_format: EInvoiceFormat | '';
  buyer_reference: string;
}

export function addressForm(address: ElectronicAddress | null | undefined): AddressForm {
  if (!address) return { endpoint_scheme: '', endpoint_other: '', endpoint_id: '' };
  const known = SCHEMES.some((scheme) => scheme.code === address.scheme);
  return {
    endpoint_scheme: known ? address.scheme : OTHER_SCHEME,
    endpoint_other: known ? '' : address.scheme,
    endpoint_id: address.id,
  };
}

/** The address as the API's JSON; `null` when no scheme is chosen. */
export function addressFields(form: AddressForm): ElectronicAddress | null {
  if (!form.endpoint_scheme) return null;
  const scheme = form.endpoint_scheme === OTHER_SCHEME ? (form.endpoint_other ?? '').trim().toUpperCase() : form.endpoint_scheme;
  return { scheme, id: (form.endpoint_id ?? '').trim() };
}

/** The name of a scheme's code (`0208` → "Belgian enterprise number"), or the code itself. */
export function schemeName(code: string): string {
  return SCHEMES.find((scheme) => scheme.code === code)?.name ?? `EAS ${code}`;
}

/** What the API would refuse of an address, by the form's field. */
export function checkAddress(form: AddressForm): Record<string, string> {
  const errors: Record<string, string> = {};
  // A disabled input (no scheme chosen) has no value.
  const id = (form.endpoint_id ?? '').trim();
  if (!form.endpoint_scheme) {
    if (id) errors.endpoint_scheme = 'Choose the scheme of this identifier';
    return errors;
  }
  if (form.endpoint_scheme === OTHER_SCHEME && !/^(\d{4}|[A-Za-z]{2})$/.test((form.endpoint_other ?? '').trim())) {
    errors.endpoint_other = 'An EAS code: 4 digits or 2 letters';
  }
  if (!id) errors.endpoint_id = 'Enter the identifier';
  else if (/\s/.test(id)) errors.endpoint_id = 'Without spaces';
  else if (id.length > LIMITS.electronicAddressId) errors.endpoint_id = `At most ${LIMITS.electronicAddressId} characters`;
  return errors;
}

/** What the API would refuse of a customer's settings, by the form's field. */
export function checkEInvoicing(form: EInvoicingForm): Record<string, string> {
  const errors = checkAddress(form);
  const reference = form.buyer_reference.trim();
  if (reference.length > LIMITS.buyerReference) errors.buyer_reference = `At most ${LIMITS.buyerReference} characters`;
  else if (/[\n\r\t]/.test(reference)) errors.buyer_reference = 'One line';
  if (form.e_invoice_format === 'peppol_ubl' && !form.endpoint_scheme && !errors.endpoint_scheme) {
    errors.endpoint_scheme = 'Peppol delivers to the customer’s electronic address: choose its scheme and enter it';
  }
  return errors;
}

/** The form's field for the API's path of an e-invoicing setting; `null` for any other. */
export function eInvoicingPath(apiPath: string): string | null {
  if (apiPath === 'electronic_address' || apiPath === 'electronic_address.scheme') return 'endpoint_scheme';
  if (apiPath === 'electronic_address.id') return 'endpoint_id';
  if (apiPath === 'e_invoice_format' || apiPath === 'buyer_reference') return apiPath;
  return null;
}

/**
 * The e-invoice format a sent invoice's customer received, from the invoice's `buyer` snapshot
 * (the customer as it was when sent); `null`: the PDF only, or a snapshot from before
 * e-invoicing.
 */
export function sentFormat(buyer: Record<string, unknown> | null | undefined): EInvoiceFormat | null {
  const format = buyer?.e_invoice_format;
  return typeof format === 'string' && format in FORMAT_NAMES ? (format as EInvoiceFormat) : null;
}

/** One download the invoice page offers, and why it cannot be had when it cannot. */
export interface EInvoiceDownload {
  format: EInvoiceFormat;
  label: string;
  /** The one the customer received. */
  received: boolean;
  /** Why the API would refuse it; `null` when it serves it (or checks it first). */
  unavailable: string | null;
}

/**
 * The downloads of a sent invoice whose customer received `received`: that one, and every
 * other XML format written from the same invoice (the API checks it against that format's
 * rules first). Factur-X is the sent PDF itself, so only a Factur-X customer's invoice has it.
 */
export function eInvoiceDownloads(received: EInvoiceFormat): EInvoiceDownload[] {
  return (Object.entries(FORMAT_NAMES) as [EInvoiceFormat, string][]).map(([format, label]) => ({
    format,
    label,
    received: format === received,
    unavailable: format === 'factur_x' && received !== 'factur_x' ? 'Only a Factur-X customer’s PDF is a Factur-X invoice' : null,
  }));
}

/** The file name of a `Content-Disposition: attachment; filename="…"` header, or `fallback`. */
export function attachmentName(disposition: string | null, fallback: string): string {
  const match = /filename="([^"]+)"/.exec(disposition ?? '');
  return match?.[1] ?? fallback;
}
