// ISO 3166-1 alpha-2 codes, named in the browser's language (Intl.DisplayNames), and the IANA
// time zones the browser knows, for the address and customer forms. The API checks both again.

const CODES = (
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR ' +
  'BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ ' +
  'EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW ' +
  'GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY ' +
  'KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV ' +
  'MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY ' +
  'QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG ' +
  'TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
).split(' ');

let names: Intl.DisplayNames | null = null;

/** `"DE"` as `"Germany"` (the code itself where the browser has no name). */
export function countryName(code: string, locale = 'en'): string {
  try {
    names ??= new Intl.DisplayNames([locale], { type: 'region' });
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}

/** Every country, by name. */
export function countries(): { code: string; name: string }[] {
  return CODES.map((code) => ({ code, name: countryName(code) })).sort((a, b) => a.name.localeCompare(b.name));
}

/** The IANA time zones, `UTC` first. */
export function timeZones(): string[] {
  let zones: string[] = [];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    zones = [];
  }
  return ['UTC', ...zones.filter((zone) => zone !== 'UTC')];
}

/** The browser's own time zone (a new customer's default guess is UTC, not this). */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export const LANGUAGES = [
  { code: 'en', name: 'English' },
  { code: 'de', name: 'German' },
  { code: 'fr', name: 'French' },
  { code: 'es', name: 'Spanish' },
] as const;

export function languageName(code: string): string {
  return LANGUAGES.find((language) => language.code === code)?.name ?? code;
}

export const TAX_ID_KINDS = [
  { code: 'eu_vat', name: 'EU VAT number', example: 'DE123456789' },
  { code: 'gb_vat', name: 'UK VAT number', example: 'GB123456789' },
  { code: 'ch_vat', name: 'Swiss VAT (UID)', example: 'CHE-123.456.789 MWST' },
  { code: 'us_ein', name: 'US EIN', example: '12-3456789' },
  { code: 'au_abn', name: 'Australian ABN', example: '51 824 753 556' },
  { code: 'ca_bn', name: 'Canadian BN', example: '123456789RT0001' },
  { code: 'other', name: 'Other tax number', example: '37/123/45678' },
] as const;

export function taxIdKindName(code: string): string {
  return TAX_ID_KINDS.find((kind) => kind.code === code)?.name ?? code;
}
