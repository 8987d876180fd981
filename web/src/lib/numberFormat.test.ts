import { checkNumberFormat } from './numberFormat';

function render(pattern: string, reset: 'never' | 'yearly', day: string, sequence: number) {
  const format = checkNumberFormat(pattern, reset);
  return format.ok ? format.render(day, sequence) : format.error;
}

describe('number formats', () => {
  it('render as the API renders them', () => {
    expect(render('INV-{YYYY}-{SEQ:5}', 'yearly', '2026-12-06', 42)).toBe('INV-2026-00042');
    expect(render('RE{YY}{MM}-{SEQ}', 'never', '2026-03-01', 7)).toBe('RE2603-7');
    expect(render('INV-{SEQ:6}', 'never', '2026-03-01', 1234567)).toBe('INV-1234567');
  });

  it('say what is wrong with a pattern', () => {
    expect(render('INV', 'never', '2026-01-01', 1)).toBe('Must contain {SEQ} (or {SEQ:n}) exactly once');
    expect(render('INV-{SEQ}', 'yearly', '2026-01-01', 1)).toMatch(/^Must show the year/);
    expect(render('INV {SEQ}', 'never', '2026-01-01', 1)).toMatch(/not ' '/);
    expect(render('INV-{DD}-{SEQ}', 'never', '2026-01-01', 1)).toMatch(/is not a placeholder/);
    expect(render('INV-{SEQ:13}', 'never', '2026-01-01', 1)).toMatch(/1 to 12 digits/);
  });
});
