// IBANs (ISO 13616) as people read them: in groups of four, upper case. The API checks them
// for good (check digits and each country's length); the form checks the check digits first so
// that a typo is found before the request.

/** The IBAN without spaces, upper case (its electronic form). */
export function compactIban(text: string): string {
  return text.replace(/[\s-]+/g, '').toUpperCase();
}

/** `DE89370400440532013000` as `DE89 3704 0044 0532 0130 00`. */
export function groupIban(text: string): string {
  return compactIban(text).replace(/(.{4})(?=.)/g, '$1 ');
}

/** Whether the IBAN's form and its mod-97 check digits are right (ISO 7064). */
export function ibanChecks(text: string): boolean {
  const iban = compactIban(text);
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const character of rearranged) {
    const digits = /\d/.test(character) ? character : String(character.charCodeAt(0) - 55);
    for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}
