// The buyer an invoice names, read from what the API gives: on a sent invoice its `buyer`
// snapshot (the customer as it was when sent), on a draft the customer as it is now. The
// snapshot is read in the customer's JSON shape (`address`, `tax_id: {kind, value}`) and, as
// well, in the customers table's columns (`address_lines`, `tax_id_kind` and `tax_id`), so that
// the page shows it whichever the API serves.

import type { Address, Language, TaxId, TaxIdKind } from '../api/types';

export interface Buyer {
  name: string;
  address: Address | null;
  taxId: TaxId | null;
  emails: string[];
  language: Language | null;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() ? value : null);
const texts = (value: unknown): string[] => (Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : []);

export function readBuyer(json: Record<string, unknown> | null | undefined, fallbackName: string, fallbackEmail: string): Buyer {
  const source = json ?? {};
  const address = source.address as Partial<Address> | null | undefined;
  const country = text(address?.country) ?? text(source.country);
  const lines = address ? texts(address.lines) : texts(source.address_lines);
  const taxId = source.tax_id;
  const kind = (typeof taxId === 'object' && taxId !== null ? (taxId as TaxId).kind : text(source.tax_id_kind)) as TaxIdKind | null;
  const value = typeof taxId === 'object' && taxId !== null ? (taxId as TaxId).value : text(taxId);
  const emails = texts(source.emails);
  return {
    name: text(source.legal_name) ?? text(source.display_name) ?? fallbackName,
    address: country
      ? {
          lines,
          postal_code: text(address?.postal_code) ?? text(source.postal_code),
          city: text(address?.city) ?? text(source.city),
          region: text(address?.region) ?? text(source.region),
          country: country.trim(),
        }
      : null,
    taxId: kind && value ? { kind, value } : null,
    emails: emails.length > 0 ? emails : [fallbackEmail],
    language: (text(source.language) as Language | null) ?? null,
  };
}
