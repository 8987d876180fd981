// The API's JSON, as its OpenAPI document (/api/openapi.json) describes it. Amounts are integer
// minor units of the invoice's currency; dates are `YYYY-MM-DD`, instants RFC 3339.

export type InvoiceStatus = 'draft' | 'sent' | 'overdue' | 'paid' | 'void';
export const STATUSES: readonly InvoiceStatus[] = ['draft', 'sent', 'overdue', 'paid', 'void'];

export type Role = 'user' | 'admin';

export interface User {
  id: string;
  email: string;
  role: Role;
  created_at: string;
}

export interface TokenPair {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  refresh_expires_in: number;
}

export interface Registered extends TokenPair {
  user: User;
}

export interface InvoiceSummary {
  id: string;
  number: string | null;
  status: InvoiceStatus;
  client_name: string;
  client_email: string;
  currency: string;
  issue_date: string;
  due_date: string;
  notes: string | null;
  subtotal: number;
  total: number;
  amount_paid: number;
  amount_due: number;
  sent_at: string | null;
  paid_at: string | null;
  voided_at: string | null;
  void_reason: string | null;
  pdf_url: string | null;
  created_at: string;
  updated_at: string;
}

export interface LineItem {
  description: string;
  quantity: number;
  unit_amount: number;
  amount: number;
}

export interface Invoice extends InvoiceSummary {
  items: LineItem[];
}

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

export type InvoiceSort = 'newest' | 'oldest' | 'due_date' | 'amount_due';

export interface DraftInput {
  client_name: string;
  client_email: string;
  currency: string;
  issue_date?: string;
  due_date: string;
  notes: string | null;
  items: { description: string; quantity: number; unit_amount: number }[];
}

export type PaymentMethod = 'bank_transfer' | 'card' | 'cash' | 'check' | 'other' | 'stripe';
export const OFFLINE_METHODS: readonly PaymentMethod[] = ['bank_transfer', 'card', 'cash', 'check', 'other'];
export type PaymentStatus = 'succeeded' | 'partially_refunded' | 'refunded';

export interface Payment {
  id: string;
  invoice_id: string;
  amount: number;
  currency: string;
  method: PaymentMethod;
  reference: string | null;
  transaction_id: string | null;
  amount_refunded: number;
  status: PaymentStatus;
  recorded_at: string;
}

export interface PaymentHistoryEntry extends Payment {
  number: string | null;
}

export interface Recorded {
  payment: Payment;
  invoice: Invoice;
}

export type EventType =
  | 'created'
  | 'updated'
  | 'sent'
  | 'payment_recorded'
  | 'overdue'
  | 'paid'
  | 'voided'
  | 'due_date_changed'
  | 'document_rendered'
  | 'email_sent'
  | 'email_failed'
  | 'reminder_sent'
  | 'checkout_created'
  | 'payment_failed'
  | 'payment_refunded'
  | 'payment_flagged';

export interface TimelineEvent {
  id: string;
  type: EventType;
  occurred_at: string;
  data: Record<string, unknown>;
}

export interface PayLink {
  url: string;
  session_id: string;
  amount: number;
  currency: string;
  expires_at: string;
}

export interface Reminders {
  days_from_due_date: number[];
  custom: boolean;
}

export interface Seller {
  name: string | null;
  address: string | null;
  tax_id: string | null;
}

export interface CurrencyTotals {
  currency: string;
  outstanding: number;
  outstanding_count: number;
  overdue: number;
  overdue_count: number;
  paid_this_month: number;
}

export interface MonthTotals {
  month: string;
  currency: string;
  invoiced: number;
  paid: number;
}

export interface Dashboard {
  as_of: string;
  currencies: CurrencyTotals[];
  attention: InvoiceSummary[];
  months: MonthTotals[];
}

/** RFC 9457 problem details, with the API's per-field messages. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: Record<string, string[]>;
}
