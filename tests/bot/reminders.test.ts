import { MongoClient } from 'mongodb';
import type { ActionRecord, CaseRecord, Repositories } from '../../src/app/ports';
import { channelDigest, ownerView, type ReminderDeps } from '../../src/app/reminders';
import { reminderOutbox } from '../../src/bot/reminders/outbox';
import { TeamsDeliveryError, type SendOptions, type TeamsMessenger } from '../../src/bot/proactive/messenger';
import { cardRendererFor } from '../../src/bot/handler-context';
import { createLogger } from '../../src/config/logger';
import { anArea } from '../fixtures/domain-builders';
import { digestCardData } from '../../src/bot/reminders/cards';
import { renderCard } from '../../src/bot/cards/render';
import { createRepositories, MongoReminderRepository } from '../../src/store';
import { inChannel, message, postActivity } from '../support/activities';
import { enrolByCard, makeCoordinatorChannel, startTestApp, type TestApp } from '../support/app';
import { cardText } from '../support/connector';
import { cast, ENROLMENT } from '../support/meeting-run';
import { testMongoUri } from '../support/mongo';
import { aNewAction, aNewCase, aNewSubject, anAction, aRequestActor } from '../fixtures/builders';

const shift = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const HOUSING_LATE = 'Confirm the tenancy at the approved address.';
const HOUSING_SOON = 'Check the new landlord’s references.';
const HOUSING_DONE = 'Visit the hostel with the key worker.';
const POLICE_LATE = 'Home visit with the offender manager.';

/** `my actions`, `overdue` and `reminders` through the real bot, and the channel digest's content. */
describe('reminder commands', () => {
  let t: TestApp;
  let client: MongoClient;
  let repos: Repositories;
  let c: CaseRecord;
  let late: ActionRecord;
  let reminderDeps: ReminderDeps;

  const say = async (u: (typeof cast)[keyof typeof cast], text: string): Promise<string> => {
    const before = t.connector.sent.length;
    await postActivity(t.url, message(t.connector.url, u, text));
    return t.connector.sent
      .slice(before)
      .map((a) => `${String(a.body.text ?? '')}\n${cardText(a.body)}`)
      .join('\n');
  };

  beforeAll(async () => {
    t = await startTestApp('botremind', {
      BOOTSTRAP_ADMIN_AAD_IDS: cast.coordinator.aadObjectId,
      SCHEDULER_ENABLED: 'false',
    });
    await enrolByCard(t, cast.coordinator, cast.coordinator, 'mappa-unit', 'coordinator,admin');
    for (const [who, agency, roles] of ENROLMENT) await enrolByCard(t, cast.coordinator, cast[who], agency, roles);
    await makeCoordinatorChannel(t, cast.coordinator);
    client = new MongoClient(testMongoUri());
    await client.connect();
    const db = client.db(t.dbName);
    repos = createRepositories(db, { now: () => new Date() });
    const subject = await repos.subjects.create(aNewSubject({ areaId: 'local-area' }), { by: aRequestActor() });
    c = await repos.cases.create(
      aNewCase({
        areaId: 'local-area',
        subjectId: subject.id,
        status: 'managed_l2',
        level: 2,
        leadAgencyId: 'probation',
      }),
      { by: aRequestActor() },
    );
    const make = (
      ownerAgencyId: string,
      text: string,
      dueDate: string,
      owner?: (typeof cast)['housing'],
      status?: 'done',
    ) =>
      repos.actions.create(
        aNewAction({
          areaId: 'local-area',
          caseId: c.id,
          meetingId: 'meeting-earlier',
          ownerAgencyId,
          ownerName: owner?.name ?? ownerAgencyId,
          ownerAadObjectId: owner?.aadObjectId,
          text,
          dueDate,
          ...(status ? { status } : {}),
        }),
        { by: aRequestActor() },
      );
    await make('housing-authority', HOUSING_SOON, shift(20), cast.housing);
    late = await make('housing-authority', HOUSING_LATE, shift(-10), cast.housing);
    await make('housing-authority', HOUSING_DONE, shift(-3), cast.housing, 'done');
    await make('police', POLICE_LATE, shift(-5));
    reminderDeps = {
      reminders: new MongoReminderRepository(db, { now: () => new Date() }),
      actions: repos.actions,
      cases: repos.cases,
      members: repos.members,
      clock: { now: () => new Date() },
      areaId: 'local-area',
      deadlines: repos,
    };
    for (const u of [cast.housing, cast.police, cast.coordinator]) await say(u, 'help');
  });
  afterAll(async () => {
    await client.close();
    await t.stop();
  });

  it('my actions: the caller’s open actions soonest first, each with its buttons, none closed, none of others', async () => {
    const text = await say(cast.housing, 'my actions');
    expect(text).toContain('You have 2 open actions, soonest due first.');
    expect(text.indexOf(HOUSING_LATE)).toBeGreaterThan(-1);
    expect(text.indexOf(HOUSING_LATE)).toBeLessThan(text.indexOf(HOUSING_SOON));
    expect(text).toContain('Mark done');
    expect(text).toContain('overdue');
    expect(text).not.toContain(HOUSING_DONE);
    expect(text).not.toContain(POLICE_LATE);
    expect(await say(cast.probation, 'my actions')).toContain('You have no open actions.');
  });

  it('my actions in a channel shows nothing of the actions there', async () => {
    const before = t.connector.sent.length;
    await postActivity(t.url, inChannel(t.connector.url, cast.housing, 'my actions'));
    const answer = t.connector.sent.slice(before).map((a) => `${String(a.body.text ?? '')}${cardText(a.body)}`);
    expect(answer.join('')).toMatch(/personal chat/i);
    expect(answer.join('')).not.toContain(HOUSING_LATE);
  });

  it('overdue: co-ordinators only; by agency with counts, references and dates, no names or action text', async () => {
    const refused = await say(cast.housing, 'overdue');
    expect(refused).not.toContain(c.ref);
    const text = await say(cast.coordinator, 'overdue');
    expect(text).toContain('2 overdue across 2 agencies');
    expect(text).toContain('Local housing authority (1)');
    expect(text).toContain('Police (1)');
    expect(text).toContain(c.ref);
    expect(text).toMatch(/Action · due \d+ \w+ \d{4} · \d+ working days overdue/);
    for (const secret of [HOUSING_LATE, POLICE_LATE, cast.housing.name]) expect(text).not.toContain(secret);
  });

  it('reminders: co-ordinators see what is due, what went out and what was not delivered', async () => {
    expect(await say(cast.police, 'reminders')).not.toContain('Not delivered');
    await reminderDeps.reminders.schedule({
      id: `action:${late.id}`,
      areaId: 'local-area',
      kind: 'action',
      subjectId: late.id,
      caseId: c.id,
      caseRef: c.ref,
      agencyId: 'housing-authority',
      due: late.dueDate,
      nextAt: new Date(Date.now() - 60_000).toISOString(),
    });
    const claimed = await reminderDeps.reminders.claimDue('local-area', new Date(), 60_000, 'tok');
    await reminderDeps.reminders.recordSend(
      claimed!.id,
      'tok',
      { at: new Date().toISOString(), stage: 'overdue', delivered: 0, undelivered: 1, escalated: false },
      { nextAt: new Date(Date.now() + 3_600_000).toISOString(), escalatedAt: null },
    );
    const text = await say(cast.coordinator, 'reminders');
    expect(text).toContain('1 not delivered');
    expect(text).toContain('Not delivered (1)');
    expect(text).toContain('Due to go out (1)');
    expect(text).toContain('Sent in the last 7 days: 1 send of 1 reminder');
    expect(text).toContain(c.ref);
    expect(text).not.toContain(HOUSING_LATE);
  });

  it('the channel digest lists reference, owner agency and due date only: no names at all', async () => {
    const lines = await channelDigest(reminderDeps);
    const card = JSON.stringify(renderCard('reminders', digestCardData(lines), 'OFFICIAL-SENSITIVE'));
    expect(card).toContain(c.ref);
    expect(card).toContain('Local housing authority');
    expect(card).toContain('Overdue (2)');
    for (const secret of [HOUSING_LATE, HOUSING_SOON, POLICE_LATE, cast.housing.name, 'Amy', 'Fictional'])
      expect(card).not.toContain(secret);
    expect(card).toContain('OFFICIAL-SENSITIVE');
  });
});

/**
 * A reminder card Teams refuses is reported by the sweep, once per action and recipient; the queue's
 * own report would repeat it at every send, so the outbox asks the queue not to.
 */
describe('reminder outbox and the undelivered report', () => {
  const sends: { what: string; opts: SendOptions | undefined }[] = [];
  const messenger: Pick<TeamsMessenger, 'sendPersonal' | 'postCard'> = {
    sendPersonal: (_t, _c, what, opts) => {
      sends.push({ what, opts });
      return Promise.reject(new TeamsDeliveryError(what));
    },
    postCard: (_t, _c, what, opts) => {
      sends.push({ what, opts });
      return Promise.resolve({ conversationId: 'c', activityId: 'a' });
    },
  };
  const target = { tenantId: 'tenant-1', conversationId: 'a:1', serviceUrl: 'http://x', conversationType: 'personal' };
  const outbox = reminderOutbox({
    messenger,
    conversations: {
      personalChatOf: () => Promise.resolve(target as never),
      coordinatorChannel: () => Promise.resolve(null),
    },
    card: cardRendererFor('OFFICIAL-SENSITIVE'),
    tenantId: 'tenant-1',
    areaId: 'local-area',
    logger: createLogger('silent'),
  });

  it('an action card that cannot be delivered is not delivered, and the queue does not report it again', async () => {
    const view = ownerView(anAction(), 'MAPPA-2026-0001', anArea(), '2026-05-18');
    expect(await outbox.actionCard('00000000-0000-4000-8000-00000000a001', view, 'Reminder.')).toBe(false);
    expect(sends).toHaveLength(1);
    expect(sends[0]?.opts?.reportFailure).toBe(false);
  });
});
