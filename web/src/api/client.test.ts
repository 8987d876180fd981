import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readSession, storeTokens } from '../auth/session';
import { ApiError, request } from './client';

const tokens = (n: number, expiresIn = 900) => ({
  access_token: `access-${n}`,
  token_type: 'Bearer' as const,
  expires_in: expiresIn,
  refresh_token: `refresh-${n}`,
  refresh_expires_in: 2_592_000,
});

function json(status: number, body: unknown, type = 'application/json') {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });
}

/** A fake API: answers by path, records what it was sent. */
function fakeApi(handlers: Record<string, (init: RequestInit) => Response | Promise<Response>>) {
  const calls: { path: string; init: RequestInit }[] = [];
  vi.stubGlobal('fetch', async (path: string, init: RequestInit) => {
    calls.push({ path, init });
    const handler = handlers[`${init.method} ${path}`];
    if (!handler) throw new TypeError('Failed to fetch');
    return handler(init);
  });
  return calls;
}

const auth = (init: RequestInit) => (init.headers as Record<string, string>).authorization;

beforeEach(() => storeTokens(tokens(1)));
afterEach(() => vi.unstubAllGlobals());

describe('request', () => {
  it('refreshes once on a 401 and repeats the request with the new token', async () => {
    let refreshes = 0;
    const calls = fakeApi({
      'GET /api/users/me': (init) => (auth(init) === 'Bearer access-2' ? json(200, { id: 'u' }) : json(401, { title: 'Unauthorized' }, 'application/problem+json')),
      'POST /api/auth/refresh': async (init) => {
        refreshes += 1;
        expect(JSON.parse(String(init.body))).toEqual({ refresh_token: 'refresh-1' });
        await new Promise((done) => setTimeout(done, 10));
        return json(200, tokens(2));
      },
    });
    // Three requests fail at once: one refresh serves all three (a second would present a
    // used refresh token, and the API would end the session).
    const answers = await Promise.all([1, 2, 3].map(() => request('GET', '/users/me')));
    expect(answers).toEqual([{ id: 'u' }, { id: 'u' }, { id: 'u' }]);
    expect(refreshes).toBe(1);
    expect(readSession()?.refreshToken).toBe('refresh-2');
    expect(calls.filter((call) => call.path === '/api/users/me')).toHaveLength(6);
  });

  it('refreshes before sending when the access token is about to expire', async () => {
    storeTokens(tokens(1, 10));
    const calls = fakeApi({
      'POST /api/auth/refresh': () => json(200, tokens(2)),
      'GET /api/users/me': (init) => json(200, { token: auth(init) }),
    });
    expect(await request('GET', '/users/me')).toEqual({ token: 'Bearer access-2' });
    expect(calls.map((call) => call.path)).toEqual(['/api/auth/refresh', '/api/users/me']);
  });

  it('ends the session when the refresh token is refused', async () => {
    fakeApi({
      'GET /api/invoices': () => json(401, { title: 'Unauthorized' }),
      'POST /api/auth/refresh': () => json(401, { title: 'Unauthorized' }),
    });
    const error = await request('GET', '/invoices').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).kind).toBe('signed-out');
    expect(readSession()).toBeNull();
  });

  it('keeps the session when refreshing fails for want of a server', async () => {
    storeTokens(tokens(1, 10));
    fakeApi({ 'POST /api/auth/refresh': () => json(503, { title: 'Service Unavailable' }) });
    const error = (await request('GET', '/invoices').catch((e: unknown) => e)) as ApiError;
    expect(error.retryable).toBe(true);
    expect(readSession()?.refreshToken).toBe('refresh-1');
  });

  it('tells refusals, server trouble and lost connections apart', async () => {
    fakeApi({
      'POST /api/invoices': () =>
        json(422, { title: 'Unprocessable Entity', detail: 'Invalid fields', errors: { 'items[0].quantity': ['must be greater than zero'] } }, 'application/problem+json'),
      'GET /api/dashboard': () => new Response('<html>bad gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } }),
      'GET /api/invoices': () => new Response(JSON.stringify({ title: 'Too Many Requests' }), { status: 429, headers: { 'content-type': 'application/problem+json', 'retry-after': '12' } }),
    });
    const refused = (await request('POST', '/invoices', { body: {} }).catch((e: unknown) => e)) as ApiError;
    expect(refused.kind).toBe('refused');
    expect(refused.fieldErrors).toEqual({ 'items[0].quantity': ['must be greater than zero'] });
    const broken = (await request('GET', '/dashboard').catch((e: unknown) => e)) as ApiError;
    expect(broken.retryable).toBe(true);
    expect(broken.message).toMatch(/try again/);
    const limited = (await request('GET', '/invoices').catch((e: unknown) => e)) as ApiError;
    expect(limited.retryable).toBe(true);
    expect(limited.message).toBe('Too many requests. Try again in 12 seconds.');
    const offline = (await request('GET', '/nowhere').catch((e: unknown) => e)) as ApiError;
    expect(offline.status).toBe(0);
    expect(offline.retryable).toBe(true);
  });

  it('reads the findings of a refused e-invoice, and only of that problem', async () => {
    const finding = { rule: 'BR-DE-15', message: '[BR-DE-15] Das Element "Buyer reference" (BT-10) muss übermittelt werden.', term: 'BT-10', field: 'customer.buyer_reference', fatal: true };
    fakeApi({
      'POST /api/invoices/i/send': () =>
        json(422, { type: '/problems/e-invoice-rejected', title: 'Unprocessable Entity', status: 422, detail: 'The XRechnung (UBL) e-invoice breaks 1 rule (BR-DE-15)', rules: [finding, { rule: 'BR-X' }, 'BR-Y'] }, 'application/problem+json'),
      'POST /api/invoices/j/send': () =>
        json(409, { type: '/problems/invalid-transition', title: 'Conflict', status: 409, detail: 'already sent', rules: [finding] }, 'application/problem+json'),
      'POST /api/invoices': () => json(422, { type: '/problems/validation-failed', title: 'Unprocessable Entity', status: 422, detail: 'Invalid fields', errors: {} }, 'application/problem+json'),
    });
    const rejected = (await request('POST', '/invoices/i/send').catch((e: unknown) => e)) as ApiError;
    // What is not a finding is dropped rather than shown half.
    expect(rejected.eInvoiceFindings).toEqual([finding]);
    expect(rejected.message).toBe('The XRechnung (UBL) e-invoice breaks 1 rule (BR-DE-15)');
    const conflict = (await request('POST', '/invoices/j/send').catch((e: unknown) => e)) as ApiError;
    expect(conflict.eInvoiceFindings).toBeNull();
    const invalid = (await request('POST', '/invoices', { body: {} }).catch((e: unknown) => e)) as ApiError;
    expect(invalid.eInvoiceFindings).toBeNull();
  });

  it('sends the idempotency key it is given', async () => {
    const calls = fakeApi({ 'POST /api/invoices': () => json(201, { id: 'i' }) });
    await request('POST', '/invoices', { body: { a: 1 }, idempotencyKey: 'key-1' });
    expect((calls[0]!.init.headers as Record<string, string>)['idempotency-key']).toBe('key-1');
    expect(calls[0]!.init.body).toBe('{"a":1}');
  });
});
