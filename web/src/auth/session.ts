// The session's tokens, kept in localStorage so that a reload (or a second tab) stays signed in.
// The refresh token works once: the API ends the whole session when one is used twice. Two tabs
// refreshing at the same moment would do exactly that, so a refresh runs under a Web Lock shared
// by every tab, and a tab that waited for the lock picks up the tokens the other tab stored.

import type { TokenPair } from '../api/types';

const KEY = 'invoicing.session';

export interface StoredSession {
  accessToken: string;
  refreshToken: string;
  /** Epoch milliseconds after which the access token is no longer accepted. */
  accessExpiresAt: number;
}

type Listener = (session: StoredSession | null) => void;
const listeners = new Set<Listener>();

export function readSession(): StoredSession | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<StoredSession>;
    if (typeof parsed.accessToken !== 'string' || typeof parsed.refreshToken !== 'string') return null;
    return {
      accessToken: parsed.accessToken,
      refreshToken: parsed.refreshToken,
      accessExpiresAt: Number(parsed.accessExpiresAt) || 0,
    };
  } catch {
    return null;
  }
}

export function storeTokens(tokens: TokenPair, now = Date.now()): StoredSession {
  const session: StoredSession = {
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    accessExpiresAt: now + tokens.expires_in * 1000,
  };
  localStorage.setItem(KEY, JSON.stringify(session));
  listeners.forEach((listener) => listener(session));
  return session;
}

export function clearSession(): void {
  localStorage.removeItem(KEY);
  listeners.forEach((listener) => listener(null));
}

/** Called on every change of this tab's session, and of another tab's (the storage event). */
export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  const fromOtherTab = (event: StorageEvent) => {
    if (event.key === KEY || event.key === null) listener(readSession());
  };
  window.addEventListener('storage', fromOtherTab);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', fromOtherTab);
  };
}

/** Runs `task` while no other tab of this origin runs a refresh (where Web Locks exist). */
export async function underRefreshLock<T>(task: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (!locks) return task();
  return locks.request('invoicing.session.refresh', task) as Promise<T>;
}
