import { describe, expect, it } from 'vitest';
import { CurrentStop } from '../../src/sessions/current-stop.js';
import type { StopInfo, VariableSnapshot } from '../../src/sessions/types.js';

const INFO: StopInfo = { reason: 'step', threadId: 1, source: '/w/a.js', line: 3, description: undefined, hitBreakpointIds: [] };
const SNAPSHOT: VariableSnapshot = {
  generation: 0,
  reason: 'step',
  threadId: 1,
  frame: { id: 1, name: 'f', line: 1, ref: '1:1' },
  variables: [],
  changed: [],
  truncated: false,
};

function stopped(): CurrentStop {
  const stop = new CurrentStop();
  stop.begin(() => Promise.resolve(undefined));
  stop.announce(INFO);
  return stop;
}

describe('CurrentStop', () => {
  it('hands out ids that expire when the program moves', () => {
    const stop = stopped();
    const ref = stop.encodeRef(7)!;
    expect(stop.decodeRef(ref, 'reference')).toBe(7);
    stop.leave();
    expect(() => stop.decodeRef(ref, 'reference')).toThrow(/has expired/);
    expect(() => stop.decodeRef('nonsense', 'frame')).toThrow(/malformed frame id/);
    expect(stop.encodeRef(0)).toBeUndefined();
  });

  it('goes back to the stop it left when the resume is refused, ids valid again', () => {
    const stop = stopped();
    const ref = stop.encodeRef(7)!;
    stop.leave();
    expect(stop.info).toBeUndefined();
    expect(stop.restore()).toBe(true);
    expect(stop.info).toEqual(INFO);
    expect(stop.decodeRef(ref, 'reference')).toBe(7);
  });

  it('brings back the snapshot of the stop it returns to, published or being built', async () => {
    const stop = new CurrentStop();
    const id = stop.begin(() => Promise.resolve(SNAPSHOT));
    stop.announce(INFO);
    stop.published(id, SNAPSHOT);
    stop.leave();
    expect(stop.snapshot).toBeUndefined();
    expect(stop.publishedSnapshot).toBeUndefined();
    stop.restore();
    expect(await stop.snapshot).toBe(SNAPSHOT);
    expect(stop.publishedSnapshot).toBe(SNAPSHOT);
  });

  it('does not go back once a new stop came, nor when nothing was left', () => {
    const stop = stopped();
    stop.leave();
    stop.begin(() => Promise.resolve(undefined));
    expect(stop.restore()).toBe(false);
    const fresh = new CurrentStop();
    fresh.leave();
    expect(fresh.restore()).toBe(false);
  });

  it('shows a published snapshot only while its stop is current', () => {
    const stop = new CurrentStop();
    const id = stop.begin(() => Promise.resolve(undefined));
    stop.published(id, SNAPSHOT);
    expect(stop.publishedSnapshot).toBe(SNAPSHOT);
    stop.clear();
    expect(stop.publishedSnapshot).toBeUndefined();
  });
});
