import SchemaBuilder from '@pothos/core';
import type { ApiContext } from './context.js';

/** The one Pothos builder; every type file registers itself on it. */
export const builder = new SchemaBuilder<{
  Context: ApiContext;
  DefaultFieldNullability: false;
}>({
  defaultFieldNullability: false,
});
