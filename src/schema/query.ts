import { SCOPES } from '../auth/scopes.js';
import { builder } from './builder.js';
import { requireScope } from './guards.js';
import { DebugSessionRef } from './types/session.js';

builder.queryType({
  fields: (t) => ({
    session: t.field({
      type: DebugSessionRef,
      nullable: true,
      description: "One of the caller's sessions; null when it does not exist or is not the caller's.",
      args: { id: t.arg.id({ required: true }) },
      resolve: (_root, args, ctx) => {
        const principal = requireScope(ctx, SCOPES.SESSIONS_READ);
        return ctx.registry.find(String(args.id), principal.subject);
      },
    }),
    sessions: t.field({
      type: [DebugSessionRef],
      description: "The caller's sessions, oldest first.",
      resolve: (_root, _args, ctx) => {
        const principal = requireScope(ctx, SCOPES.SESSIONS_READ);
        return ctx.registry.list(principal.subject);
      },
    }),
  }),
});
