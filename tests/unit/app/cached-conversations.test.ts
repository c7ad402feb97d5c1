import { cachedConversationDirectory } from '../../../src/app/shared/cached-conversations';
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
  const stored = new Map<string, ConversationTarget>();
  let lookups = 0;
  let fail = opts.failFirst ?? false;
  let now = 0;
  const inner = {
    remember: async (t: ConversationTarget) => {
      if (fail) {
        fail = false;
        throw new Error('database down');
      }
      writes.push(t);
      if (t.userAadObjectId) stored.set(`${t.tenantId}/${t.userAadObjectId}`, t);
    },
    personalChatOf: async (tenantId: string, aadObjectId: string) => {
      lookups += 1;
      return stored.get(`${tenantId}/${aadObjectId}`) ?? null;
    },
  } as unknown as ConversationDirectory;
  const directory = cachedConversationDirectory(inner, {
    maxEntries: 2,
    refreshMs: 60_000,
    lookupTtlMs: 30_000,
    now: () => now,
  });
  return { directory, writes, stored, lookups: () => lookups, advance: (ms: number) => (now += ms) };
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

  it("looks a user's personal chat up once per expiry, and never holds on to not finding one", async () => {
    const s = setup();
    expect(await s.directory.personalChatOf('tenant-1', 'oid-1')).toBeNull();
    await s.directory.remember(target());
    for (let i = 0; i < 5; i++) expect(await s.directory.personalChatOf('tenant-1', 'oid-1')).toMatchObject(target());
    expect(s.lookups()).toBe(2);
    s.advance(30_000);
    await s.directory.personalChatOf('tenant-1', 'oid-1');
    expect(s.lookups()).toBe(3);
  });

  it('a new personal chat remembered here replaces the one held at once', async () => {
    const s = setup();
    await s.directory.remember(target());
    await s.directory.personalChatOf('tenant-1', 'oid-1');
    await s.directory.remember(target({ conversationId: 'a:personal-2' }));
    expect(await s.directory.personalChatOf('tenant-1', 'oid-1')).toMatchObject({ conversationId: 'a:personal-2' });
  });

  it('one opened through another instance is found once the expiry has passed', async () => {
    const s = setup();
    await s.directory.remember(target());
    await s.directory.personalChatOf('tenant-1', 'oid-1');
    s.stored.set('tenant-1/oid-1', target({ conversationId: 'a:elsewhere' }));
    s.advance(30_000);
    expect(await s.directory.personalChatOf('tenant-1', 'oid-1')).toMatchObject({ conversationId: 'a:elsewhere' });
  });
});
