import { formatMoney, formatPrice, MAX_AMOUNT, parseMoney, toDecimalString } from './money';

describe('parseMoney', () => {
  it('reads decimals exactly, without floating point', () => {
    // 0.1 + 0.2 style inputs: a float parse would give 1000.0000000000001 minor units or similar.
    expect(parseMoney('10.01', 'USD')).toEqual({ ok: true, minor: 1001 });
    expect(parseMoney('0.29', 'USD')).toEqual({ ok: true, minor: 29 });
    expect(parseMoney('1,250.5', 'USD')).toEqual({ ok: true, minor: 125050 });
    expect(parseMoney('.5', 'EUR')).toEqual({ ok: true, minor: 50 });
    expect(parseMoney('7', 'USD')).toEqual({ ok: true, minor: 700 });
  });

  it('follows the currency’s minor units', () => {
    expect(parseMoney('1500', 'JPY')).toEqual({ ok: true, minor: 1500 });
    expect(parseMoney('1.5', 'JPY')).toMatchObject({ ok: false });
    expect(parseMoney('1.234', 'KWD')).toEqual({ ok: true, minor: 1234 });
    expect(parseMoney('1.234', 'USD')).toEqual({ ok: false, error: 'At most 2 decimal places' });
  });

  it('refuses what is not an amount', () => {
    for (const input of ['', ' ', 'abc', '1.2.3', '-5', '1e3', '.']) {
      expect(parseMoney(input, 'USD').ok).toBe(false);
    }
  });

  it('refuses amounts above the API’s limit', () => {
    expect(parseMoney('9999999999999.99', 'USD')).toEqual({ ok: true, minor: MAX_AMOUNT });
    expect(parseMoney('10000000000000.00', 'USD')).toEqual({ ok: false, error: 'This amount is too large' });
  });
});

describe('formatting', () => {
  it('writes minor units as decimals', () => {
    expect(toDecimalString(12345, 'USD')).toBe('123.45');
    expect(toDecimalString(5, 'USD')).toBe('0.05');
    expect(toDecimalString(1500, 'JPY')).toBe('1500');
    expect(toDecimalString(-1234, 'KWD')).toBe('-1.234');
    expect(toDecimalString(MAX_AMOUNT, 'USD')).toBe('9999999999999.99');
  });

  it('formats for people with the currency', () => {
    expect(formatMoney(12345, 'USD', 'en-US')).toBe('$123.45');
    expect(formatMoney(MAX_AMOUNT, 'USD', 'en-US')).toBe('$9,999,999,999,999.99');
    expect(formatMoney(1500, 'JPY', 'en-US')).toBe('¥1,500');
  });

  it('keeps every digit of a unit price finer than the minor unit', () => {
    expect(formatPrice('9.995', 'EUR', 'en-US')).toBe('€9.995');
    expect(formatPrice('19.9', 'EUR', 'en-US')).toBe('€19.90');
    expect(formatPrice('0.00125', 'USD', 'en-US')).toBe('$0.00125');
    expect(formatPrice('12.5', 'JPY', 'en-US')).toBe('¥12.5');
  });
});
