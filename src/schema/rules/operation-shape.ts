import { GraphQLError, Kind, type ASTVisitor, type SelectionSetNode, type ValidationContext, type ValidationRule } from 'graphql';

/** Bounds on an operation's shape, so one request cannot make the server do unbounded work. */
export interface ShapeLimits {
  /** Aliased fields in the whole document. */
  maxAliases: number;
  /** Nesting of selections (fragments followed). */
  maxDepth: number;
}

/**
 * Refuses documents with more aliases or deeper selections than the limits (BAD_USER_INPUT). A
 * validation rule, so every transport applies it; the token limit is the parser's (see yoga.ts).
 */
export function operationShapeRule(limits: ShapeLimits): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    let aliases = 0;
    let reported = false;
    return {
      Field(node) {
        if (node.alias && ++aliases > limits.maxAliases && !reported) {
          reported = true;
          context.reportError(refusal('aliases', `An operation may have ${limits.maxAliases} aliases at most.`));
        }
      },
      OperationDefinition(node) {
        const depth = depthOf(node.selectionSet, context, new Set());
        if (depth > limits.maxDepth)
          context.reportError(refusal('depth', `An operation may nest ${limits.maxDepth} levels deep at most (this one: ${depth}).`));
      },
    };
  };
}

/** A refusal by a limit; `extensions.limit` names it (for clients and metrics). */
function refusal(limit: 'aliases' | 'depth', message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', limit } });
}

function depthOf(set: SelectionSetNode, context: ValidationContext, seen: Set<string>): number {
  let deepest = 0;
  for (const selection of set.selections) {
    let depth: number;
    if (selection.kind === Kind.FIELD) depth = selection.selectionSet ? 1 + depthOf(selection.selectionSet, context, seen) : 1;
    else if (selection.kind === Kind.INLINE_FRAGMENT) depth = depthOf(selection.selectionSet, context, seen);
    else {
      const name = selection.name.value;
      const fragment = context.getFragment(name);
      // A cycle is graphql's own validation error; here it just stops counting.
      if (!fragment || seen.has(name)) continue;
      seen.add(name);
      depth = depthOf(fragment.selectionSet, context, seen);
      seen.delete(name);
    }
    deepest = Math.max(deepest, depth);
  }
  return deepest;
}
