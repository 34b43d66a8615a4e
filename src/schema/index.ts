import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { builder } from './builder.js';
import './types/enums.js';
import './types/debug.js';
import './types/logs.js';
import './types/events.js';
import './types/session.js';
import './query.js';
import './mutation.js';
import './subscription.js';

let schema: GraphQLSchema | undefined;

/** The API schema (built once). */
export function buildApiSchema(): GraphQLSchema {
  schema ??= builder.toSchema({ sortSchema: false });
  return schema;
}

/** The schema as SDL, sorted so that diffs of `schema/schema.graphql` stay readable. */
export function printApiSchema(): string {
  return `${printSchema(lexicographicSortSchema(buildApiSchema()))}\n`;
}
