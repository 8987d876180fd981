// An invoice's credit notes on its page (`GET /invoices/{id}/credit-notes`, oldest first): the
// number and date of each, why it was issued, what it took back, what it took beyond the
// amount due and where that went, and its PDF to download once it is rendered.

import { useState } from 'react';
import { ApiError } from '../api/client';
import { fetchCreditNotePdf, useCreditNotes } from '../api/queries';
import type { CreditNote, Invoice } from '../api/types';
import { formatDay } from '../lib/dates';
import { saveFile } from '../lib/download';
import { formatMoney } from '../lib/money';
import { ErrorPanel, Loading } from './feedback';
import { Button, Card } from './ui';

/**
 * Shown once the invoice has a credit note (its `amount_credited`, or the list when that says
 * more); nothing for an invoice without any.
 */
export function CreditNotesCard({ invoice }: { invoice: Invoice }) {
  const notes = useCreditNotes(invoice.id, invoice.status !== 'draft');
  const any = invoice.amount_credited > 0 || (notes.data?.length ?? 0) > 0;
  if (invoice.status === 'draft' || !any) return null;
  return (
    <Card title="Credit notes">
      {notes.isPending ? (
        <Loading />
      ) : notes.isError ? (
        <ErrorPanel error={notes.error} onRetry={() => void notes.refetch()} retrying={notes.isFetching} />
      ) : (
        <ul className="divide-y divide-slate-100" aria-label="Credit notes">
          {notes.data.map((note) => (
            <li key={note.id} className="flex items-start justify-between gap-3 py-2.5 text-sm" data-testid="credit-note">
              <div className="min-w-0">
                <p className="font-medium text-slate-900">
                  {note.number} <span className="font-normal text-slate-500">· {formatDay(note.issue_date)}</span>
                </p>
                <p className="whitespace-pre-line text-slate-700">{note.reason}</p>
                {note.excess > 0 && <p className="text-xs text-slate-500">{excessText(note)}</p>}
              </div>
              <div className="flex shrink-0 flex-col items-end gap-1">
                <span className="font-semibold tabular-nums text-slate-900">{formatMoney(note.gross_total, note.currency)}</span>
                <NotePdf note={note} onMissing={() => void notes.refetch()} />
              </div>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

/** What a note took beyond the amount due, and where it went: `€20.00 refunded (at Stripe)`. */
export function excessText(note: CreditNote): string {
  const excess = formatMoney(note.excess, note.currency);
  if (note.excess_to === 'refund') {
    const stripe = note.refunds.some((refund) => refund.stripe);
    return `${excess} beyond the amount due, refunded${stripe ? ' (at Stripe)' : ''}`;
  }
  return `${excess} beyond the amount due, to the customer’s credit balance`;
}

/**
 * The note's PDF, fetched with the session's token and saved under the API's file name. Until
 * it is rendered (`pdf_url` null; the API answers 404) the note says so; a 404 on a note the
 * list thought rendered asks the list again.
 */
function NotePdf({ note, onMissing }: { note: CreditNote; onMissing: () => void }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  if (note.pdf_url === null) return <span className="text-xs text-slate-500">PDF being prepared…</span>;

  const download = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const file = await fetchCreditNotePdf(note);
      saveFile(file);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        setProblem('The PDF is not ready yet. Try again in a moment.');
        onMissing();
      } else {
        setProblem(error instanceof Error ? error.message : 'The PDF could not be downloaded. Try again.');
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button size="sm" variant="ghost" busy={busy} onClick={() => void download()} aria-label={`Download ${note.number} as PDF`}>
        PDF
      </Button>
      {problem && <p role="alert" className="text-xs text-rose-700">{problem}</p>}
    </>
  );
}
