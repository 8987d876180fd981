// The invoice arithmetic, the same as the server's (workflows/src/domain/totals.rs; read its
// module comment for the rules): line amounts, the tax breakdown per VAT category and rate, and
// the totals. Every amount is rounded once, half away from zero, in exact BigInt arithmetic, so
// the live totals of the editor are the ones the API stores. Both sides are tested against the
// same vectors (workflows/tests/vectors/totals.json, see totals.test.ts).

/** Decimal places of a quantity, a discount percentage and a tax rate. */
export const MAX_QUANTITY_DECIMALS = 4;
/** Decimal places of a unit price in minor units (Stripe's `unit_amount_decimal`). */
export const MAX_UNIT_PRICE_DECIMALS = 12;
/** The largest quantity of a line. */
export const MAX_QUANTITY = 1_000_000n;
/** The largest amount, in minor units. */
export const MAX_AMOUNT = 999_999_999_999_999n;

/** EN 16931 VAT categories, in the server's order (the breakdown is sorted by it). */
export const VAT_CATEGORIES = ['S', 'Z', 'E', 'AE', 'K', 'G', 'O'] as const;
export type VatCategory = (typeof VAT_CATEGORIES)[number];

export type PriceBasis = 'exclusive' | 'inclusive';

export interface Exemption {
  reason: string;
  code: string | null;
}

/** A tax rate as a line carries it; `percent` is a decimal string (`"8.875"`). */
export interface TaxRate {
  category: VatCategory;
  percent: string;
  exemption: Exemption | null;
}

export type Discount = { percent: string } | { amount: number };

/** A line: `quantity` and `unit_price` (minor units) are decimal strings. */
export interface PricedLine {
  quantity: string;
  unit_price: string;
  discount: Discount | null;
  rate: TaxRate;
}

export interface Adjustment {
  kind: 'allowance' | 'charge';
  amount: number;
  rate: TaxRate;
}

export interface TaxSubtotal {
  category: VatCategory;
  percent: string;
  exemption: Exemption | null;
  base: number;
  tax: number;
}

export interface Totals {
  lines: number[];
  adjustments: number[];
  breakdown: TaxSubtotal[];
  line_total: number;
  allowance_total: number;
  charge_total: number;
  net_total: number;
  tax_total: number;
  gross_total: number;
}

/** Messages by field path (`lines[2].quantity`), as the API's 422 has them. */
export type FieldErrors = Record<string, string[]>;

export type Outcome = { ok: true; totals: Totals } | { ok: false; errors: FieldErrors };

/** A decimal as a whole number of its last place: `units / 10^scale`, trailing zeros dropped. */
interface Decimal {
  units: bigint;
  scale: number;
}

function parseDecimal(text: string): Decimal | null {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match) return null;
  const [, minus = '', whole = '', digits = ''] = match;
  const fraction = digits.replace(/0+$/, '');
  return { units: BigInt(minus + whole + fraction), scale: fraction.length };
}

const ten = (exponent: number): bigint => 10n ** BigInt(exponent);
const abs = (n: bigint): bigint => (n < 0n ? -n : n);
const sign = (n: bigint): bigint => (n > 0n ? 1n : n < 0n ? -1n : 0n);

/** `n / d` rounded half away from zero (`d > 0`). */
function divRound(n: bigint, d: bigint): bigint {
  const quotient = n / d;
  const remainder = n % d;
  return 2n * abs(remainder) >= d ? quotient + sign(n) : quotient;
}

/** A percentage as ten-thousandths of a percent, and the divisor that makes it a fraction. */
function rateUnits(percent: string): [bigint, bigint] {
  const value = parseDecimal(percent);
  if (!value || value.scale > MAX_QUANTITY_DECIMALS) throw new Error(`not a tax rate: ${percent}`);
  return [value.units * ten(MAX_QUANTITY_DECIMALS - value.scale), 100n * ten(MAX_QUANTITY_DECIMALS)];
}

/** The tax on `base` at `percent`, rounded once (BR-CO-17). */
export function taxOn(base: bigint, percent: string): bigint {
  const [rate, whole] = rateUnits(percent);
  return divRound(base * rate, whole);
}

function netOfGross(amount: bigint, percent: string): bigint {
  const [rate, whole] = rateUnits(percent);
  return divRound(amount * whole, whole + rate);
}

/** The percentage as the server prints it: normalised (`"19"`, `"8.875"`). */
function normalisePercent(percent: string): string {
  const value = parseDecimal(percent);
  if (!value) return percent;
  const digits = abs(value.units).toString().padStart(value.scale + 1, '0');
  const whole = digits.slice(0, digits.length - value.scale);
  const fraction = digits.slice(digits.length - value.scale);
  return (value.units < 0n ? '-' : '') + whole + (fraction ? `.${fraction}` : '');
}

type Problem = [field: string, message: string];

function lineAmount(line: PricedLine): bigint | Problem {
  const quantity = parseDecimal(line.quantity);
  if (!quantity || quantity.units <= 0n || quantity.units > MAX_QUANTITY * ten(quantity.scale)) {
    return ['quantity', `must be above 0 and at most ${MAX_QUANTITY}`];
  }
  if (quantity.scale > MAX_QUANTITY_DECIMALS) {
    return ['quantity', `must have at most ${MAX_QUANTITY_DECIMALS} decimal places`];
  }
  const price = parseDecimal(line.unit_price);
  if (!price) return ['unit_price', 'must be a number'];
  if (price.units < 0n) return ['unit_price', 'must not be negative'];
  if (price.units > MAX_AMOUNT * ten(price.scale)) {
    return ['unit_price', `must be at most ${MAX_AMOUNT}`];
  }
  if (price.scale > MAX_UNIT_PRICE_DECIMALS) {
    return ['unit_price', `must have at most ${MAX_UNIT_PRICE_DECIMALS} decimal places of the minor unit`];
  }
  const product = quantity.units * price.units;
  const divisor = ten(quantity.scale + price.scale);
  let amount: bigint;
  const discount = line.discount;
  if (discount === null) {
    amount = divRound(product, divisor);
  } else if ('percent' in discount) {
    const percent = parseDecimal(discount.percent);
    if (!percent || percent.units < 0n || percent.units > 100n * ten(percent.scale)) {
      return ['discount', 'must be from 0 to 100 %'];
    }
    if (percent.scale > MAX_QUANTITY_DECIMALS) {
      return ['discount', `must have at most ${MAX_QUANTITY_DECIMALS} decimal places`];
    }
    const [off, whole] = rateUnits(discount.percent);
    amount = divRound(product * (whole - off), divisor * whole);
  } else {
    if (!Number.isSafeInteger(discount.amount) || discount.amount < 0) {
      return ['discount', 'must not be negative'];
    }
    const off = BigInt(discount.amount) * divisor;
    if (off > product) return ['discount', 'must not be larger than the line'];
    amount = divRound(product - off, divisor);
  }
  if (abs(amount) > MAX_AMOUNT) return ['unit_price', `the line must come to at most ${MAX_AMOUNT}`];
  return amount;
}

function baseOfGross(gross: bigint, percent: string): bigint {
  const estimate = netOfGross(gross, percent);
  let best: bigint | null = null;
  let bestKey: [bigint, number, bigint] | null = null;
  for (let base = estimate - 2n; base <= estimate + 2n; base += 1n) {
    if (base < 0n) continue;
    const reached = base + taxOn(base, percent);
    // Exact first; then the nearest, a base below the gross before one above it.
    const key: [bigint, number, bigint] = [abs(reached - gross), reached > gross ? 1 : 0, base];
    if (
      bestKey === null ||
      key[0] < bestKey[0] ||
      (key[0] === bestKey[0] && (key[1] < bestKey[1] || (key[1] === bestKey[1] && key[2] < bestKey[2])))
    ) {
      best = base;
      bestKey = key;
    }
  }
  return best ?? 0n;
}

/** A line or an adjustment, with its amount in the invoice's basis (negative for an allowance). */
interface Item {
  kind: 'line' | 'allowance' | 'charge';
  index: number;
  signed: bigint;
}

interface Shared {
  item: Item;
  net: bigint;
}

function shareOut(base: bigint, items: Item[], percent: string): Shared[] {
  const shared = items.map((item) => ({ item, net: netOfGross(item.signed, percent) }));
  // Largest first; a stable sort keeps the given order between equals, as the server's does.
  const order = [...shared].sort((a, b) => {
    const difference = abs(b.item.signed) - abs(a.item.signed);
    return difference > 0n ? 1 : difference < 0n ? -1 : 0;
  });
  let left = base - shared.reduce((sum, entry) => sum + entry.net, 0n);
  while (left !== 0n) {
    const step = sign(left);
    const before = left;
    for (const entry of order) {
      if (left === 0n) break;
      const moved = entry.net + step;
      const keepsSign = entry.item.signed >= 0n ? moved >= 0n : moved <= 0n;
      if (keepsSign) {
        entry.net = moved;
        left -= step;
      }
    }
    if (left === before) throw new Error('the base of a category is out of its items’ reach');
  }
  return shared;
}

function sameExemption(a: Exemption | null, b: Exemption | null): boolean {
  return a === b || (a !== null && b !== null && a.reason === b.reason && a.code === b.code);
}

function add(errors: FieldErrors, field: string, message: string) {
  (errors[field] ??= []).push(message);
}

/** The invoice's amounts, or its problems keyed by field, as the server computes them. */
export function computeTotals(basis: PriceBasis, lines: PricedLine[], adjustments: Adjustment[]): Outcome {
  const errors: FieldErrors = {};
  const groups = new Map<string, { rate: TaxRate; percent: string; items: Item[] }>();
  const group = (rate: TaxRate, item: Item, field: string) => {
    const percent = normalisePercent(rate.percent);
    const key = `${rate.category} ${percent}`;
    let entry = groups.get(key);
    if (!entry) {
      entry = { rate, percent, items: [] };
      groups.set(key, entry);
    }
    if (!sameExemption(entry.rate.exemption, rate.exemption)) {
      add(errors, field, `every line of category ${rate.category} at ${percent} % must give the same exemption reason`);
    }
    entry.items.push(item);
  };
  lines.forEach((line, index) => {
    const amount = lineAmount(line);
    if (typeof amount === 'bigint') {
      group(line.rate, { kind: 'line', index, signed: amount }, `lines[${index}].tax_rate`);
    } else {
      add(errors, `lines[${index}].${amount[0]}`, amount[1]);
    }
  });
  adjustments.forEach((adjustment, index) => {
    if (!Number.isSafeInteger(adjustment.amount) || adjustment.amount <= 0 || BigInt(adjustment.amount) > MAX_AMOUNT) {
      add(errors, `adjustments[${index}].amount`, `must be from 1 to ${MAX_AMOUNT}`);
      return;
    }
    const amount = BigInt(adjustment.amount);
    const signed = adjustment.kind === 'allowance' ? -amount : amount;
    group(adjustment.rate, { kind: adjustment.kind, index, signed }, `adjustments[${index}].tax_rate`);
  });
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  const netLines: bigint[] = lines.map(() => 0n);
  let allowanceTotal = 0n;
  let chargeTotal = 0n;
  const netAdjustments: bigint[] = adjustments.map(() => 0n);
  const rows: { category: VatCategory; percent: string; exemption: Exemption | null; base: bigint; tax: bigint }[] = [];
  const ordered = [...groups.values()].sort((a, b) => {
    const byCategory = VAT_CATEGORIES.indexOf(a.rate.category) - VAT_CATEGORIES.indexOf(b.rate.category);
    if (byCategory !== 0) return byCategory;
    const [x] = rateUnits(a.percent);
    const [y] = rateUnits(b.percent);
    return x < y ? -1 : x > y ? 1 : 0;
  });
  for (const { rate, percent, items } of ordered) {
    const sum = items.reduce((total, item) => total + item.signed, 0n);
    if (sum < 0n) {
      add(errors, 'adjustments', `the allowances of category ${rate.category} at ${percent} % are larger than its lines and charges`);
      continue;
    }
    const base = basis === 'exclusive' ? sum : baseOfGross(sum, percent);
    const shared = basis === 'exclusive' ? items.map((item) => ({ item, net: item.signed })) : shareOut(base, items, percent);
    for (const { item, net } of shared) {
      if (item.kind === 'line') {
        netLines[item.index] = net;
      } else {
        netAdjustments[item.index] = abs(net);
        if (item.kind === 'allowance') allowanceTotal += abs(net);
        else chargeTotal += abs(net);
      }
    }
    rows.push({ category: rate.category, percent, exemption: rate.exemption, base, tax: taxOn(base, percent) });
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  const lineTotal = netLines.reduce((sum, net) => sum + net, 0n);
  const netTotal = lineTotal - allowanceTotal + chargeTotal;
  const taxTotal = rows.reduce((sum, row) => sum + row.tax, 0n);
  const grossTotal = netTotal + taxTotal;
  if (grossTotal > MAX_AMOUNT) return { ok: false, errors: { lines: [`the total must be at most ${MAX_AMOUNT}`] } };
  // Every amount is now at most MAX_AMOUNT, below 2^53: a number holds it exactly.
  return {
    ok: true,
    totals: {
      lines: netLines.map(Number),
      adjustments: netAdjustments.map(Number),
      breakdown: rows.map((row) => ({ ...row, base: Number(row.base), tax: Number(row.tax) })),
      line_total: Number(lineTotal),
      allowance_total: Number(allowanceTotal),
      charge_total: Number(chargeTotal),
      net_total: Number(netTotal),
      tax_total: Number(taxTotal),
      gross_total: Number(grossTotal),
    },
  };
}
