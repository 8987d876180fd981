import { useEffect, useRef, type ReactNode } from 'react';
import { ApiError } from '../api/client';
import { Button, Spinner } from './ui';

/** What went wrong, in words, and — when trying again can help — a button that does. */
export function ErrorPanel({ error, onRetry, retrying }: { error: unknown; onRetry?: () => void; retrying?: boolean }) {
  const apiError = error instanceof ApiError ? error : null;
  const title = apiError?.retryable
    ? apiError.status === 0
      ? 'Can’t reach the server'
      : 'Something went wrong on our side'
    : apiError?.problem.title ?? 'Something went wrong';
  const detail = apiError?.message ?? (error instanceof Error ? error.message : String(error));
  return (
    <div role="alert" className="flex flex-col gap-3 rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-900 sm:flex-row sm:items-center sm:justify-between">
      <div>
        <p className="font-semibold">{title}</p>
        <p className="mt-0.5">{detail}</p>
      </div>
      {onRetry && (!apiError || apiError.retryable) && (
        <Button onClick={onRetry} busy={retrying} className="shrink-0">
          Try again
        </Button>
      )}
    </div>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="flex items-center gap-2 py-10 text-sm text-slate-500" role="status">
      <Spinner /> {label}
    </div>
  );
}

interface DialogProps {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  /** Room for a form of several columns. */
  wide?: boolean;
}

/**
 * A modal on the native <dialog>: the browser traps focus inside, Escape closes it, and focus
 * goes back to the button that opened it.
 */
export function Dialog({ open, title, onClose, children, footer, wide }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal?.();
    if (!open && dialog.open) dialog.close?.();
  }, [open]);
  return (
    <dialog
      ref={ref}
      onClose={onClose}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      aria-labelledby="dialog-title"
      className={`w-[calc(100%-2rem)] ${wide ? 'max-w-3xl' : 'max-w-lg'} rounded-xl p-0 shadow-xl backdrop:bg-slate-900/40`}
    >
      {open && (
        <div className="flex flex-col">
          <div className="flex items-center justify-between border-b border-slate-100 px-5 py-4">
            <h2 id="dialog-title" className="text-lg font-semibold text-slate-900">
              {title}
            </h2>
            <button type="button" onClick={onClose} className="rounded p-1 text-slate-500 hover:bg-slate-100 hover:text-slate-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand-600" aria-label="Close">
              <svg viewBox="0 0 20 20" className="h-5 w-5" aria-hidden="true"><path d="M5 5l10 10M15 5L5 15" stroke="currentColor" strokeWidth="2" strokeLinecap="round" /></svg>
            </button>
          </div>
          <div className="px-5 py-4">{children}</div>
          {footer && <div className="flex justify-end gap-2 border-t border-slate-100 bg-slate-50 px-5 py-3">{footer}</div>}
        </div>
      )}
    </dialog>
  );
}

/** A short message that screen readers announce (and sighted users see for a few seconds). */
export function Notice({ message, onDone }: { message: string | null; onDone: () => void }) {
  useEffect(() => {
    if (!message) return;
    const timer = window.setTimeout(onDone, 4000);
    return () => window.clearTimeout(timer);
  }, [message, onDone]);
  return (
    <div aria-live="polite" className="pointer-events-none fixed inset-x-0 bottom-4 z-50 flex justify-center px-4">
      {message && (
        <div className="pointer-events-auto rounded-lg bg-slate-900 px-4 py-2.5 text-sm font-medium text-white shadow-lg">{message}</div>
      )}
    </div>
  );
}
