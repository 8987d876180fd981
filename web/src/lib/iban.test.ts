import { compactIban, groupIban, ibanChecks } from './iban';

describe('IBANs', () => {
  it('are shown in groups of four', () => {
    expect(groupIban('DE89370400440532013000')).toBe('DE89 3704 0044 0532 0130 00');
    expect(groupIban(' gb29 nwbk 6016 1331 9268 19')).toBe('GB29 NWBK 6016 1331 9268 19');
    expect(compactIban('DE89 3704 0044 0532 0130 00')).toBe('DE89370400440532013000');
  });

  it('are checked by their mod-97 digits', () => {
    expect(ibanChecks('DE89 3704 0044 0532 0130 00')).toBe(true);
    expect(ibanChecks('GB29NWBK60161331926819')).toBe(true);
    expect(ibanChecks('DE89 3704 0044 0532 0130 01')).toBe(false);
    expect(ibanChecks('DE89')).toBe(false);
  });
});
