import { UNITS, unitLabel, unitName } from './units';

describe('units of measure', () => {
  it('are the API’s Recommendation 20 codes, each once', () => {
    expect(UNITS.map((unit) => unit.code)).toEqual([
      'C62', 'H87', 'SET', 'LS', 'MIN', 'HUR', 'DAY', 'WEE', 'MON', 'ANN',
      'KGM', 'GRM', 'TNE', 'MTR', 'KMT', 'MTK', 'MTQ', 'LTR', 'KWH', 'E48',
    ]);
  });

  it('have names for one and for many', () => {
    expect(unitName('HUR', '1')).toBe('hour');
    expect(unitName('HUR', '1.0')).toBe('hour');
    expect(unitName('HUR', '2.5')).toBe('hours');
    expect(unitName('MTK', '0.5')).toBe('square metres');
    expect(unitName('XYZ', '1')).toBe('XYZ');
    expect(unitLabel('KWH')).toBe('Kilowatt hour (KWH)');
  });
});
