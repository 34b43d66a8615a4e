import { SCOPES } from '../auth/scopes.js';
import { LogTail } from '../logs/log-tail.js';
import type { LogBatch } from '../logs/log-batch.js';
import type { SessionEvent, VariableSnapshot } from '../sessions/types.js';
import { builder } from './builder.js';
import { sessionOf } from './guards.js';
import { VariableSnapshotRef } from './types/debug.js';
import { SessionEventRef } from './types/events.js';
import { LogLineRef } from './types/logs.js';
import { cursorArg } from './types/session.js';

/** Most lines in one `logLines` message. */
const MAX_LINES_PER_MESSAGE = 1000;

builder.subscriptionType({
  fields: (t) => ({
    logLines: t.field({
      type: [LogLineRef],
      description:
        'Output in batches: every line since the previous message (at most 1000). With `after`, replays the buffered lines after that cursor first ("0": from the start), then goes live, with no gap and no duplicate. Lines no longer buffered are reported by one SYSTEM line. Completes when the session is terminated.',
      args: { sessionId: t.arg.id({ required: true }), after: t.arg.string() },
      // Checked when subscribing (authorizeOnSubscribe, builder.ts), not per message.
      authScopes: { [SCOPES.LOGS_READ]: true },
      subscribe: (_root, args, ctx) => {
        const session = sessionOf(ctx, args.sessionId);
        const tail = new LogTail(session, cursorArg(args.after, session), MAX_LINES_PER_MESSAGE, ctx.metrics.logMeter(ctx.transport));
        return ctx.metrics.trackSubscriber('logs', ctx.transport, tail);
      },
      resolve: (batch: LogBatch) => batch.lines(),
    }),
    variableSnapshots: t.field({
      type: VariableSnapshotRef,
      description: "One message per stop: the top frame and its locals. Starts with the current stop's snapshot if the program is paused.",
      args: { sessionId: t.arg.id({ required: true }) },
      authScopes: { [SCOPES.SESSIONS_READ]: true },
      subscribe: (_root, args, ctx) => {
        const session = sessionOf(ctx, args.sessionId);
        const queue = session.snapshots.subscribe();
        // The current stop's snapshot comes first if it was already published; if it is still
        // being built, the channel delivers it when it is (pushing it too would send it twice).
        const current = session.publishedSnapshotOfCurrentStop;
        if (current) queue.push(current);
        return ctx.metrics.trackSubscriber('snapshots', ctx.transport, queue);
      },
      resolve: (snapshot: VariableSnapshot) => snapshot,
    }),
    sessionEvents: t.field({
      type: SessionEventRef,
      description: 'Every state change of the session: stopped, continued, exited, restarted, … Completes when the session is terminated.',
      args: { sessionId: t.arg.id({ required: true }) },
      authScopes: { [SCOPES.SESSIONS_READ]: true },
      subscribe: (_root, args, ctx) =>
        ctx.metrics.trackSubscriber('events', ctx.transport, sessionOf(ctx, args.sessionId).events.subscribe()),
      resolve: (event: SessionEvent) => event,
    }),
  }),
});
