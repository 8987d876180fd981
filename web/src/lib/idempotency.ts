import { useRef } from 'react';
import { newIdempotencyKey } from '../api/client';

/**
 * One `Idempotency-Key` per distinct request: a retry of the same body (after a lost answer or a
 * 5xx) reuses the key, so the API does the work once; a changed body gets a new key.
 */
export function useIdempotencyKey(): (body: unknown) => string {
  const last = useRef<{ body: string; key: string } | null>(null);
  return (body: unknown) => {
    const text = JSON.stringify(body ?? null);
    if (last.current?.body !== text) last.current = { body: text, key: newIdempotencyKey() };
    return last.current.key;
  };
}
