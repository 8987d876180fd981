import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import { ApiError } from '../api/client';
import { formPath } from './validation';

/**
 * Puts the API's per-field messages (a 422's `errors`) on the form's fields. Returns `true`
 * when at least one message found its field; the error is then shown there, not in a banner.
 */
export function applyFieldErrors<T extends FieldValues>(error: unknown, setError: UseFormSetError<T>): boolean {
  if (!(error instanceof ApiError)) return false;
  let placed = false;
  for (const [apiPath, messages] of Object.entries(error.fieldErrors)) {
    const path = formPath(apiPath);
    if (!path || messages.length === 0) continue;
    setError(path as Path<T>, { type: 'server', message: capitalize(messages.join('; ')) }, { shouldFocus: !placed });
    placed = true;
  }
  return placed;
}

function capitalize(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}
