// The shared vectors (workflows/tests/vectors/totals.json, written by the server's arithmetic):
// the web app's arithmetic must give every one of their totals exactly.

import { computeTotals, type Adjustment, type PriceBasis, type PricedLine, type Totals } from './totals';

interface Vector {
  name: string;
  basis: PriceBasis;
  lines: PricedLine[];
  adjustments: Adjustment[];
  totals: Totals;
}

// Node's fs, which the test runner provides; the app's own types leave Node out, and the file
// is outside web/, so it is read at run time (relative to web/, where the tests run) rather
// than imported.
const fs = (await import('node:fs' as string)) as { readFileSync(path: string, encoding: 'utf8'): string };
const vectors = JSON.parse(fs.readFileSync('../workflows/tests/vectors/totals.json', 'utf8')) as Vector[];

describe('the invoice arithmetic', () => {
  it('has the shared vectors to check', () => {
    expect(vectors.length).toBeGreaterThan(60);
  });

  it.each(vectors.map((vector) => [vector.name, vector] as const))('%s adds up as on the server', (_, vector) => {
    const outcome = computeTotals(vector.basis, vector.lines, vector.adjustments);
    expect(outcome).toEqual({ ok: true, totals: vector.totals });
  });

  it('names the fields that are wrong, as the API does', () => {
    const rate = { category: 'S' as const, percent: '19', exemption: null };
    const outcome = computeTotals(
      'exclusive',
      [
        { quantity: '0', unit_price: '100', discount: null, rate },
        { quantity: '1.00001', unit_price: '100', discount: null, rate },
        { quantity: '1', unit_price: '-1', discount: null, rate },
        { quantity: '1', unit_price: '100', discount: { amount: 101 }, rate },
      ],
      [],
    );
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(Object.keys(outcome.errors).sort()).toEqual([
        'lines[0].quantity',
        'lines[1].quantity',
        'lines[2].unit_price',
        'lines[3].discount',
      ]);
    }
  });
});
