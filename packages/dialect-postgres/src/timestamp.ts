import { parseTimestampText } from '@athanor/core';

/** `timestamp` (without time zone) text as PostgreSQL sends it, read as UTC wall-clock time. */
export function parseTimestampUTC(text: string): Date | string {
  // The common form by arithmetic; 'infinity', BC dates and years past 9999 the general way.
  const ms = parseTimestampText(text);
  return Number.isNaN(ms) ? parseGeneral(text) : new Date(ms);
}

/** Every other form: 'infinity', years past 9999, BC dates. */
function parseGeneral(text: string): Date | string {
  if (text === 'infinity' || text === '-infinity') return text;
  const bc = text.endsWith(' BC');
  const m = /^(\d{4,})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d+))?/.exec(text);
  if (!m) return new Date(`${text}Z`);
  let year = Number(m[1]);
  if (bc) year = 1 - year;
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  const d = new Date(
    Date.UTC(2000, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms),
  );
  d.setUTCFullYear(year);
  return d;
}
