import { Kind, type ExecutionResult, type FieldNode, type ValidatedExecutionArgs } from 'graphql';
import type { LogBatch } from '../logs/log-batch.js';
import type { LogBlock } from '../logs/log-block.js';
import { isoTime } from '../logs/log-line.js';
import { escapeBatch, type EscapedBlock } from '../logs/log-json.js';
import { RawJson } from './raw-json.js';

/**
 * The LogLine fields a plain selection may ask for, and how line `i` of a block writes each as
 * JSON (`e`: the block's lines escaped, shared with the other transports).
 */
const FIELD_JSON: Record<string, (block: LogBlock, i: number, e: EscapedBlock) => string> = {
  seq: (b, i) => `"${b.firstSeq + i}"`,
  stream: (b) => `"${b.stream}"`,
  text: (_b, i, e) => `"${e.json.slice(e.cuts[2 * i], e.cuts[2 * i + 1])}"`,
  time: (b) => `"${isoTime(b.time)}"`,
  generation: (b) => String(b.generation),
  __typename: () => '"LogLine"',
};

/** Builds one event's result straight from a batch of lines. */
export type LogBatchEncoder = (batch: LogBatch) => ExecutionResult;

/**
 * A `logLines` subscription whose selection is plain (scalar fields of LogLine, aliases allowed;
 * no fragments, directives or other root fields) gives the same JSON whatever runs it, so its
 * batches are written as JSON directly: no GraphQL execution, no per-line result objects, and
 * one string per batch. Returns undefined for any other operation (normal execution applies).
 */
export function logLinesFastPath(args: ValidatedExecutionArgs): LogBatchEncoder | undefined {
  const { operation } = args;
  if (operation.operation !== 'subscription' || operation.directives?.length) return undefined;
  const roots = operation.selectionSet.selections;
  const root = roots[0];
  if (roots.length !== 1 || root?.kind !== Kind.FIELD || root.name.value !== 'logLines' || root.directives?.length) return undefined;
  const fields: Array<{ prefix: string; json: (block: LogBlock, i: number, e: EscapedBlock) => string }> = [];
  const seen = new Set<string>();
  for (const selection of root.selectionSet?.selections ?? []) {
    if (selection.kind !== Kind.FIELD || selection.directives?.length || selection.arguments?.length || selection.selectionSet)
      return undefined;
    const json = FIELD_JSON[selection.name.value];
    if (!json) return undefined;
    const key = responseKey(selection);
    // Validation made a repeated response key the same field: GraphQL writes it once, first place.
    if (seen.has(key)) continue;
    seen.add(key);
    fields.push({ prefix: `${JSON.stringify(key)}:`, json });
  }
  if (fields.length === 0) return undefined;
  const rootKey = responseKey(root);
  return (batch) => {
    let out = '';
    const escaped = escapeBatch(batch);
    for (let b = 0; b < batch.blocks.length; b++) {
      const block = batch.blocks[b] as LogBlock;
      const e = escaped[b] as EscapedBlock;
      for (let i = 0; i < block.count; i++) {
        out += out === '' ? '{' : ',{';
        for (let f = 0; f < fields.length; f++) {
          const field = fields[f] as (typeof fields)[number];
          out += (f === 0 ? '' : ',') + field.prefix + field.json(block, i, e);
        }
        out += '}';
      }
    }
    return { data: { [rootKey]: new RawJson(`[${out}]`) } };
  };
}

function responseKey(field: FieldNode): string {
  return field.alias?.value ?? field.name.value;
}
