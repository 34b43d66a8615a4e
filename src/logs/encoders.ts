/**
 * A log batch in each wire format, written in one place: the JSON object of a line
 * (`{"seq","stream","text","time","generation"}`, the `LogLine` type's fields) and the formats
 * built from it: NDJSON, SSE events, a JSON array, and plain text. Encodings are cached per batch,
 * so every reader of a live batch shares one string. (GraphQL's own selection-shaped JSON is
 * http/log-lines-fast-path.ts; it shares the escaped text, log-json.ts.)
 */
import type { LogBatch } from './log-batch.js';
import type { LogBlock } from './log-block.js';
import { escapeBatch, type EscapedBlock } from './log-json.js';
import { isoTime } from './log-line.js';

/** The streaming formats. */
export type StreamFormat = 'sse' | 'ndjson' | 'text';

const cache: Record<StreamFormat | 'array', WeakMap<LogBatch, string>> = {
  sse: new WeakMap(),
  ndjson: new WeakMap(),
  text: new WeakMap(),
  array: new WeakMap(),
};

/** A batch as text of a stream format: `ndjson` an object a line, `sse` a `log` event a line (id: seq), `text` the lines. */
export function encodeLogBatch(batch: LogBatch, format: StreamFormat): string {
  return cached(batch, format, () => {
    if (format === 'text') return batch.blocks.map((block) => block.text.slice(block.bounds[0], block.bounds[block.count])).join('');
    let out = '';
    forEachLineJson(batch, (json, seq) => (out += format === 'sse' ? `id: ${seq}\nevent: log\ndata: ${json}\n\n` : `${json}\n`));
    return out;
  });
}

/** The batch's lines as a JSON array of line objects. */
export function jsonArrayOf(batch: LogBatch): string {
  return cached(batch, 'array', () => {
    const lines: string[] = [];
    forEachLineJson(batch, (json) => lines.push(json));
    return `[${lines.join(',')}]`;
  });
}

function cached(batch: LogBatch, key: StreamFormat | 'array', encode: () => string): string {
  let out = cache[key].get(batch);
  if (out === undefined) {
    out = encode();
    cache[key].set(batch, out);
  }
  return out;
}

/** Every line's JSON object, in order; what a block's lines share is encoded once. */
function forEachLineJson(batch: LogBatch, each: (json: string, seq: number) => void): void {
  const escaped = escapeBatch(batch);
  for (let b = 0; b < batch.blocks.length; b++) {
    const block = batch.blocks[b] as LogBlock;
    const { json: text, cuts } = escaped[b] as EscapedBlock;
    const shared = `","stream":"${block.stream}","text":"`;
    const tail = `","time":"${isoTime(block.time)}","generation":${block.generation}}`;
    for (let i = 0; i < block.count; i++) {
      const seq = block.firstSeq + i;
      each(`{"seq":"${seq}${shared}${text.slice(cuts[2 * i], cuts[2 * i + 1])}${tail}`, seq);
    }
  }
}
