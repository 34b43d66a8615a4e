/** Unit tests of the Node runner's pure parts (no debuggee). */
import { describe, expect, it } from 'vitest';
import { BannerFilter } from '../../src/runners/node/banner-filter.js';
import { buildDebuggeeEnv } from '../../src/runners/debuggee-env.js';
import { compileHitCondition } from '../../src/runners/node/hit-condition.js';
import { classifyBannerLine, parseInspectorUrl } from '../../src/runners/node/inspector-url.js';
import { breakpointCondition, parseLogTemplate } from '../../src/runners/node/logpoint.js';
import { formatFunction, formatValue } from '../../src/runners/node/remote-object.js';

describe('inspector banner', () => {
  it('parses the URL and classifies banner lines', () => {
    expect(parseInspectorUrl('Debugger listening on ws://127.0.0.1:9229/abc-def')).toBe('ws://127.0.0.1:9229/abc-def');
    expect(parseInspectorUrl('hello')).toBeUndefined();
    expect(classifyBannerLine('Debugger listening on ws://127.0.0.1:1/x\r')).toBe('listening');
    expect(classifyBannerLine('For help, see: https://nodejs.org/en/docs/inspector')).toBe('help');
    expect(classifyBannerLine('For help, see: https://nodejs.org/learn/getting-started/debugging')).toBe('help'); // Node 24
    expect(classifyBannerLine('For help, see: https://nodejs.org/ and more')).toBeUndefined();
    expect(classifyBannerLine('Debugger attached.')).toBe('attached');
    expect(classifyBannerLine('Waiting for the debugger to disconnect...')).toBe('waiting-for-disconnect');
    expect(classifyBannerLine('Debugger attached. Or not')).toBeUndefined();
  });

  it('filters banner lines out of a chunked stream', () => {
    const seen: string[] = [];
    const filter = new BannerFilter((kind) => seen.push(kind));
    let out = '';
    for (const chunk of [
      'Debugger listen',
      'ing on ws://127.0.0.1:1/x\nFor help, see: https://nodejs.org/en/docs/inspector\n',
      'oops\nDebu',
      'gger attached.\npartial',
      ' line',
      '\nWaiting for the debugger to disconnect...\nD',
    ]) {
      out += filter.push(chunk);
    }
    out += filter.flush();
    expect(out).toBe('oops\npartial line\nD');
    expect(seen).toEqual(['listening', 'help', 'attached', 'waiting-for-disconnect']);
  });

  it('passes ordinary partial output through at once', () => {
    const filter = new BannerFilter(() => {});
    expect(filter.push('progress 10%')).toBe('progress 10%');
    expect(filter.push('Deb')).toBe('');
    expect(filter.push('ug info\n')).toBe('Debug info\n');
  });
});

describe('environment', () => {
  it('drops server, vitest and node control variables, then merges extras', () => {
    const env = buildDebuggeeEnv(
      {
        PATH: '/bin',
        DEBUG_SERVER_TOKEN: 't',
        NODE_OPTIONS: '--x',
        NODE_INSPECT_RESUME_ON_START: '1',
        VITEST: 'true',
        VITEST_POOL_ID: '1',
        KEEP: 'k',
      },
      { EXTRA: 'e', KEEP: 'override' },
    );
    expect(env).toEqual({ PATH: '/bin', KEEP: 'override', EXTRA: 'e' });
  });
});

describe('hit conditions', () => {
  it('compiles every operator', () => {
    const hits = (expr: string): number[] => [1, 2, 3, 4, 5, 6].filter((n) => compileHitCondition(expr)!(n));
    expect(hits('3')).toEqual([3]);
    expect(hits('== 3')).toEqual([3]);
    expect(hits('>= 5')).toEqual([5, 6]);
    expect(hits('> 5')).toEqual([6]);
    expect(hits('< 3')).toEqual([1, 2]);
    expect(hits('<=2')).toEqual([1, 2]);
    expect(hits('% 2')).toEqual([2, 4, 6]);
    expect(compileHitCondition('often')).toBeUndefined();
    expect(compileHitCondition('% 0')).toBeUndefined();
  });
});

describe('logpoints', () => {
  it('splits templates into text and expressions', () => {
    expect(parseLogTemplate('x={x}, y={ {a: 1}.a } {unclosed')).toEqual([
      { text: 'x=' },
      { expression: 'x' },
      { text: ', y=' },
      { expression: '{a: 1}.a' },
      { text: ' {unclosed' },
    ]);
  });

  it('builds conditions that never stop for logpoints', () => {
    expect(breakpointCondition({}, 'M', true)).toBeUndefined();
    expect(breakpointCondition({ condition: 'a > 1' }, 'M', true)).toBe('(a > 1\n)');
    const log = breakpointCondition({ logMessage: 'v {v}', condition: 'ok' }, 'M', true)!;
    expect(log).toContain('"M"');
    expect(log.endsWith(', false) : false)')).toBe(true);
    // With a hit condition the runner logs itself: only the user's condition goes to V8.
    expect(breakpointCondition({ logMessage: 'v', condition: 'ok' }, 'M', false)).toBe('(ok\n)');
  });
});

describe('value formatting', () => {
  it('formats primitives like JavaScript prints them', () => {
    expect(formatValue({ type: 'string', value: 'a"b' })).toBe('"a\\"b"');
    expect(formatValue({ type: 'number', value: 1.5, description: '1.5' })).toBe('1.5');
    expect(formatValue({ type: 'number', unserializableValue: '-0', description: '-0' })).toBe('-0');
    expect(formatValue({ type: 'object', subtype: 'null', value: null })).toBe('null');
    expect(formatValue({ type: 'string', value: 'y'.repeat(2000) })).toHaveLength(1000);
  });

  it('formats functions and classes', () => {
    expect(formatFunction('function foo(a, b) { return a; }')).toBe('ƒ foo(a, b)');
    expect(formatFunction('async function* gen() {}')).toBe('async ƒ gen()');
    expect(formatFunction('class Foo extends Bar {}')).toBe('class Foo');
    expect(formatFunction('(a, b) => a + b')).toBe('ƒ (a, b) => …');
    expect(formatFunction('x => x')).toBe('ƒ (x) => …');
    expect(formatFunction('method(a) { }')).toBe('ƒ method(a)');
    expect(formatFunction('function push() { [native code] }')).toBe('ƒ push()');
  });
});
