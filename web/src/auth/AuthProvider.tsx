import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api } from '../api/client';
import type { Registered, TokenPair } from '../api/types';
import { clearSession, onSessionChange, readSession, storeTokens } from './session';

interface Auth {
  signedIn: boolean;
  signIn(email: string, password: string): Promise<void>;
  signUp(email: string, password: string): Promise<void>;
  /** Ends this session (`everywhere`: every session of the account) and forgets the tokens. */
  signOut(everywhere?: boolean): Promise<void>;
}

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const [signedIn, setSignedIn] = useState(() => readSession() !== null);

  useEffect(
    () =>
      onSessionChange((session) => {
        setSignedIn(session !== null);
        // Nothing of one account may show up in the next one's pages.
        if (!session) client.clear();
      }),
    [client],
  );

  const signIn = useCallback(async (email: string, password: string) => {
    const tokens = await api.post<TokenPair>('/auth/login', { email, password }, { auth: false });
    client.clear();
    storeTokens(tokens);
  }, [client]);

  const signUp = useCallback(async (email: string, password: string) => {
    const registered = await api.post<Registered>('/auth/register', { email, password }, { auth: false });
    client.clear();
    storeTokens(registered);
    client.setQueryData(['me'], registered.user);
  }, [client]);

  const signOut = useCallback(async (everywhere = false) => {
    try {
      await api.post<void>(everywhere ? '/auth/logout-all' : '/auth/logout');
    } finally {
      // Even when the API cannot be reached, this browser forgets the session.
      clearSession();
    }
  }, []);

  const value = useMemo(() => ({ signedIn, signIn, signUp, signOut }), [signedIn, signIn, signUp, signOut]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside AuthProvider');
  return auth;
}
