import { TestAdapter, TurnContext, type Activity } from 'botbuilder';
import { conversationTargetOf } from '../../src/bot/activity-identity';
import { commandEntry } from '../../src/bot/dispatch';
import { cardRendererFor, type BotDeps, type HandlerContext } from '../../src/bot/handler-context';
import type { CommandName } from '../../src/bot/commands';
import { MongoConversationDirectory } from '../../src/store/conversation.repository';
import { aMember, AREA_ID } from '../fixtures/builders';
import { principalOf } from '../fixtures/referral-answers';
import { CHANNEL_ID, inChannel, users } from '../support/activities';
import { openTestStore, type TestStore } from '../support/store';

/**
 * Handlers run straight from the dispatch table, with no router: what the router used to do for
 * these commands (the audit entry, the member sync) is the handler's own work now.
 */
describe('command handlers do their own work', () => {
  let store: TestStore;
  const admin = principalOf(
    aMember({ aadObjectId: users.coordinator.aadObjectId, displayName: 'Robin Notreal', roles: ['admin'] }),
  );

  beforeAll(async () => {
    store = await openTestStore('handlers');
  });
  afterAll(() => store.close());

  async function run(name: CommandName, deps: Partial<BotDeps>, activity: Partial<Activity>): Promise<string[]> {
    const adapter = new TestAdapter();
    const turn = new TurnContext(adapter, activity);
    const h = {
      turn,
      principal: admin,
      deps: { areaId: AREA_ID, ...deps },
      card: cardRendererFor('OFFICIAL-SENSITIVE'),
      beginDialog: () => Promise.resolve(),
    } as unknown as HandlerContext;
    const entry = commandEntry(name);
    if (!('run' in entry)) throw new Error(`${name} is for anyone`);
    await entry.run(h, '');
    return adapter.activeQueue.map((a) => a.text ?? '');
  }

  it('set coordinator channel records the channel and audits the change itself', async () => {
    const conversations = new MongoConversationDirectory(store.db);
    // As Teams sends it (JSON, so the timestamp is text): the bot reads it as an activity.
    const activity = inChannel(
      'https://connector.invalid/',
      users.coordinator,
      'set coordinator channel',
    ) as unknown as Partial<Activity>;
    // The router remembers every conversation it hears from before any handler runs.
    await conversations.remember(conversationTargetOf(activity)!);
    const sent = await run('set coordinator channel', { conversations, audit: store.repos.audit }, activity);
    expect(sent.join()).toContain('now the MAPPA co-ordinator channel');
    expect(await conversations.coordinatorChannel(AREA_ID)).toMatchObject({ conversationId: CHANNEL_ID });
    const trail = await store.repos.audit.listForEntity('area', AREA_ID);
    expect(trail.at(-1)).toMatchObject({
      action: 'area.changed',
      actorAadObjectId: admin.aadObjectId,
      details: { change: 'coordinator_channel' },
    });
  });

  it('sync members runs the sync as the admin who asked and reports the counts', async () => {
    const actors: unknown[] = [];
    const memberSync: BotDeps['memberSync'] = (actor) => {
      actors.push(actor);
      return Promise.resolve({ ok: true, value: { added: 2, updated: 1, deactivated: 0, conflicts: [{}] } });
    };
    const activity = { type: 'message', conversation: { id: 'personal-1' } } as Partial<Activity>;
    const sent = await run('sync members', { memberSync }, activity);
    expect(actors).toEqual([
      { aadObjectId: admin.aadObjectId, displayName: 'Robin Notreal', tenantId: admin.tenantId },
    ]);
    expect(sent).toEqual([
      'Members updated from Entra groups: 2 added, 1 updated, 0 removed. 1 person(s) are in groups for different agencies and were left unchanged.',
    ]);
    expect(await run('sync members', {}, activity)).toEqual([
      'Group sync is not configured for this area (MEMBER_GROUP_MAPPINGS).',
    ]);
    const refused: BotDeps['memberSync'] = () => Promise.resolve({ ok: false, error: { message: 'no groups read' } });
    expect(await run('sync members', { memberSync: refused }, activity)).toEqual([
      'Nothing was changed: no groups read',
    ]);
  });
});
