/**
 * Logpoints and conditions as V8 breakpoint conditions.
 *
 * A logpoint is a breakpoint whose condition logs and returns false, so the program never stops.
 * It logs by calling a binding (`Runtime.addBinding`, named by a per-runner marker) with the
 * formatted message: the text arrives as `Runtime.bindingCalled`, never on the debuggee's stdout,
 * and the runner does not need `Runtime.enable` (which would report every console call).
 */

/** One piece of a log message template. */
export type TemplatePart = { text: string } | { expression: string };

/**
 * Splits `x is {x}, sum {a + b}` into literal text and `{expression}` parts. Braces inside an
 * expression nest (`{ {a: 1}.a }`); an unclosed `{` is literal text.
 */
export function parseLogTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let text = '';
  let i = 0;
  while (i < template.length) {
    const ch = template[i] as string;
    if (ch === '{') {
      let depth = 1;
      let j = i + 1;
      for (; j < template.length && depth > 0; j++) {
        if (template[j] === '{') depth++;
        else if (template[j] === '}') depth--;
      }
      if (depth === 0) {
        const expression = template.slice(i + 1, j - 1).trim();
        if (expression) {
          if (text) parts.push({ text });
          text = '';
          parts.push({ expression });
        }
        i = j;
        continue;
      }
    }
    text += ch;
    i++;
  }
  if (text) parts.push({ text });
  return parts;
}

/**
 * An expression, evaluated in the paused frame, that sends `marker` followed by the template's
 * parts to the inspector console. Each interpolation is guarded: a throwing `{expr}` logs the
 * error's text instead of silently losing the whole message (V8 swallows condition errors).
 */
export function logExpression(template: string, marker: string): string {
  // Values print as console.log would print them (util.inspect), strings raw.
  const show = `((v) => typeof v === 'string' ? v : (globalThis.process?.getBuiltinModule?.('node:util')?.inspect?.(v, { depth: 2, breakLength: Infinity }) ?? String(v)))`;
  const args = parseLogTemplate(template).map((part) =>
    'text' in part
      ? JSON.stringify(part.text)
      : `${show}((() => { try { return (${part.expression}\n); } catch (e) { return String(e); } })())`,
  );
  const sink = `globalThis[${JSON.stringify(marker)}]`;
  return `(typeof ${sink} === 'function' && ${sink}([${args.join(', ')}].join('')))`;
}

/**
 * The V8 condition for a breakpoint: the user's condition, plus (for a logpoint that logs without
 * stopping) the log call. Returns undefined for an unconditional breakpoint.
 *
 * @param logInCondition false when the runner must see every hit (logpoint with a hit condition):
 *   then the log call is left out and the runner logs itself after counting.
 */
export function breakpointCondition(
  bp: { condition?: string; logMessage?: string },
  marker: string,
  logInCondition: boolean,
): string | undefined {
  // Newlines guard against a trailing `//` comment in user code swallowing our closing paren.
  const condition = bp.condition?.trim() ? `(${bp.condition}\n)` : undefined;
  if (bp.logMessage === undefined || !logInCondition) return condition;
  const log = logExpression(bp.logMessage, marker);
  return condition ? `(${condition} ? (${log}, false) : false)` : `(${log}, false)`;
}
