// The invoice editor's customer field: a combobox (WAI-ARIA 1.2 pattern) that searches the
// account's customers as the user types (`GET /api/customers?q=`), and a "New customer" button
// whose dialog the editor opens without leaving the page.

import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import { useCustomer, useCustomers } from '../api/queries';
import type { Customer } from '../api/types';
import { countryName, languageName, taxIdKindName } from '../lib/countries';
import { Button, Field, Input, cx } from './ui';

const SUGGESTIONS = 8;

interface Props {
  /** The chosen customer's id; `''` for none. */
  value: string;
  onSelect: (customer: Customer) => void;
  onCreate: () => void;
  error?: string;
}

export function CustomerPicker({ value, onSelect, onCreate, error }: Props) {
  const selected = useCustomer(value);
  const listId = useId();
  const [text, setText] = useState('');
  const [editing, setEditing] = useState(false);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [q, setQ] = useState('');

  // Search a moment after the last key.
  useEffect(() => {
    const timer = window.setTimeout(() => setQ(text.trim()), 200);
    return () => window.clearTimeout(timer);
  }, [text]);
  const list = useCustomers({ q: q || undefined, limit: SUGGESTIONS }, open);
  const options = open ? (list.data?.data ?? []) : [];
  useEffect(() => setActive(0), [q]);

  const choose = (customer: Customer) => {
    onSelect(customer);
    setEditing(false);
    setOpen(false);
    setText('');
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      if (!open) setOpen(true);
      else setActive((index) => Math.min(index + 1, Math.max(options.length - 1, 0)));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((index) => Math.max(index - 1, 0));
    } else if (event.key === 'Enter') {
      // Enter picks the highlighted customer instead of submitting the invoice.
      if (open && options[active]) {
        event.preventDefault();
        choose(options[active]);
      }
    } else if (event.key === 'Escape' && open) {
      event.preventDefault();
      event.stopPropagation();
      setOpen(false);
    }
  };

  const shown = editing ? text : (selected.data?.display_name ?? text);
  const customer = value ? selected.data : undefined;
  return (
    <div>
      <div className="flex flex-col gap-2 sm:flex-row sm:items-start">
        <Field label="Customer" error={error} className="relative flex-1" hint={value ? undefined : 'Type to search your customers.'}>
          {(props) => (
            <>
              <Input
                {...props}
                role="combobox"
                aria-autocomplete="list"
                aria-expanded={open}
                aria-controls={listId}
                aria-activedescendant={open && options[active] ? `${listId}-${active}` : undefined}
                autoComplete="off"
                placeholder="Search by name or e-mail"
                value={shown}
                onChange={(event) => {
                  setEditing(true);
                  setText(event.target.value);
                  setOpen(true);
                }}
                onFocus={() => setOpen(true)}
                onClick={() => setOpen(true)}
                onBlur={() => {
                  setOpen(false);
                  setEditing(false);
                }}
                onKeyDown={onKeyDown}
              />
              <ul
                id={listId}
                role="listbox"
                aria-label="Customers"
                className={cx(
                  'absolute z-20 mt-1 max-h-72 w-full overflow-auto rounded-lg bg-white py-1 text-sm shadow-lg ring-1 ring-slate-200',
                  !open && 'hidden',
                )}
              >
                {open && list.isPending && <li className="px-3 py-2 text-slate-500">Searching…</li>}
                {open && !list.isPending && options.length === 0 && (
                  <li className="px-3 py-2 text-slate-600">{q ? `No customer matches “${q}”.` : 'No customers yet.'}</li>
                )}
                {options.map((option, index) => (
                  <li
                    key={option.id}
                    id={`${listId}-${index}`}
                    role="option"
                    aria-selected={index === active}
                    // Before the input's blur closes the list.
                    onMouseDown={(event) => event.preventDefault()}
                    onClick={() => choose(option)}
                    onMouseEnter={() => setActive(index)}
                    className={cx('cursor-pointer px-3 py-2', index === active ? 'bg-brand-50 text-brand-900' : 'text-slate-900')}
                  >
                    <span className="block font-medium">{option.display_name}</span>
                    <span className="block truncate text-xs text-slate-600">{option.emails.join(', ')}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </Field>
        <Button onClick={onCreate} className="sm:mt-6">New customer</Button>
      </div>
      {customer && (
        <dl className="mt-3 grid grid-cols-1 gap-x-4 gap-y-1 rounded-lg bg-slate-50 px-3 py-2 text-sm sm:grid-cols-2" data-testid="picked-customer">
          <div><dt className="sr-only">Sent to</dt><dd className="text-slate-700">{customer.emails.join(', ')}</dd></div>
          {customer.address && (
            <div>
              <dt className="sr-only">Address</dt>
              <dd className="text-slate-700">{[customer.address.city, countryName(customer.address.country)].filter(Boolean).join(', ')}</dd>
            </div>
          )}
          {customer.tax_id && (
            <div><dt className="sr-only">Tax ID</dt><dd className="text-slate-700">{taxIdKindName(customer.tax_id.kind)}: {customer.tax_id.value}</dd></div>
          )}
          <div>
            <dt className="sr-only">Language</dt>
            <dd className="text-slate-700">Written in {languageName(customer.language)}{customer.payment_terms_days !== null ? ` · Net ${customer.payment_terms_days}` : ''}</dd>
          </div>
        </dl>
      )}
    </div>
  );
}
