import { rememberOnlyChanges } from '../../../src/app/shared/remembered-conversations';
import type { ConversationDirectory, ConversationTarget } from '../../../src/app/ports/conversations.port';

const target = (over: Partial<ConversationTarget> = {}): ConversationTarget => ({
  conversationId: 'a:personal-1',
  conversationType: 'personal',
  tenantId: 'tenant-1',
  serviceUrl: 'https://smba.example.invalid/uk/',
  botId: '28:bot',
  channelId: 'msteams',
  userAadObjectId: 'oid-1',
  ...over,
});

function setup(opts: { failFirst?: boolean } = {}) {
  const writes: ConversationTarget[] = [];
  let fail = opts.failFirst ?? false;
  let now = 0;
  const inner = {
    remember: async (t: ConversationTarget) => {
      if (fail) {
        fail = false;
        throw new Error('database down');
      }
      writes.push(t);
    },
  } as unknown as ConversationDirectory;
  const directory = rememberOnlyChanges(inner, { maxEntries: 2, refreshMs: 60_000, now: () => now });
  return { directory, writes, advance: (ms: number) => (now += ms) };
}

describe('conversation references written only when they change', () => {
  it('writes a conversation once, not on every turn', async () => {
    const s = setup();
    for (let i = 0; i < 5; i++) await s.directory.remember(target());
    expect(s.writes).toHaveLength(1);
  });

  it('writes again when the reference changed (a new service url)', async () => {
    const s = setup();
    await s.directory.remember(target());
    await s.directory.remember(target({ serviceUrl: 'https://smba.example.invalid/emea/' }));
    expect(s.writes).toHaveLength(2);
  });

  it('refreshes an unchanged reference after a while, so "most recent chat" stays true', async () => {
    const s = setup();
    await s.directory.remember(target());
    s.advance(60_000);
    await s.directory.remember(target());
    expect(s.writes).toHaveLength(2);
  });

  it('tries again on the next turn when a write failed', async () => {
    const s = setup({ failFirst: true });
    await expect(s.directory.remember(target())).rejects.toThrow('database down');
    await s.directory.remember(target());
    expect(s.writes).toHaveLength(1);
  });

  it('holds a bounded number of conversations', async () => {
    const s = setup();
    for (const id of ['c1', 'c2', 'c3', 'c1']) await s.directory.remember(target({ conversationId: id }));
    // c1 fell out when c3 came in (at most two kept), so it is written again.
    expect(s.writes.map((w) => w.conversationId)).toEqual(['c1', 'c2', 'c3', 'c1']);
  });
});
