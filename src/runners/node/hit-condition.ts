/**
 * DAP hit conditions (`5`, `>= 5`, `> 5`, `== 5`, `< 5`, `<= 5`, `% 2`) compiled to predicates
 * over the 1-based hit count. V8 has no hit counts, so the runner counts pauses itself.
 */

/** Decides, from the number of hits so far (this one included), whether to stop. */
export type HitPredicate = (hits: number) => boolean;

/**
 * Compiles a hit condition; undefined when it is not valid. A bare number means "exactly the
 * Nth hit" (`== N`), as in VS Code's JavaScript debugger; `% N` stops every Nth hit.
 */
export function compileHitCondition(expression: string): HitPredicate | undefined {
  const match = /^\s*(>=|<=|>|<|={1,3}|%)?\s*(\d+)\s*$/.exec(expression);
  if (!match) return undefined;
  const n = Number(match[2]);
  switch (match[1]) {
    case '>=':
      return (hits) => hits >= n;
    case '>':
      return (hits) => hits > n;
    case '<=':
      return (hits) => hits <= n;
    case '<':
      return (hits) => hits < n;
    case '%':
      return n === 0 ? undefined : (hits) => hits % n === 0;
    default:
      return (hits) => hits === n;
  }
}
