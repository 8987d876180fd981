// Money in integer minor units, exactly as the API counts it: never a floating-point amount.
// The API's amounts stay below 2^53 (checked below), so a JS number holds every valid amount
// exactly. An invoice's arithmetic (quantities, discounts, tax) is in totals.ts, in BigInt.

import { LIMITS } from '../api/limits';

/** The API's largest amount (minor units), for a line, a total or a payment. */
export const MAX_AMOUNT = LIMITS.amount;

if (!Number.isSafeInteger(MAX_AMOUNT)) {
  throw new Error(`The API's largest amount, ${MAX_AMOUNT}, is past what a JS number holds exactly`);
}

/** Currencies offered in the editor (any ISO 4217 code with minor units is accepted by the API). */
export const CURRENCIES = [
  'USD', 'EUR', 'GBP', 'CAD', 'AUD', 'NZD', 'CHF', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK',
  'JPY', 'SGD', 'HKD', 'INR', 'BRL', 'MXN', 'ZAR', 'AED', 'KWD',
] as const;

const exponents = new Map<string, number>();

/** Digits after the decimal point in `currency` (2 for USD, 0 for JPY, 3 for KWD). */
export function exponent(currency: string): number {
  const code = currency.toUpperCase();
  let digits = exponents.get(code);
  if (digits === undefined) {
    try {
      digits = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions()
        .maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    exponents.set(code, digits);
  }
  return digits;
}

/** `12345` minor units of USD as the decimal string `"123.45"` (no grouping, no symbol). */
export function toDecimalString(minor: number | bigint, currency: string): string {
  const digits = exponent(currency);
  const value = BigInt(minor);
  const negative = value < 0n;
  const text = (negative ? -value : value).toString().padStart(digits + 1, '0');
  const whole = digits === 0 ? text : text.slice(0, text.length - digits);
  const fraction = digits === 0 ? '' : `.${text.slice(text.length - digits)}`;
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/** `12345` minor units of USD for a person: `"$123.45"` (in the browser's locale). */
export function formatMoney(minor: number | bigint, currency: string, locale?: string): string {
  const decimal = toDecimalString(minor, currency);
  try {
    const format = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      minimumFractionDigits: exponent(currency),
      maximumFractionDigits: exponent(currency),
    });
    // A decimal string keeps every digit: format() reads strings exactly (Intl.NumberFormat v3).
    return format.format(decimal as unknown as number);
  } catch {
    return `${decimal} ${currency}`;
  }
}

/** Compact form for chart axes: `"$12.3K"`. Approximate by design (labels only). */
export function formatCompact(minor: number, currency: string, locale?: string): string {
  const major = minor / 10 ** exponent(currency);
  try {
    return new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      notation: 'compact',
      maximumFractionDigits: 1,
    }).format(major);
  } catch {
    return `${major} ${currency}`;
  }
}

export type ParseResult = { ok: true; minor: number } | { ok: false; error: string };

/**
 * A price typed by a person (`"1,250.5"`, `"1250.50"`, `"0.99"`) as minor units of `currency`,
 * exactly: the digits are read as text, never through a float. Commas are taken as thousands
 * separators; more decimals than the currency has is an error, not a rounding.
 */
export function parseMoney(input: string, currency: string): ParseResult {
  const text = input.trim().replace(/[\s,_]/g, '');
  if (text === '') return { ok: false, error: 'Enter an amount' };
  const match = /^(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match || (match[1] === '' && (match[2] ?? '') === '')) {
    return { ok: false, error: 'Enter an amount like 1250.00' };
  }
  const digits = exponent(currency);
  const whole = match[1] || '0';
  const fraction = match[2] ?? '';
  if (fraction.length > digits) {
    return {
      ok: false,
      error: digits === 0 ? `${currency} has no minor units` : `At most ${digits} decimal places`,
    };
  }
  const minor = BigInt(whole) * 10n ** BigInt(digits) + BigInt(fraction.padEnd(digits, '0') || '0');
  if (minor > BigInt(MAX_AMOUNT)) return { ok: false, error: 'This amount is too large' };
  return { ok: true, minor: Number(minor) };
}

/**
 * A price in major units as a decimal string (`"0.00125"`, finer than the minor unit) for a
 * person: the currency's own decimals at least, every given digit kept.
 */
export function formatPrice(major: string, currency: string, locale?: string): string {
  const decimals = Math.max(exponent(currency), (major.split('.')[1] ?? '').length);
  try {
    const format = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      minimumFractionDigits: exponent(currency),
      maximumFractionDigits: Math.min(decimals, 20),
    });
    return format.format(major as unknown as number);
  } catch {
    return `${major} ${currency}`;
  }
}
