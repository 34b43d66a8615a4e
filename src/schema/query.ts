import { SCOPES } from '../auth/scopes.js';
import { builder } from './builder.js';
import { callerOf } from './guards.js';
import { DebugSessionRef } from './types/session.js';

builder.queryType({
  fields: (t) => ({
    session: t.field({
      type: DebugSessionRef,
      nullable: true,
      description: "One of the caller's sessions; null when it does not exist or is not the caller's.",
      args: { id: t.arg.id({ required: true }) },
      authScopes: { [SCOPES.SESSIONS_READ]: true },
      resolve: (_root, args, ctx) => ctx.registry.find(String(args.id), callerOf(ctx).subject),
    }),
    sessions: t.field({
      type: [DebugSessionRef],
      description: "The caller's sessions, oldest first.",
      authScopes: { [SCOPES.SESSIONS_READ]: true },
      resolve: (_root, _args, ctx) => ctx.registry.list(callerOf(ctx).subject),
    }),
  }),
});
