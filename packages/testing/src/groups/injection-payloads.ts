/**
 * Hostile text, one entry per family, for the injection group: each is tried as every kind
 * of identifier and as every kind of value. `refusedAsName` says which dialects must refuse
 * it as an identifier (with ArgumentError, before anything is sent); `refusedAsText` which
 * must refuse it as a bound text value (PostgreSQL keeps no NUL in text).
 */
export interface Payload {
  family: string;
  text: string;
  refusedAsName?: (dialect: string) => boolean;
  refusedAsText?: (dialect: string) => boolean;
  /** Dialects that refuse it in a LIKE pattern (SQLite's LIKE stops at a NUL). */
  refusedInLike?: (dialect: string) => boolean;
}

const always = () => true;
const postgres = (d: string) => d === 'postgresql';
const mysql = (d: string) => d === 'mysql';
const sqlite = (d: string) => d === 'sqlite';

export const PAYLOADS: readonly Payload[] = [
  { family: 'single quotes', text: "o'neil' OR '1'='1" },
  { family: 'double quotes and backticks', text: 'a"b`c""d``' },
  { family: 'backslash before a quote', text: "x\\' OR 1=1 -- \\" },
  { family: 'trailing backslash', text: 'x\\' },
  { family: 'comment openers', text: 'a -- b /* c # d */ e' },
  { family: 'statement separator', text: '1; DROP TABLE cs_guard; --' },
  { family: 'NUL', text: 'a\u0000b', refusedAsName: always, refusedAsText: postgres, refusedInLike: sqlite },
  { family: 'forged bind marker', text: 'x\u00000\u0000y', refusedAsName: always, refusedAsText: postgres, refusedInLike: sqlite },
  { family: 'emoji (outside the Basic Multilingual Plane)', text: 'a😀b', refusedAsName: mysql },
  { family: 'homoglyphs and bidirectional marks', text: 'ѕеlеct\u202Eevil\u200B\u2066' },
  { family: 'placeholder look-alikes', text: '$1 ? :name ?? %s @p1 \\:x' },
  { family: 'JSON path', text: '$.a"b[0]->>\'c\'' },
  { family: 'LIKE metacharacters', text: '50%_off[!]^\\' },
  { family: 'numbers as strings', text: '1 OR 1=1' },
  { family: 'prototype key', text: '__proto__', refusedAsName: mysql },
  { family: 'constructor key', text: 'constructor' },
];

/** A megabyte of text ending in hostile characters (values only: names have limits). */
export const MEGABYTE = `${'a'.repeat(1 << 20)}'; DROP TABLE cs_guard; --\\`;
