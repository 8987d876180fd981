// The shared vectors (workflows/tests/vectors/totals.json, written by the server's arithmetic):
// the web app's arithmetic must give every one of their totals exactly. With TOTALS_VECTORS set
// to a file of the same form (scripts/test writes 10,000 random invoices there with the
// server's `totals_vectors` example), every one of those too.

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
const read = (path: string) => JSON.parse(fs.readFileSync(path, 'utf8')) as Vector[];
const vectors = read('../workflows/tests/vectors/totals.json');
const environment = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env;
const more = environment?.TOTALS_VECTORS;

describe('the invoice arithmetic', () => {
  it('has the shared vectors to check', () => {
    expect(vectors.length).toBeGreaterThan(60);
  });

  it.each(vectors.map((vector) => [vector.name, vector] as const))('%s adds up as on the server', (_, vector) => {
    const outcome = computeTotals(vector.basis, vector.lines, vector.adjustments);
    expect(outcome).toEqual({ ok: true, totals: vector.totals });
  });

  it.runIf(more !== undefined)('adds up as on the server for every invoice of TOTALS_VECTORS', () => {
    const random = read(more ?? '');
    expect(random.length).toBeGreaterThan(0);
    // One test, the first difference named: ten thousand cases would drown the report.
    for (const vector of random) {
      const outcome = computeTotals(vector.basis, vector.lines, vector.adjustments);
      expect(outcome, vector.name).toEqual({ ok: true, totals: vector.totals });
    }
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
