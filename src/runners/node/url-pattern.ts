/**
 * Script URLs as V8 names them, and patterns that find them. Node's `pathToFileURL` and the URL
 * V8 gives a CommonJS module do not escape the same characters (`[` and `]` are `%5B` `%5D` in
 * one and as they are in the other), so file URLs are compared in one canonical form and V8 is
 * given patterns that accept either.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';

/** One spelling of a file URL (`pathToFileURL`'s); other URLs as they are. */
export function canonicalUrl(url: string): string {
  if (!url.startsWith('file:')) return url;
  try {
    return pathToFileURL(fileURLToPath(url)).href;
  } catch {
    return url;
  }
}

/** A pattern source (V8 `urlRegex`, blackbox patterns) matching exactly `url`, however a file URL is escaped. */
export function urlPattern(url: string): string {
  const canonical = canonicalUrl(url);
  if (!canonical.startsWith('file:')) return `^${escapeRegExp(canonical)}$`;
  // Each escaped character may also appear as itself (V8 and Node do not escape the same ones).
  const body = canonical.replace(/((?:%[0-9A-F]{2})+)|([^%]+)/gi, (run: string, escapes: string | undefined, text: string | undefined) => {
    if (text !== undefined) return escapeRegExp(text);
    let decoded: string;
    try {
      decoded = decodeURIComponent(escapes ?? '');
    } catch {
      return escapeRegExp(run); // Not UTF-8: only this spelling.
    }
    return [...decoded].map((char) => `(?:${escapedSpellings(char)}|${escapeRegExp(char)})`).join('');
  });
  return `^${body}$`;
}

/** `%XX` escapes of a character's UTF-8 bytes, hex digits in either case. */
function escapedSpellings(char: string): string {
  return [...Buffer.from(char, 'utf8')].map((byte) => `%(?:${hex(byte).toUpperCase()}|${hex(byte).toLowerCase()})`).join('');
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
