import { executeSubscriptionEvent, parse, validateSubscriptionArgs } from 'graphql';
import { describe, expect, it } from 'vitest';
import { logLinesFastPath } from '../../src/http/log-lines-fast-path.js';
import { RawJson, rawJsonCodec } from '../../src/http/raw-json.js';
import { buildApiSchema } from '../../src/schema/index.js';
import { LogBatch } from '../../src/logs/log-batch.js';
import { LogBlock, runOf } from '../../src/logs/log-block.js';

type Validated = Exclude<ReturnType<typeof validateSubscriptionArgs>, readonly unknown[]>;

function validated(query: string): Validated {
  const args = validateSubscriptionArgs({ schema: buildApiSchema(), document: parse(query) });
  if (!('schema' in args)) throw new Error('invalid');
  return args;
}

const texts = ['plain', 'with "quotes" and \\ backslash', 'tab\there', '\u0001 control', 'unicode é ✓ \uD83D\uDE00', ''];
const run = runOf(texts);
const batch = new LogBatch([
  new LogBlock(41, 'STDOUT', 2, Date.UTC(2026, 0, 2, 3, 4, 5, 6), run.text, run.bounds).slice(1),
  LogBlock.of({ seq: 47, stream: 'SYSTEM', text: 'process exited with code 0', time: 0, generation: 2 }),
]);

describe('logLines fast path', () => {
  it.each([
    'subscription { logLines(sessionId: "s") { seq stream text } }',
    'subscription { logLines(sessionId: "s") { text time generation seq stream __typename } }',
    'subscription S { lines: logLines(sessionId: "s", after: "0") { n: seq text t: text seq } }',
  ])('writes the JSON that GraphQL execution would: %s', async (query) => {
    const args = validated(query);
    const encode = logLinesFastPath(args)!;
    expect(encode).toBeDefined();
    const fast = encode(batch);
    const slow = await executeSubscriptionEvent({ ...args, rootValue: batch });
    const [key] = Object.keys(fast.data!);
    const expected = JSON.parse(JSON.stringify(slow)) as { data: Record<string, unknown> };
    expect(JSON.parse((fast.data![key!] as RawJson).json)).toEqual(expected.data[key!]);
  });

  it.each([
    'subscription { logLines(sessionId: "s") { ...F } } fragment F on LogLine { seq }',
    'subscription { logLines(sessionId: "s") { seq @include(if: true) } }',
    'subscription { logLines(sessionId: "s") @skip(if: false) { seq } }',
    'subscription { sessionEvents(sessionId: "s") { kind } }',
  ])('leaves any other operation to GraphQL execution: %s', (query) => {
    expect(logLinesFastPath(validated(query))).toBeUndefined();
  });
});

describe('RawJson over graphql-ws', () => {
  it('is spliced into the message JSON.stringify made, in order', () => {
    const { replacer: rawJsonReplacer, splice: spliceRawJson } = rawJsonCodec();
    const message = JSON.stringify(
      { id: '1', type: 'next', payload: { data: { a: new RawJson('[1,"x"]'), b: new RawJson('{}') } } },
      rawJsonReplacer,
    );
    expect(JSON.parse(spliceRawJson(message))).toEqual({ id: '1', type: 'next', payload: { data: { a: [1, 'x'], b: {} } } });
    expect(spliceRawJson('{"plain":true}')).toBe('{"plain":true}');
  });

  it('forgets texts of a message that was never sent', async () => {
    const { replacer: rawJsonReplacer, splice: spliceRawJson } = rawJsonCodec();
    JSON.stringify({ a: new RawJson('1') }, rawJsonReplacer);
    await Promise.resolve();
    expect(spliceRawJson('{"b":2}')).toBe('{"b":2}');
  });

  it("keeps one codec's texts from another's", () => {
    const one = rawJsonCodec();
    const two = rawJsonCodec();
    const message = JSON.stringify({ a: new RawJson('[1]') }, one.replacer);
    expect(two.splice(message)).toBe(message);
    expect(JSON.parse(one.splice(message))).toEqual({ a: [1] });
  });
});
