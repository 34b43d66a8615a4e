/** V8 takes URL patterns (`urlRegex`, blackbox patterns) as regular expression source text. */

/** A pattern source matching exactly `url`. */
export function exactUrlPattern(url: string): string {
  return `^${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
}
