// Every call to the API goes through `request`: it adds the access token, refreshes the
// session once when the token has expired (or is about to), and turns every failure into an
// `ApiError` that says what the user can do about it (fix a field, retry, sign in again).

import { clearSession, readSession, storeTokens, underRefreshLock, type StoredSession } from '../auth/session';
import type { EInvoiceFinding, Problem, TokenPair } from './types';

/** Refresh this long before the access token expires, so that a request never carries a stale one. */
const REFRESH_MARGIN_MS = 30_000;

/** The problem type of a send the e-invoice gate refused (api/src/error.rs). */
export const E_INVOICE_REJECTED = '/problems/e-invoice-rejected';

export type ErrorKind =
  /** The API answered 4xx: the request must change (a field, a state); retrying won't help. */
  | 'refused'
  /** 5xx, 429 or no answer at all: the same request may work later. */
  | 'unavailable'
  /** The session is over; the user must sign in again. */
  | 'signed-out';

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  readonly kind: ErrorKind;

  constructor(status: number, problem: Problem, kind?: ErrorKind) {
    super(problem.detail || problem.title || `Request failed (${status})`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
    this.kind = kind ?? (status === 0 || status === 429 || status >= 500 ? 'unavailable' : 'refused');
  }

  get retryable(): boolean {
    return this.kind === 'unavailable';
  }

  /** Per-field messages of a 422, keyed by the API's JSON path (`items[0].quantity`). */
  get fieldErrors(): Record<string, string[]> {
    return this.problem.errors ?? {};
  }

  /**
   * The rules a refused send's e-invoice breaks (fatal) or warns about, when that is why the API
   * refused it (`/problems/e-invoice-rejected`); `null` for every other failure. Members that are
   * not findings are dropped, so that a component can rely on each one it gets.
   */
  get eInvoiceFindings(): EInvoiceFinding[] | null {
    const rules: unknown = this.problem.rules;
    if (this.status !== 422 || this.problem.type !== E_INVOICE_REJECTED || !Array.isArray(rules)) return null;
    return rules.filter(isFinding);
  }
}

function isFinding(value: unknown): value is EInvoiceFinding {
  if (typeof value !== 'object' || value === null) return false;
  const { rule, message, fatal, term, field } = value as Record<string, unknown>;
  const optionalText = (text: unknown) => text === undefined || text === null || typeof text === 'string';
  return typeof rule === 'string' && typeof message === 'string' && typeof fatal === 'boolean' && optionalText(term) && optionalText(field);
}

export function networkError(): ApiError {
  return new ApiError(0, {
    title: 'No connection',
    detail: 'The server could not be reached. Check your connection and try again.',
  });
}

function signedOut(detail = 'Your session has ended. Please sign in again.'): ApiError {
  return new ApiError(401, { title: 'Signed out', detail }, 'signed-out');
}

async function problemOf(response: Response): Promise<Problem> {
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      return (await response.json()) as Problem;
    } catch {
      // fall through: a body that is not the JSON it claims
    }
  }
  return { status: response.status, title: response.statusText || `HTTP ${response.status}` };
}

async function errorOf(response: Response): Promise<ApiError> {
  const problem = await problemOf(response);
  if (response.status === 429) {
    const after = response.headers.get('retry-after');
    problem.detail = `Too many requests.${after ? ` Try again in ${after} seconds.` : ''}`;
  } else if (response.status >= 500 && !problem.detail) {
    problem.detail = 'The server had a problem. Your input is kept; try again.';
  }
  return new ApiError(response.status, problem);
}

let inflight: Promise<StoredSession | null> | null = null;

/**
 * Exchanges the refresh token for new tokens. `stale` is the refresh token the caller saw:
 * when another tab has refreshed meanwhile, its tokens are used instead of refreshing again
 * (which would present a used refresh token and end the session). `null`: the session is over.
 */
export function refreshSession(stale: string): Promise<StoredSession | null> {
  inflight ??= underRefreshLock(async () => {
    const current = readSession();
    if (!current) return null;
    if (current.refreshToken !== stale && current.accessExpiresAt - Date.now() > REFRESH_MARGIN_MS) {
      return current;
    }
    let response: Response;
    try {
      response = await fetch('/api/auth/refresh', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ refresh_token: current.refreshToken }),
      });
    } catch {
      throw networkError();
    }
    if (response.status === 401) {
      clearSession();
      return null;
    }
    if (!response.ok) throw await errorOf(response);
    return storeTokens((await response.json()) as TokenPair);
  }).finally(() => {
    inflight = null;
  });
  return inflight;
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as `Idempotency-Key`: the same key for every retry of one user action. */
  idempotencyKey?: string;
  /** `false` for the sign-in and registration calls. */
  auth?: boolean;
  signal?: AbortSignal;
  /** Return the raw response (for binary bodies such as the PDF). */
  raw?: boolean;
  /** A body sent as it is (a file), with `contentType`, instead of `body` as JSON. */
  rawBody?: Blob;
  contentType?: string;
}

async function send(method: string, path: string, options: RequestOptions, session: StoredSession | null) {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.rawBody !== undefined) headers['content-type'] = options.contentType ?? 'application/octet-stream';
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  if (session) headers.authorization = `Bearer ${session.accessToken}`;
  try {
    return await fetch(`/api${path}`, {
      method,
      headers,
      body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw networkError();
  }
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const authenticated = options.auth !== false;
  let session: StoredSession | null = null;
  if (authenticated) {
    session = readSession();
    if (!session) throw signedOut('Please sign in.');
    if (session.accessExpiresAt - Date.now() < REFRESH_MARGIN_MS) {
      session = await refreshSession(session.refreshToken);
      if (!session) throw signedOut();
    }
  }
  let response = await send(method, path, options, session);
  if (response.status === 401 && session) {
    // The token expired in flight, or the API restarted with a new signing key: one refresh.
    session = await refreshSession(session.refreshToken);
    if (!session) throw signedOut();
    response = await send(method, path, options, session);
    if (response.status === 401) {
      clearSession();
      throw signedOut();
    }
  }
  if (!response.ok) throw await errorOf(response);
  if (options.raw) return response as unknown as T;
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', path, { ...options, body }),
  put: <T>(path: string, body: unknown, options?: RequestOptions) => request<T>('PUT', path, { ...options, body }),
  patch: <T>(path: string, body: unknown, options?: RequestOptions) => request<T>('PATCH', path, { ...options, body }),
  delete: <T>(path: string, options?: RequestOptions) => request<T>('DELETE', path, options),
};

/** A fresh key for one user action (kept across its retries). */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}
