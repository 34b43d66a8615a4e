import { describe, expect, it } from 'vitest';
import { canonicalUrl, urlPattern } from '../../src/runners/node/url-pattern.js';

describe('urlPattern', () => {
  const matches = (url: string, candidate: string) => new RegExp(urlPattern(url)).test(candidate);

  it('matches a file URL however its characters are escaped', () => {
    const url = 'file:///srv/caf%C3%A9%20%5B1%5D%23/app.js';
    for (const spelling of [
      url,
      'file:///srv/café [1]#/app.js',
      'file:///srv/caf%C3%A9%20[1]%23/app.js',
      'file:///srv/caf%c3%a9%20%5b1%5d%23/app.js',
    ])
      expect(matches(url, spelling)).toBe(true);
  });

  it('matches nothing else', () => {
    expect(matches('file:///srv/a.js', 'file:///srv/aXjs')).toBe(false);
    expect(matches('file:///srv/a.js', 'file:///srv/a.js.map')).toBe(false);
    expect(matches('file:///srv/a%5B1%5D.js', 'file:///srv/a%5B1].jsx')).toBe(false);
    expect(matches('node:internal/timers', 'node:internal/timers')).toBe(true);
    expect(matches('node:internal/timers', 'node:internal/timersX')).toBe(false);
  });
});

describe('canonicalUrl', () => {
  it('spells file URLs as pathToFileURL does, and leaves other URLs alone', () => {
    expect(canonicalUrl('file:///srv/a[1]/b c.js')).toBe('file:///srv/a%5B1%5D/b%20c.js');
    expect(canonicalUrl('node:fs')).toBe('node:fs');
  });
});
