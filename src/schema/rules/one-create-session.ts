import { GraphQLError, Kind, type ASTVisitor, type SelectionSetNode, type ValidationContext } from 'graphql';

/**
 * At most one `createSession` per operation, aliases and fragments included: each one starts a
 * process, and an operation whose result is `data: null` (one of thirty failing) would leave the
 * caller with running programs and no ids. A validation rule, so every transport applies it.
 */
export function OneCreateSessionRule(context: ValidationContext): ASTVisitor {
  return {
    OperationDefinition(node) {
      if (node.operation !== 'mutation') return;
      const count = countField(node.selectionSet, 'createSession', context, new Set());
      if (count > 1) {
        context.reportError(
          new GraphQLError(`An operation may create one session at most (this one has ${count} createSession fields).`, {
            nodes: node,
            extensions: { code: 'BAD_USER_INPUT', limit: 'create_sessions_per_operation' },
          }),
        );
      }
    },
  };
}

function countField(set: SelectionSetNode, name: string, context: ValidationContext, seen: Set<string>): number {
  let count = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value === name) count++;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      count += countField(selection.selectionSet, name, context, seen);
    } else {
      const fragmentName = selection.name.value;
      const fragment = context.getFragment(fragmentName);
      // Each spread counts (the same fragment spread twice creates twice); a cycle is graphql's error.
      if (!fragment || seen.has(fragmentName)) continue;
      seen.add(fragmentName);
      count += countField(fragment.selectionSet, name, context, seen);
      seen.delete(fragmentName);
    }
  }
  return count;
}
