// Server state through TanStack Query: one hook per read, one per command. Commands put the
// invoice they return into the cache (the API answers every command with the invoice as
// stored) and mark the lists, the dashboard and the timeline stale.

import { todayUtc } from '../lib/dates';
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { downloaded, type DownloadedFile } from '../lib/download';
import { api, request } from './client';
import type {
  Aging,
  AgingInvoiceParams,
  AgingInvoicePage,
  BankAccount,
  BankAccountFields,
  CreateInvoice,
  CreditNote,
  CreditNotePreview,
  Customer,
  CustomerFields,
  CustomerListParams,
  CustomerPage,
  Dashboard,
  EInvoiceFormat,
  ExportKind,
  Invoice,
  InvoiceListParams,
  IssueCreditNote,
  IssuedCreditNote,
  InvoicePage,
  InvoiceSummary,
  PayLink,
  PaymentHistory,
  PaymentList,
  PaymentListParams,
  RecordedPayment,
  RecordPayment,
  Reminders,
  ReviseInvoice,
  ReviseTaxRate,
  Seller,
  Statement,
  StatementEmail,
  StatementEmailPage,
  SellerProfileFields,
  TaxRate,
  TaxRateFields,
  TaxRatePage,
  Timeline,
  User,
} from './types';

export const keys = {
  me: ['me'] as const,
  dashboard: ['dashboard'] as const,
  invoices: ['invoices'] as const,
  invoiceList: (params: InvoiceListParams) => ['invoices', 'list', params] as const,
  invoice: (id: string) => ['invoices', 'one', id] as const,
  timeline: (id: string) => ['invoices', 'one', id, 'timeline'] as const,
  invoicePayments: (id: string) => ['invoices', 'one', id, 'payments'] as const,
  creditNotes: (id: string) => ['invoices', 'one', id, 'credit-notes'] as const,
  /** A preview is of the invoice as it stands: a new version (a payment came) asks again. */
  creditNotePreview: (id: string, version: string, body: IssueCreditNote) =>
    ['invoices', 'one', id, 'credit-notes', 'preview', version, body] as const,
  payments: (params: PaymentListParams) => ['payments', params] as const,
  reminders: ['settings', 'reminders'] as const,
  seller: ['settings', 'seller'] as const,
  customers: ['customers'] as const,
  customerList: (params: CustomerListParams) => ['customers', 'list', params] as const,
  customer: (id: string) => ['customers', 'one', id] as const,
  statement: (id: string, from: string, to: string) => ['customers', 'one', id, 'statement', { from, to }] as const,
  statementEmails: (id: string) => ['customers', 'one', id, 'statement-emails'] as const,
  taxRates: ['tax-rates'] as const,
  taxRateList: (archived: boolean) => ['tax-rates', archived] as const,
  bankAccounts: ['settings', 'bank-accounts'] as const,
  reports: ['reports'] as const,
  aging: (asOf: string) => ['reports', 'aging', asOf] as const,
  agingInvoices: (params: Omit<AgingInvoiceParams, 'cursor'>) => ['reports', 'aging', 'invoices', params] as const,
};

function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export function useMe() {
  return useQuery({ queryKey: keys.me, queryFn: () => api.get<User>('/users/me'), staleTime: 5 * 60_000 });
}

export function useDashboard() {
  return useQuery({ queryKey: keys.dashboard, queryFn: () => api.get<Dashboard>('/dashboard') });
}

export function useInvoices(params: InvoiceListParams) {
  return useQuery({
    queryKey: keys.invoiceList(params),
    queryFn: ({ signal }) => api.get<InvoicePage>(`/invoices${query({ ...params })}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

/** Open invoices change without the user doing anything (a webhook, the overdue timer). */
function liveInterval(invoice: Invoice | undefined): number | false {
  return invoice && (invoice.status === 'sent' || invoice.status === 'overdue' || invoice.status === 'uncollectible') ? 5_000 : false;
}

/** `id` empty: nothing to read (the editor of a new invoice). */
export function useInvoice(id: string) {
  return useQuery({
    queryKey: keys.invoice(id),
    enabled: id !== '',
    queryFn: ({ signal }) => api.get<Invoice>(`/invoices/${id}`, { signal }),
    refetchInterval: (q) => liveInterval(q.state.data),
  });
}

export function useTimeline(id: string, live: boolean) {
  return useQuery({
    queryKey: keys.timeline(id),
    queryFn: ({ signal }) => api.get<Timeline>(`/invoices/${id}/events`, { signal }),
    select: (page) => page.data,
    // The workflow renders, e-mails and reminds after a command returns: keep looking.
    refetchInterval: live ? 3_000 : false,
  });
}

export function useInvoicePayments(id: string, enabled: boolean) {
  return useQuery({
    queryKey: keys.invoicePayments(id),
    queryFn: ({ signal }) => api.get<PaymentList>(`/invoices/${id}/payments`, { signal }),
    select: (page) => page.data,
    enabled,
  });
}

export function usePayments(params: PaymentListParams) {
  return useQuery({
    queryKey: keys.payments(params),
    queryFn: ({ signal }) => api.get<PaymentHistory>(`/payments${query({ ...params })}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useReminders() {
  return useQuery({ queryKey: keys.reminders, queryFn: () => api.get<Reminders>('/settings/reminders') });
}

export function useSeller() {
  return useQuery({ queryKey: keys.seller, queryFn: () => api.get<Seller>('/settings/seller') });
}

/** After a command on `invoice`: the cache holds what the API stored; every summary is stale. */
export function invoiceChanged(client: QueryClient, invoice: Invoice) {
  client.setQueryData(keys.invoice(invoice.id), invoice);
  void client.invalidateQueries({ queryKey: keys.invoices, exact: false, predicate: (q) => q.queryKey[1] === 'list' });
  void client.invalidateQueries({ queryKey: keys.timeline(invoice.id) });
  void client.invalidateQueries({ queryKey: keys.invoicePayments(invoice.id) });
  void client.invalidateQueries({ queryKey: keys.dashboard });
  void client.invalidateQueries({ queryKey: ['payments'] });
  void client.invalidateQueries({ queryKey: keys.reports });
}

export function useCreateDraft() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ draft, key }: { draft: CreateInvoice; key: string }) =>
      api.post<Invoice>('/invoices', draft, { idempotencyKey: key }),
    onSuccess: (invoice) => invoiceChanged(client, invoice),
  });
}

export function useUpdateDraft(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (draft: ReviseInvoice) => api.patch<Invoice>(`/invoices/${id}`, draft),
    onSuccess: (invoice) => invoiceChanged(client, invoice),
  });
}

export function useDeleteDraft(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete<void>(`/invoices/${id}`),
    onSuccess: () => {
      client.removeQueries({ queryKey: keys.invoice(id) });
      void client.invalidateQueries({ queryKey: keys.invoices });
      void client.invalidateQueries({ queryKey: keys.dashboard });
    },
  });
}

export function useSend(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (key: string) => api.post<Invoice>(`/invoices/${id}/send`, undefined, { idempotencyKey: key }),
    onSuccess: (invoice) => invoiceChanged(client, invoice),
  });
}

export function useVoid(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ reason, key }: { reason: string; key: string }) =>
      api.post<Invoice>(`/invoices/${id}/void`, reason.trim() ? { reason: reason.trim() } : {}, { idempotencyKey: key }),
    onSuccess: (invoice) => invoiceChanged(client, invoice),
  });
}

/** Writes the amount due off as a bad debt (`POST /invoices/{id}/uncollectible`). */
export function useMarkUncollectible(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ reason, on, key }: { reason: string; on: string; key: string }) =>
      api.post<Invoice>(`/invoices/${id}/uncollectible`, { reason: reason.trim(), on }, { idempotencyKey: key }),
    onSuccess: (invoice) => invoiceChanged(client, invoice),
  });
}

export function useChangeDueDate(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (dueDate: string) => api.patch<Invoice>(`/invoices/${id}/due-date`, { due_date: dueDate }),
    onSuccess: (invoice) => invoiceChanged(client, invoice),
  });
}

export function useRecordPayment(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ payment, key }: { payment: RecordPayment; key: string }) =>
      api.post<RecordedPayment>(`/invoices/${id}/payments`, payment, { idempotencyKey: key }),
    onSuccess: (recorded) => invoiceChanged(client, recorded.invoice),
  });
}

/** How often the notes are asked again while one's PDF is still being rendered. */
export const CREDIT_NOTE_PDF_POLL_MS = 4000;

/**
 * The invoice's credit notes, oldest first; asked again every few seconds while a note has no
 * PDF yet (it is rendered moments after the note is issued), so its download appears.
 */
export function useCreditNotes(id: string, enabled: boolean) {
  return useQuery({
    queryKey: keys.creditNotes(id),
    queryFn: ({ signal }) => api.get<CreditNote[]>(`/invoices/${id}/credit-notes`, { signal }),
    enabled,
    refetchInterval: (query) => (query.state.data?.some((note) => note.pdf_url === null) ? CREDIT_NOTE_PDF_POLL_MS : false),
  });
}

/**
 * A credit note's PDF with the session's token: an object URL the caller must revoke, and the
 * file name the API gives it (`CN-000001.pdf`). A note not rendered yet is a 404.
 */
export async function fetchCreditNotePdf(note: CreditNote): Promise<DownloadedFile> {
  const response = await api.get<Response>(`/credit-notes/${note.id}/pdf`, { raw: true });
  return downloaded(response, `${note.number}.pdf`);
}

/**
 * What the credit note `body` would come to on `invoice` as it stands (nothing is stored);
 * nothing is asked while `body` is `null` (a form the API would refuse anyway). A refusal is
 * an answer here (422: field errors), not a failure to retry; the last figures stay shown
 * while the next ones are asked for.
 */
export function useCreditNotePreview(invoice: Invoice, body: IssueCreditNote | null) {
  return useQuery({
    queryKey: keys.creditNotePreview(invoice.id, invoice.updated_at, body ?? { reason: '', scope: { kind: 'remaining' } }),
    enabled: body !== null,
    queryFn: ({ signal }) => api.post<CreditNotePreview>(`/invoices/${invoice.id}/credit-notes/preview`, body, { signal }),
    placeholderData: keepPreviousData,
    retry: false,
    staleTime: Infinity,
    gcTime: 60_000,
  });
}

/** Issues a credit note: the invoice after it goes into the cache, its notes are read again. */
export function useIssueCreditNote(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ note, key }: { note: IssueCreditNote; key: string }) =>
      api.post<IssuedCreditNote>(`/invoices/${id}/credit-notes`, note, { idempotencyKey: key }),
    onSuccess: (issued) => {
      invoiceChanged(client, issued.invoice);
      void client.invalidateQueries({ queryKey: keys.creditNotes(id), exact: true });
    },
  });
}

export function usePayLink(id: string) {
  return useMutation({
    mutationFn: (key: string) => api.post<PayLink>(`/invoices/${id}/checkout`, undefined, { idempotencyKey: key }),
  });
}

export function useReplaceReminders() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (days: number[]) => api.put<Reminders>('/settings/reminders', { days_from_due_date: days }),
    onSuccess: (reminders) => client.setQueryData(keys.reminders, reminders),
  });
}

export function useReplaceSeller() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (seller: SellerProfileFields) => api.put<Seller>('/settings/seller', seller),
    onSuccess: (seller) => client.setQueryData(keys.seller, seller),
  });
}

export function useChangePassword() {
  return useMutation({
    mutationFn: (body: { current_password: string; new_password: string }) => api.post<void>('/auth/password', body),
  });
}

/** The PDF with the session's token, as an object URL the caller must revoke. */
export async function fetchPdf(invoice: InvoiceSummary): Promise<string> {
  const response = await api.get<Response>(`/invoices/${invoice.id}/pdf`, { raw: true });
  return URL.createObjectURL(await response.blob());
}

/**
 * An invoice's e-invoice with the session's token: the customer's format without `format`, or
 * that one. An object URL the caller must revoke, and the file name the API gives it.
 */
export async function fetchEInvoice(invoiceId: string, format?: EInvoiceFormat): Promise<DownloadedFile> {
  const query = format ? `?format=${encodeURIComponent(format)}` : '';
  const response = await api.get<Response>(`/invoices/${invoiceId}/e-invoice${query}`, { raw: true });
  return downloaded(response, `e-invoice-${format ?? 'received'}`);
}

// ---- customers -------------------------------------------------------------------------------

export function useCustomers(params: CustomerListParams, enabled = true) {
  return useQuery({
    queryKey: keys.customerList(params),
    queryFn: ({ signal }) => api.get<CustomerPage>(`/customers${query({ ...params })}`, { signal }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** `id` empty: nothing to read. */
export function useCustomer(id: string) {
  return useQuery({
    queryKey: keys.customer(id),
    enabled: id !== '',
    queryFn: ({ signal }) => api.get<Customer>(`/customers/${id}`, { signal }),
  });
}

/**
 * The customer's credit balance in `currency` today (credit notes' excess kept for them, less
 * what was applied or refunded since), from their statement of today; 0 without one.
 */
export function useCreditBalance(customerId: string, currency: string) {
  const today = todayUtc();
  const statement = useCustomerStatement(customerId, today, today);
  const sheet = statement.data?.currencies.find((sheet) => sheet.currency === currency);
  return sheet?.credit_balance ?? 0;
}

/**
 * The customer's statement of account for the days `from` to `to` (`YYYY-MM-DD`, UTC, both
 * included); nothing is asked while `enabled` is false (a range the API would refuse).
 */
export function useCustomerStatement(id: string, from: string, to: string, enabled = true) {
  return useQuery({
    queryKey: keys.statement(id, from, to),
    enabled: enabled && id !== '',
    queryFn: ({ signal }) => api.get<Statement>(`/customers/${id}/statement${query({ from, to })}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

/**
 * The customer's statement of `from` to `to` as a PDF, in the customer's language, with the
 * session's token: an object URL the caller must revoke, and the file name the API gives it.
 */
export async function fetchStatementPdf(id: string, from: string, to: string): Promise<DownloadedFile> {
  const response = await api.get<Response>(`/customers/${id}/statement/pdf${query({ from, to })}`, { raw: true });
  return downloaded(response, `statement-${from}-to-${to}.pdf`);
}

/** E-mails the customer's statement of `from` to `to`; answers once SES has, with the record. */
export function useEmailStatement(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ period, key }: { period: { from: string; to: string }; key: string }) =>
      api.post<StatementEmail>(`/customers/${id}/statement/email`, period, { idempotencyKey: key }),
    onSettled: () => void client.invalidateQueries({ queryKey: keys.statementEmails(id) }),
  });
}

/** The statements e-mailed to the customer, newest first; each "Load more" appends a page. */
export function useStatementEmails(id: string) {
  return useInfiniteQuery({
    queryKey: keys.statementEmails(id),
    enabled: id !== '',
    initialPageParam: undefined as string | undefined,
    queryFn: ({ signal, pageParam }) =>
      api.get<StatementEmailPage>(`/customers/${id}/statement/emails${query({ cursor: pageParam })}`, { signal }),
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });
}

function customerChanged(client: QueryClient, customer: Customer) {
  client.setQueryData(keys.customer(customer.id), customer);
  void client.invalidateQueries({ queryKey: keys.customers, predicate: (q) => q.queryKey[1] === 'list' });
}

export function useCreateCustomer() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ customer, key }: { customer: CustomerFields; key: string }) =>
      api.post<Customer>('/customers', customer, { idempotencyKey: key }),
    onSuccess: (customer) => customerChanged(client, customer),
  });
}

export function useReplaceCustomer(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (customer: CustomerFields) => api.put<Customer>(`/customers/${id}`, customer),
    onSuccess: (customer) => customerChanged(client, customer),
  });
}

export function useArchiveCustomer(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (archive: boolean) => api.post<Customer>(`/customers/${id}/${archive ? 'archive' : 'unarchive'}`),
    onSuccess: (customer) => customerChanged(client, customer),
  });
}

export function useDeleteCustomer(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete<void>(`/customers/${id}`),
    onSuccess: () => {
      client.removeQueries({ queryKey: keys.customer(id) });
      void client.invalidateQueries({ queryKey: keys.customers });
    },
  });
}

// ---- tax rates -------------------------------------------------------------------------------

/** Every rate of the account, active (or archived), across the API's pages. */
export function useTaxRates(archived = false) {
  return useQuery({
    queryKey: keys.taxRateList(archived),
    queryFn: async ({ signal }) => {
      const rates: TaxRate[] = [];
      let cursor: string | null | undefined;
      do {
        const page = await api.get<TaxRatePage>(`/tax-rates${query({ archived: archived || undefined, limit: 100, cursor })}`, { signal });
        rates.push(...page.data);
        cursor = page.next_cursor;
      } while (cursor);
      return rates;
    },
    staleTime: 60_000,
  });
}

export function useCreateTaxRate() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ rate, key }: { rate: TaxRateFields; key: string }) => api.post<TaxRate>('/tax-rates', rate, { idempotencyKey: key }),
    onSuccess: () => void client.invalidateQueries({ queryKey: keys.taxRates }),
  });
}

export function useReviseTaxRate(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (revision: ReviseTaxRate) => api.patch<TaxRate>(`/tax-rates/${id}`, revision),
    onSuccess: () => void client.invalidateQueries({ queryKey: keys.taxRates }),
  });
}

export function useArchiveTaxRate() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, archive }: { id: string; archive: boolean }) =>
      api.post<TaxRate>(`/tax-rates/${id}/${archive ? 'archive' : 'unarchive'}`),
    onSuccess: () => void client.invalidateQueries({ queryKey: keys.taxRates }),
  });
}

// ---- bank accounts and the logo --------------------------------------------------------------

export function useBankAccounts() {
  return useQuery({
    queryKey: keys.bankAccounts,
    queryFn: ({ signal }) => api.get<BankAccount[]>('/settings/bank-accounts', { signal }),
  });
}

export function useSaveBankAccount() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, account, key }: { id?: string; account: BankAccountFields; key: string }) =>
      id
        ? api.put<BankAccount>(`/settings/bank-accounts/${id}`, account)
        : api.post<BankAccount>('/settings/bank-accounts', account, { idempotencyKey: key }),
    onSuccess: () => void client.invalidateQueries({ queryKey: keys.bankAccounts }),
  });
}

export function useDeleteBankAccount() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<void>(`/settings/bank-accounts/${id}`),
    onSuccess: () => void client.invalidateQueries({ queryKey: keys.bankAccounts }),
  });
}

/** Uploads the logo file as the request body (its own content type). */
export function useUploadLogo() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (file: File) => request<unknown>('PUT', '/settings/logo', { rawBody: file, contentType: file.type }),
    onSuccess: () => void client.invalidateQueries({ queryKey: keys.seller }),
  });
}

export function useDeleteLogo() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete<void>('/settings/logo'),
    onSuccess: () => void client.invalidateQueries({ queryKey: keys.seller }),
  });
}

/** The logo image with the session's token, as an object URL the caller must revoke. */
export async function fetchLogo(): Promise<string> {
  const response = await api.get<Response>('/settings/logo', { raw: true });
  return URL.createObjectURL(await response.blob());
}

// ---- reports and exports ---------------------------------------------------------------------

/** The receivables at the end of `asOf` (`YYYY-MM-DD`, UTC), per currency and customer. */
export function useAging(asOf: string) {
  return useQuery({
    queryKey: keys.aging(asOf),
    queryFn: ({ signal }) => api.get<Aging>(`/reports/aging${query({ as_of: asOf })}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

/**
 * The open invoices behind one figure of the aging report, a page at a time: each "Load more"
 * appends the next page (the API's `next_cursor`).
 */
export function useAgingInvoices(params: Omit<AgingInvoiceParams, 'cursor'>) {
  return useInfiniteQuery({
    queryKey: keys.agingInvoices(params),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ signal, pageParam }) =>
      api.get<AgingInvoicePage>(`/reports/aging/invoices${query({ ...params, cursor: pageParam })}`, { signal }),
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });
}

/**
 * A CSV export of the days `from` to `to` (both included) with the session's token: an object
 * URL the caller must revoke, and the file name the API gives it.
 */
export async function fetchExport(kind: ExportKind, from: string, to: string): Promise<DownloadedFile> {
  const response = await api.get<Response>(`/exports/${kind}.csv${query({ from, to })}`, { raw: true });
  return downloaded(response, `${kind}-${from}-to-${to}.csv`);
}
