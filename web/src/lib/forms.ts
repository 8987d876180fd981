import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import { ApiError } from '../api/client';

/** The API's field path (`tax_ids[1].value`) as a form's (`tax_ids.1.value`). */
export function dottedPath(apiPath: string): string {
  return apiPath.replace(/\[(\d+)\]/g, '.$1');
}

/**
 * Puts the API's per-field messages (a 422's `errors`) on the form's fields; `toForm` says which
 * field an API path is (`null`: none). Returns `true` when at least one message found its field;
 * the error is then shown there, not in a banner.
 */
export function applyFieldErrors<T extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<T>,
  toForm: (apiPath: string) => string | null = dottedPath,
): boolean {
  if (!(error instanceof ApiError)) return false;
  let placed = false;
  for (const [apiPath, messages] of Object.entries(error.fieldErrors)) {
    const path = toForm(apiPath);
    if (!path || messages.length === 0) continue;
    setError(path as Path<T>, { type: 'server', message: capitalize(messages.join('; ')) }, { shouldFocus: !placed });
    placed = true;
  }
  return placed;
}

export function capitalize(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}
