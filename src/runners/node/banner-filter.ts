/**
 * Removes the inspector's banner lines from the debuggee's stderr stream while passing
 * everything else through as soon as possible (no line buffering of ordinary output).
 */
import { BANNER_PREFIXES, classifyBannerLine, type BannerKind } from './inspector-url.js';

/** Stateful filter for one stderr stream. */
export class BannerFilter {
  private partial = '';

  /** @param onBanner called for each banner line removed, with its kind and text. */
  constructor(private readonly onBanner: (kind: BannerKind, line: string) => void) {}

  /** Feeds decoded text; returns the text to emit (possibly empty). */
  push(text: string): string {
    const data = this.partial + text;
    this.partial = '';
    let out = '';
    let start = 0;
    for (let nl = data.indexOf('\n', start); nl !== -1; nl = data.indexOf('\n', start)) {
      const line = data.slice(start, nl);
      const kind = classifyBannerLine(line);
      if (kind) this.onBanner(kind, line);
      else out += data.slice(start, nl + 1);
      start = nl + 1;
    }
    const rest = data.slice(start);
    // Hold back an unterminated tail only while it could still turn into a banner line.
    if (rest && couldBeBanner(rest)) this.partial = rest;
    else out += rest;
    return out;
  }

  /** Returns whatever is held back (call at end of stream). */
  flush(): string {
    const rest = this.partial;
    this.partial = '';
    if (rest && classifyBannerLine(rest)) {
      this.onBanner(classifyBannerLine(rest) as BannerKind, rest);
      return '';
    }
    return rest;
  }
}

function couldBeBanner(partial: string): boolean {
  return BANNER_PREFIXES.some((prefix) => prefix.startsWith(partial) || partial.startsWith(prefix));
}
