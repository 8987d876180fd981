import { fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { storeTokens } from '../auth/session';
import { previousMonth, todayUtc } from '../lib/dates';
import { Exports } from './Exports';

const json = (value: unknown, status = 200) =>
  new Response(JSON.stringify(value), { status, headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' } });

/** Records each request (URL and Authorization) and answers it with `answer`. */
function fakeApi(answer: (url: URL) => Response) {
  const requests: { path: string; authorization?: string }[] = [];
  vi.stubGlobal('fetch', async (path: string, init: RequestInit = {}) => {
    const url = new URL(path, 'http://app.test');
    requests.push({ path: `${url.pathname}${url.search}`, authorization: (init.headers as Record<string, string> | undefined)?.authorization });
    return answer(url);
  });
  return requests;
}

const saved: string[] = [];
beforeEach(() => {
  storeTokens({ access_token: 'a', token_type: 'Bearer', expires_in: 900, refresh_token: 'r', refresh_expires_in: 1 });
  vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:export'), revokeObjectURL: vi.fn() }));
  saved.length = 0;
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    saved.push(`${this.download} ${this.href}`);
  });
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const setDay = (label: string, day: string) => fireEvent.change(screen.getByLabelText(label), { target: { value: day } });

describe('the exports page', () => {
  it('downloads the previous month’s file with the session’s token, named as the API names it', async () => {
    const requests = fakeApi((url) =>
      new Response('period,document_type\r\n', {
        status: 200,
        headers: { 'content-type': 'text/csv; charset=utf-8; header=present', 'content-disposition': `attachment; filename="tax-report-${url.searchParams.get('from')}-to-${url.searchParams.get('to')}.csv"` },
      }),
    );
    render(<Exports />);
    const { from, to } = previousMonth(todayUtc());
    expect((screen.getByLabelText('From') as HTMLInputElement).value).toBe(from);
    expect((screen.getByLabelText('To') as HTMLInputElement).value).toBe(to);

    await userEvent.click(screen.getByRole('button', { name: 'Download tax report' }));

    expect(requests).toEqual([{ path: `/api/exports/tax-report.csv?from=${from}&to=${to}`, authorization: 'Bearer a' }]);
    expect(saved).toEqual([`tax-report-${from}-to-${to}.csv blob:export`]);
  });

  it('downloads the credit notes', async () => {
    const requests = fakeApi(
      () => new Response('number,issue_date\r\n', { status: 200, headers: { 'content-type': 'text/csv; charset=utf-8; header=present', 'content-disposition': 'attachment; filename="credit-notes-2026-01-01-to-2026-01-31.csv"' } }),
    );
    render(<Exports />);
    setDay('From', '2026-01-01');
    setDay('To', '2026-01-31');
    await userEvent.click(screen.getByRole('button', { name: 'Download credit notes' }));

    expect(requests.map((request) => request.path)).toEqual(['/api/exports/credit-notes.csv?from=2026-01-01&to=2026-01-31']);
    expect(saved).toEqual(['credit-notes-2026-01-01-to-2026-01-31.csv blob:export']);
  });

  it('refuses a range that ends before it starts without asking the API', async () => {
    const requests = fakeApi(() => json({}));
    render(<Exports />);
    setDay('From', '2026-03-02');
    setDay('To', '2026-03-01');
    await userEvent.click(screen.getByRole('button', { name: 'Download invoices' }));

    const to = screen.getByLabelText('To');
    expect(to.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(to.getAttribute('aria-describedby') ?? '')?.textContent).toBe('The last day must not be before the first');
    expect(requests).toEqual([]);
    expect(saved).toEqual([]);
  });

  it('shows the API’s field errors beside the days', async () => {
    const requests = fakeApi(() =>
      json({ type: '/problems/validation', title: 'Unprocessable Entity', status: 422, detail: 'The request has invalid fields.', errors: { from: ['must be a date like 2026-11-24'] } }, 422),
    );
    render(<Exports />);
    setDay('From', '2026-01-01');
    setDay('To', '2026-01-31');
    await userEvent.click(screen.getByRole('button', { name: 'Download payments' }));

    const from = await screen.findByLabelText('From');
    await screen.findByText('must be a date like 2026-11-24');
    expect(from.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(from.getAttribute('aria-describedby') ?? '')?.textContent).toBe('must be a date like 2026-11-24');
    expect(requests.map((request) => request.path)).toEqual(['/api/exports/payments.csv?from=2026-01-01&to=2026-01-31']);
    expect(saved).toEqual([]);
  });
});
