import { isoTime, type LogLine } from '../../logs/log-line.js';
import { builder } from '../builder.js';
import { LogStreamEnum } from './enums.js';

export const LogLineRef = builder.objectRef<LogLine>('LogLine').implement({
  description: 'One line of output. `seq` only grows, across restarts too; pass it as `after` to resume.',
  fields: (t) => ({
    seq: t.string({ description: 'Opaque cursor of this line.', resolve: (l) => String(l.seq) }),
    stream: t.field({ type: LogStreamEnum, resolve: (l) => l.stream }),
    text: t.exposeString('text'),
    time: t.string({ description: 'ISO 8601 time the server received the line.', resolve: (l) => isoTime(l.time) }),
    generation: t.exposeInt('generation', { description: 'The run that wrote it: 0, then +1 per restart.' }),
  }),
});

export interface LogPageModel {
  lines: LogLine[];
  nextCursor: string | undefined;
  lost: number;
  hasMore: boolean;
}

export const LogPageRef = builder.objectRef<LogPageModel>('LogPage').implement({
  fields: (t) => ({
    lines: t.field({ type: [LogLineRef], resolve: (p) => p.lines }),
    nextCursor: t.exposeString('nextCursor', {
      nullable: true,
      description: 'Pass as `after` for the next page (or to follow later); null when no line was returned and none is buffered.',
    }),
    lost: t.exposeInt('lost', { description: 'Lines after the cursor that are no longer buffered.' }),
    hasMore: t.exposeBoolean('hasMore', { description: 'More buffered lines follow this page.' }),
  }),
});
