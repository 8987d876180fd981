// A sent invoice's e-invoice: the format its customer received (from the invoice's snapshot
// of the customer) and a download of each format. The files need the session's token, so each
// is fetched and saved from an object URL, as the PDF is.

import { useState } from 'react';
import { fetchEInvoice } from '../api/queries';
import type { EInvoiceFormat, Invoice } from '../api/types';
import { saveFile } from '../lib/download';
import { eInvoiceDownloads, FORMAT_NAMES, sentFormat } from '../lib/eInvoicing';
import { ErrorPanel } from './feedback';
import { Button, Card } from './ui';

export function EInvoiceCard({ invoice }: { invoice: Invoice }) {
  const received = sentFormat(invoice.buyer as Record<string, unknown> | null | undefined);
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState<EInvoiceFormat | null>(null);

  const download = async (format: EInvoiceFormat) => {
    setBusy(format);
    setFailure(null);
    try {
      // The customer's own format is asked for as such: the file exactly as it was sent.
      const file = await fetchEInvoice(invoice.id, format === received ? undefined : format);
      saveFile(file);
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(null);
    }
  };

  if (!received) {
    return (
      <Card title="E-invoice">
        <p className="text-sm text-slate-600" data-testid="e-invoice-format">
          The customer received the PDF only: it had no e-invoice format when the invoice was sent. A format set on the customer applies to its next invoices.
        </p>
      </Card>
    );
  }
  return (
    <Card title="E-invoice">
      <p className="text-sm text-slate-700" data-testid="e-invoice-format">
        The customer received <span className="font-medium text-slate-900">{FORMAT_NAMES[received]}</span>
        {received === 'factur_x' ? ', the PDF with its XML inside.' : ', attached to the invoice e-mail beside the PDF.'}
      </p>
      <ul className="mt-3 divide-y divide-slate-100" aria-label="E-invoice downloads">
        {eInvoiceDownloads(received).map((item) => (
          <li key={item.format} className="flex items-center justify-between gap-3 py-2 text-sm">
            <span className="text-slate-900">
              {item.label}
              {item.received && <span className="ml-2 text-xs text-slate-500">as sent</span>}
              {item.unavailable && <span className="block text-xs text-slate-500">{item.unavailable}</span>}
            </span>
            <Button
              size="sm"
              disabled={item.unavailable !== null}
              busy={busy === item.format}
              onClick={() => void download(item.format)}
              aria-label={`Download ${item.label}`}
            >
              Download
            </Button>
          </li>
        ))}
      </ul>
      {failure !== null && <div className="mt-3"><ErrorPanel error={failure} /></div>}
    </Card>
  );
}
