// What the invoice page shows after the API refused to send a draft because the customer's
// e-invoice breaks rules of its format (422 `/problems/e-invoice-rejected`, api/src/error.rs):
// each broken rule by its official id and text, and, where the API names the field the rule is
// about (activities/src/gate.rs), what to change in plain words with a link to the page where
// it is changed. The gate runs before the invoice gets its number, so nothing was sent and no
// number was used: the invoice is still a draft.

import { useEffect, useRef } from 'react';
import { Link } from 'react-router-dom';
import type { EInvoiceFinding, EInvoiceFormat, Invoice } from '../api/types';
import { FORMAT_NAMES } from '../lib/eInvoicing';
import { Button } from './ui';

/** What to change for a finding, and the page where it is changed. */
export interface Fix {
  what: string;
  /** The link's words: which page it opens. */
  place: string;
  to: string;
}

type Where = 'customer' | 'settings' | 'draft';

/** The fields the gate names (activities/src/gate.rs `field_of`), in a small business's words. */
const FIXES: Record<string, [Where, string]> = {
  'customer.buyer_reference': ['customer', 'Add the buyer reference (Leitweg-ID) the customer gave you, under E-invoicing.'],
  'customer.electronic_address': ['customer', 'Add the customer’s electronic address (scheme and identifier), under E-invoicing.'],
  'customer.display_name': ['customer', 'Check the customer’s name.'],
  'customer.tax_id': ['customer', 'Add the customer’s VAT ID (Tax ID).'],
  'customer.address': ['customer', 'Complete the customer’s billing address: street, postal code, city and country.'],
  'seller.legal_name': ['settings', 'Check your business’s legal name under Your business.'],
  'seller.display_name': ['settings', 'Check your business name under Your business.'],
  'seller.tax_ids': ['settings', 'Add your VAT ID or tax number under Your business → Tax IDs.'],
  'seller.electronic_address': ['settings', 'Add your electronic address under Your business → E-invoicing.'],
  'seller.address': ['settings', 'Complete your business address under Your business.'],
  'seller.phone': ['settings', 'Add a contact phone number under Your business.'],
  'seller.email': ['settings', 'Add a contact e-mail under Your business.'],
  bank_accounts: ['settings', 'Add the bank account your customers pay into, under Bank accounts.'],
  currency: ['draft', 'Check the invoice’s currency.'],
  due_date: ['draft', 'Check the due date.'],
  supply_date: ['draft', 'Add the date of supply or the service period.'],
  items: ['draft', 'Check the line items.'],
  adjustments: ['draft', 'Check the discounts and charges on the whole invoice.'],
};

/**
 * What to change for a finding's `field` and where, or `null` when the API names no field the
 * app knows (the rule's text is then all there is).
 */
export function fixFor(field: string | null | undefined, invoice: Pick<Invoice, 'id' | 'customer_id'>): Fix | null {
  const found = field ? whereAndWhat(field) : null;
  if (!found) return null;
  const [where, what] = found;
  if (where === 'customer') return { what, place: 'Edit the customer', to: `/customers/${invoice.customer_id}` };
  if (where === 'settings') return { what, place: 'Open Settings', to: '/settings' };
  return { what, place: 'Edit the draft', to: `/invoices/${invoice.id}/edit` };
}

function whereAndWhat(field: string): [Where, string] | null {
  const line = /^items\[(\d+)\]/.exec(field);
  if (line) return ['draft', `Check line ${Number(line[1]) + 1}.`];
  if (Object.hasOwn(FIXES, field)) return FIXES[field]!;
  if (field.startsWith('customer.')) return ['customer', 'Check the customer’s details.'];
  if (field.startsWith('seller.')) return ['settings', 'Check your business details under Your business.'];
  return null;
}

/** The rule's official text without the `[BR-DE-15]` it starts with (the row shows the id). */
function ruleText(finding: EInvoiceFinding): string {
  const prefix = `[${finding.rule}]`;
  return finding.message.startsWith(prefix) ? finding.message.slice(prefix.length).trim() : finding.message;
}

interface Props {
  findings: readonly EInvoiceFinding[];
  invoice: Pick<Invoice, 'id' | 'customer_id'>;
  /** The format the customer receives, when the page knows it. */
  format?: EInvoiceFormat | null;
  onDismiss?: () => void;
}

export function EInvoiceRejection({ findings, invoice, format, onDismiss }: Props) {
  const heading = useRef<HTMLHeadingElement>(null);
  // The send dialog has closed: keyboard and screen-reader users land here, not on the page's top.
  useEffect(() => heading.current?.focus(), []);
  const fatal = findings.filter((finding) => finding.fatal);
  const warnings = findings.filter((finding) => !finding.fatal);
  return (
    <section aria-labelledby="e-invoice-rejection" data-testid="e-invoice-rejection" className="mb-6 rounded-xl border border-red-200 bg-red-50 p-4 sm:p-5">
      <div className="flex items-start justify-between gap-3">
        <div>
          <h2 id="e-invoice-rejection" ref={heading} tabIndex={-1} className="text-base font-semibold text-red-900 focus:outline-none">
            This invoice can’t be sent as an e-invoice{format ? ` in ${FORMAT_NAMES[format]}` : ''}
          </h2>
          <p className="mt-1 text-sm text-red-900">
            Nothing was sent and no invoice number was used: the invoice is still a draft.{' '}
            {fatal.length === 1 ? 'Fix the point below' : `Fix the ${fatal.length} points below`}, then send it again.
          </p>
        </div>
        {onDismiss && (
          <Button size="sm" variant="ghost" onClick={onDismiss} className="shrink-0">
            Dismiss
          </Button>
        )}
      </div>
      {fatal.length > 0 && (
        <ul className="mt-4 space-y-3" aria-label="What stops the e-invoice">
          {fatal.map((finding, index) => (
            <Finding key={`${finding.rule}-${index}`} finding={finding} fix={fixFor(finding.field, invoice)} />
          ))}
        </ul>
      )}
      {warnings.length > 0 && (
        <div className="mt-4 border-t border-red-200 pt-3">
          <h3 className="text-xs font-medium uppercase tracking-wide text-slate-600">Warnings (they don’t stop sending)</h3>
          <ul className="mt-2 space-y-2" aria-label="Warnings">
            {warnings.map((finding, index) => (
              <li key={`${finding.rule}-${index}`} className="text-xs text-slate-600" data-rule={finding.rule}>
                <span className="font-mono">{finding.rule}</span> {ruleText(finding)}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

function Finding({ finding, fix }: { finding: EInvoiceFinding; fix: Fix | null }) {
  return (
    <li className="rounded-lg bg-white p-3 text-sm shadow-sm ring-1 ring-red-200" data-rule={finding.rule}>
      <p className="flex flex-wrap items-baseline gap-x-2">
        <span className="font-mono font-semibold text-red-900">{finding.rule}</span>
        {finding.term && <span className="text-xs text-slate-500">EN 16931 {finding.term}</span>}
      </p>
      <p className="mt-1 text-slate-700">{ruleText(finding)}</p>
      {fix && (
        <p className="mt-2 text-slate-900">
          {fix.what}{' '}
          <Link to={fix.to} className="font-medium text-brand-700 underline">
            {fix.place}
          </Link>
        </p>
      )}
    </li>
  );
}
