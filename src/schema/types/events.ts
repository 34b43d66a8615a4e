import type { SessionEvent } from '../../sessions/types.js';
import { builder } from '../builder.js';
import { BreakpointRef, StopInfoRef } from './debug.js';
import { SessionEventKindEnum, SessionStateEnum } from './enums.js';

export const SessionEventRef = builder.objectRef<SessionEvent>('SessionEvent').implement({
  fields: (t) => ({
    kind: t.field({ type: SessionEventKindEnum, resolve: (e) => e.kind }),
    state: t.field({ type: SessionStateEnum, description: 'The state after the event.', resolve: (e) => e.state }),
    generation: t.exposeInt('generation'),
    stoppedAt: t.field({ type: StopInfoRef, nullable: true, resolve: (e) => e.stoppedAt }),
    exitCode: t.exposeInt('exitCode', { nullable: true }),
    breakpoint: t.field({ type: BreakpointRef, nullable: true, resolve: (e) => e.breakpoint }),
    message: t.exposeString('message', { nullable: true }),
    time: t.string({ resolve: (e) => new Date(e.time).toISOString() }),
  }),
});
