// Invoice number formats (`INV-{YYYY}-{SEQ:5}`), read the way the API reads them
// (workflows/src/domain/number_format.rs), for the live preview in Settings.

import type { SequenceReset } from '../api/types';

const MAX_PATTERN_CHARS = 40;
const MAX_SEQ_DIGITS = 12;

type Part = { text: string } | { year: 4 | 2 } | { month: true } | { sequence: number };

function parts(pattern: string): Part[] | string {
  const result: Part[] = [];
  let text = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i] ?? '';
    if (c === '{') {
      const end = pattern.indexOf('}', i);
      if (end < 0) return "has a '{' without its '}'";
      const token = pattern.slice(i + 1, end);
      i = end;
      let part: Part;
      if (token === 'YYYY') part = { year: 4 };
      else if (token === 'YY') part = { year: 2 };
      else if (token === 'MM') part = { month: true };
      else if (token === 'SEQ') part = { sequence: 1 };
      else if (/^SEQ:\d+$/.test(token)) {
        const digits = Number(token.slice(4));
        if (digits < 1 || digits > MAX_SEQ_DIGITS) return `{${token}}: the sequence pads to 1 to ${MAX_SEQ_DIGITS} digits`;
        part = { sequence: digits };
      } else return `{${token}} is not a placeholder: use {YYYY}, {YY}, {MM}, {SEQ} or {SEQ:n}`;
      if (text) result.push({ text });
      text = '';
      result.push(part);
    } else if (/^[A-Za-z0-9_.-]$/.test(c)) {
      text += c;
    } else {
      return `may hold only letters A–Z, digits, '-', '_', '.' and placeholders, not '${c}'`;
    }
  }
  if (text) result.push({ text });
  const first = result[0];
  if (first && 'text' in first && first.text.startsWith('.')) return "must not start with '.'";
  return result;
}

export type FormatCheck = { ok: true; render: (issueDate: string, sequence: number) => string } | { ok: false; error: string };

/** Checks a pattern and its reset rule; when valid, renders the numbers it gives. */
export function checkNumberFormat(pattern: string, reset: SequenceReset): FormatCheck {
  const trimmed = pattern.trim();
  if (!trimmed) return { ok: false, error: 'Must not be empty; use e.g. INV-{SEQ:6}' };
  if ([...trimmed].length > MAX_PATTERN_CHARS) return { ok: false, error: `Must be at most ${MAX_PATTERN_CHARS} characters` };
  const read = parts(trimmed);
  if (typeof read === 'string') return { ok: false, error: read.charAt(0).toUpperCase() + read.slice(1) };
  if (read.filter((part) => 'sequence' in part).length !== 1) {
    return { ok: false, error: 'Must contain {SEQ} (or {SEQ:n}) exactly once' };
  }
  if (reset === 'yearly' && !read.some((part) => 'year' in part)) {
    return { ok: false, error: 'Must show the year ({YYYY} or {YY}) when the sequence restarts every year' };
  }
  return {
    ok: true,
    render: (issueDate, sequence) =>
      read
        .map((part) => {
          if ('text' in part) return part.text;
          if ('year' in part) return part.year === 4 ? issueDate.slice(0, 4) : issueDate.slice(2, 4);
          if ('month' in part) return issueDate.slice(5, 7);
          return String(sequence).padStart(part.sequence, '0');
        })
        .join(''),
  };
}
