// EN 16931 VAT categories as the tax-rate form offers them, and the VATEX codes (the CEF code
// list of exemption reasons) most often used with each, with their standard sentence. The API
// checks the rules again (workflows/src/domain/tax.rs): a standard rate above 0 %, every other
// category at 0 %, an exemption reason for every category but S and Z.

import type { VatCategory } from '../api/types';

export const CATEGORIES: readonly { code: VatCategory; label: string; hint: string }[] = [
  { code: 'S', label: 'Standard rate', hint: 'Taxed at a rate above 0 % (standard or reduced).' },
  { code: 'Z', label: 'Zero rated', hint: 'Taxable, at 0 % (zero-rated goods).' },
  { code: 'E', label: 'Exempt', hint: 'Exempt from VAT; the invoice says why.' },
  { code: 'AE', label: 'Reverse charge', hint: 'The buyer accounts for the VAT; needs the buyer’s VAT id.' },
  { code: 'K', label: 'Intra-EU supply', hint: 'Goods or services to a VAT-registered business in another EU state.' },
  { code: 'G', label: 'Export outside the EU', hint: 'Free export: VAT not charged.' },
  { code: 'O', label: 'Outside the scope of VAT', hint: 'Not subject to VAT at all.' },
];

/** Whether invoices must say why a supply of `category` is not taxed (all but S and Z). */
export function needsExemption(category: VatCategory): boolean {
  return category !== 'S' && category !== 'Z';
}

export function categoryLabel(category: string): string {
  return CATEGORIES.find((entry) => entry.code === category)?.label ?? category;
}

export interface Vatex {
  code: string;
  reason: string;
}

/** Common VATEX codes per category, with the sentence an invoice prints for each. */
export const VATEX: Partial<Record<VatCategory, readonly Vatex[]>> = {
  AE: [{ code: 'VATEX-EU-AE', reason: 'Reverse charge' }],
  K: [{ code: 'VATEX-EU-IC', reason: 'Intra-Community supply' }],
  G: [{ code: 'VATEX-EU-G', reason: 'Export outside the EU' }],
  O: [{ code: 'VATEX-EU-O', reason: 'Not subject to VAT' }],
  E: [
    { code: 'VATEX-EU-132', reason: 'Exempt based on article 132 of Council Directive 2006/112/EC' },
    { code: 'VATEX-EU-132-1I', reason: 'Exempt based on article 132, section 1 (i) of Council Directive 2006/112/EC' },
    { code: 'VATEX-EU-135', reason: 'Exempt based on article 135 of Council Directive 2006/112/EC' },
    { code: 'VATEX-EU-143', reason: 'Exempt based on article 143 of Council Directive 2006/112/EC' },
    { code: 'VATEX-EU-309', reason: 'Exempt based on article 309 of Council Directive 2006/112/EC' },
    { code: 'VATEX-EU-79-C', reason: 'Exempt based on article 79, point c of Council Directive 2006/112/EC' },
    { code: 'VATEX-EU-D', reason: 'Intra-Community acquisition from second hand means of transport' },
    { code: 'VATEX-EU-F', reason: 'Intra-Community acquisition of second hand goods' },
    { code: 'VATEX-EU-I', reason: 'Intra-Community acquisition of works of art' },
    { code: 'VATEX-EU-J', reason: 'Intra-Community acquisition of collectors items and antiques' },
    { code: 'VATEX-FR-FRANCHISE', reason: 'France domestic VAT franchise in base' },
  ],
};

/** The VATEX code's standard sentence, if it is one of `VATEX`. */
export function vatexReason(code: string): string | undefined {
  return Object.values(VATEX)
    .flat()
    .find((entry) => entry?.code === code)?.reason;
}

/** A rate as a person reads it: `"19 %"`, `"Reverse charge (0 %)"`. */
export function describeRate(rate: { category: string; percent: string }): string {
  return rate.category === 'S' ? `${rate.percent} %` : `${categoryLabel(rate.category)} (${rate.percent} %)`;
}
