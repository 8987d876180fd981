// Units of measure of invoice lines by their UN/ECE Recommendation 20 codes, the ones the API
// accepts (workflows/src/domain/unit.rs), with the names a person picks them by.

import type { UnitCode } from '../api/types';

/** Every unit the API accepts, in its order, with its name (singular, plural). */
export const UNITS: readonly { code: UnitCode; one: string; many: string }[] = [
  { code: 'C62', one: 'unit', many: 'units' },
  { code: 'H87', one: 'piece', many: 'pieces' },
  { code: 'SET', one: 'set', many: 'sets' },
  { code: 'LS', one: 'lump sum', many: 'lump sums' },
  { code: 'MIN', one: 'minute', many: 'minutes' },
  { code: 'HUR', one: 'hour', many: 'hours' },
  { code: 'DAY', one: 'day', many: 'days' },
  { code: 'WEE', one: 'week', many: 'weeks' },
  { code: 'MON', one: 'month', many: 'months' },
  { code: 'ANN', one: 'year', many: 'years' },
  { code: 'KGM', one: 'kilogram', many: 'kilograms' },
  { code: 'GRM', one: 'gram', many: 'grams' },
  { code: 'TNE', one: 'tonne', many: 'tonnes' },
  { code: 'MTR', one: 'metre', many: 'metres' },
  { code: 'KMT', one: 'kilometre', many: 'kilometres' },
  { code: 'MTK', one: 'square metre', many: 'square metres' },
  { code: 'MTQ', one: 'cubic metre', many: 'cubic metres' },
  { code: 'LTR', one: 'litre', many: 'litres' },
  { code: 'KWH', one: 'kilowatt hour', many: 'kilowatt hours' },
  { code: 'E48', one: 'service unit', many: 'service units' },
];

/** The API's default unit (`C62`, "one"). */
export const DEFAULT_UNIT: UnitCode = 'C62';

/** The name of `code` for `quantity` (a decimal string): `"hour"` for 1, `"hours"` for 1.5. */
export function unitName(code: string, quantity = '2'): string {
  const unit = UNITS.find((candidate) => candidate.code === code);
  if (!unit) return code;
  return /^0*1(\.0*)?$/.test(quantity.trim()) ? unit.one : unit.many;
}

/** The label of the unit select: `"Hour (HUR)"`. */
export function unitLabel(code: string): string {
  const unit = UNITS.find((candidate) => candidate.code === code);
  return unit ? `${unit.one.charAt(0).toUpperCase()}${unit.one.slice(1)} (${code})` : code;
}
