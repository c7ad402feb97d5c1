import { MongoClient } from 'mongodb';
import { cardAction, invokeCard, message, postActivity, users, type UserRef } from '../support/activities';
import { enrolByCard, makeCoordinatorChannel, startTestApp, type TestApp } from '../support/app';
import { cardText } from '../support/connector';
import { testMongoUri } from '../support/mongo';
import { chainedAuditEvents } from '../support/audit';

const text = (card: Record<string, unknown>) => cardText({ attachments: [{ content: card }] });

function validForm(draftId: string, over: Record<string, string> = {}) {
  return {
    draftId,
    givenName: 'Terry',
    familyName: 'Imaginary',
    aliases: 'TJ',
    dateOfBirth: '1990-04-01',
    pnc: '2019/0012345X',
    crn: '',
    visor: '',
    prisonNumber: '',
    category: 'cat2',
    eligibilityReasons: 'Convicted of a specified violent offence\nCustody of 12 months or more',
    leadAgencyId: 'probation',
    sentenceDate: '2026-11-02',
    releaseDate: '',
    custodyStatus: 'custody',
    notes: '',
    ...over,
  };
}

describe('MAPPA notifications in Teams', () => {
  let t: TestApp;
  const client = new MongoClient(testMongoUri());
  const db = () => client.db(t.dbName);

  beforeAll(async () => {
    t = await startTestApp('notify', { BOOTSTRAP_ADMIN_AAD_IDS: users.coordinator.aadObjectId });
    await client.connect();
    await enrolByCard(t, users.coordinator, users.coordinator, 'mappa-unit', 'coordinator,admin');
    await enrolByCard(t, users.coordinator, users.probation, 'probation', 'practitioner');
    await makeCoordinatorChannel(t, users.coordinator);
    // Personal chats are remembered when users write, so the bot can refresh and message them later.
    await postActivity(t.url, message(t.connector.url, users.coordinator, 'help'));
    await postActivity(t.url, message(t.connector.url, users.probation, 'help'));
  });
  afterAll(async () => {
    await t.stop();
    await client.close();
  });
  beforeEach(() => t.connector.clear());

  async function openForm(user: UserRef): Promise<string> {
    await postActivity(t.url, message(t.connector.url, user, 'notify'));
    const sent = await t.connector.waitFor(() => true);
    const card = (sent.body.attachments as Array<{ content: { actions: Array<{ data: { draftId: string } }> } }>)[0]!
      .content;
    return card.actions[0]!.data.draftId;
  }

  let notificationId = '';

  it('sends the notification form in personal chat, marked', async () => {
    await postActivity(t.url, message(t.connector.url, users.probation, 'notify'));
    const sent = await t.connector.waitFor(() => true);
    const body = cardText(sent.body);
    expect(body).toContain('New MAPPA notification');
    expect(body).toContain('OFFICIAL-SENSITIVE');
  });

  it('returns the same form with messages beside bad fields, keeping what was typed, and saves nothing', async () => {
    const draftId = await openForm(users.probation);
    const res = await postActivity(
      t.url,
      cardAction(
        t.connector.url,
        users.probation,
        'notification.submit',
        validForm(draftId, { givenName: '', dateOfBirth: '2090-01-01', pnc: '', familyName: 'Keptname' }),
      ),
    );
    const json = JSON.stringify(invokeCard(res.body));
    expect(json).toContain('"value":"Keptname"');
    expect(json).toMatch(/identifier/i);
    expect(await db().collection('notifications').countDocuments()).toBe(0);
  });

  it('saves a valid notification and posts a minimal card to the co-ordinator channel', async () => {
    const draftId = await openForm(users.probation);
    t.connector.clear();
    const res = await postActivity(
      t.url,
      cardAction(t.connector.url, users.probation, 'notification.submit', validForm(draftId)),
    );
    const replyCard = invokeCard(res.body);
    const reply = text(replyCard);
    expect(reply).toContain('Notification sent to the MAPPA co-ordinator');
    // The next step is offered: a command button that sends `refer new` with the name for the notifier.
    const next = (replyCard.actions as Array<{ title: string; type: string; data?: Record<string, unknown> }>).find(
      (a) => a.title === 'Start the MAPPA A referral',
    );
    expect(next?.type).toBe('Action.Submit');
    expect(next?.data).toEqual({ command: 'refer new Terry Imaginary' });
    // The notifier is not told a case reference: it could be a case they cannot see.
    expect(reply).not.toMatch(/MAPPA-\d{4}-\d{4}/);
    const post = await t.connector.waitFor((a) => a.conversationId.includes(';messageid='));
    const channelCard = JSON.stringify(post.body);
    expect(channelCard).toMatch(/MAPPA-\d{4}-\d{4}/);
    expect(channelCard).toContain('T.I.');
    expect(channelCard).toContain('OFFICIAL-SENSITIVE');
    expect(channelCard).not.toContain('Terry');
    expect(channelCard).not.toContain('Imaginary');
    expect(channelCard).not.toContain('1990');
    expect(channelCard).not.toContain('2019/0012345X');
    expect(channelCard).toContain(users.coordinator.id); // refresh.userIds: the co-ordinator's per-user view
    const stored = await db().collection('notifications').findOne({});
    notificationId = String(stored?._id ?? stored?.id);

    // The same draft submitted twice (a double click) does not notify twice.
    const again = await postActivity(
      t.url,
      cardAction(t.connector.url, users.probation, 'notification.submit', validForm(draftId)),
    );
    expect(text(invokeCard(again.body))).toContain('Already sent');
    expect(await db().collection('notifications').countDocuments()).toBe(1);

    // Pressing it (an Action.Submit: a message with the data as its value and no text) starts the walk.
    t.connector.clear();
    await postActivity(t.url, message(t.connector.url, users.probation, '', { value: next?.data }));
    // The walk says what it did inside its first card (a card may be shown without message text).
    const started = await t.connector.waitFor((a) => cardText(a.body).includes('started a MAPPA A referral'));
    expect(cardText(started.body)).toContain('T.I.');
    await postActivity(t.url, message(t.connector.url, users.probation, 'save'));

    // The same draft sent again about someone else is a mistake: refused, answers kept, nothing written.
    const other = await postActivity(
      t.url,
      cardAction(
        t.connector.url,
        users.probation,
        'notification.submit',
        validForm(draftId, { givenName: 'Casey', familyName: 'Otherperson' }),
      ),
    );
    const otherJson = JSON.stringify(invokeCard(other.body));
    expect(otherJson).toContain('already sent for a different person');
    expect(otherJson).toContain('"value":"Otherperson"');
    expect(await db().collection('notifications').countDocuments()).toBe(1);
  });

  it('says what really happens when the channel post fails, and posts it when Send is pressed again', async () => {
    const draftId = await openForm(users.probation);
    const form = validForm(draftId, { pnc: '2021/0066666T', givenName: 'Noel', familyName: 'Unreal' });
    t.connector.clear();
    t.connector.failNext(20, 500);
    const first = await postActivity(t.url, cardAction(t.connector.url, users.probation, 'notification.submit', form));
    const said = text(invokeCard(first.body));
    expect(said).toContain('Press Send again');
    expect(said).not.toContain('find it by its reference');
    t.connector.failNext(0, 500);
    t.connector.clear();
    const again = await postActivity(t.url, cardAction(t.connector.url, users.probation, 'notification.submit', form));
    expect(text(invokeCard(again.body))).toContain('The co-ordinator has been notified in their channel.');
    await t.connector.waitFor(
      (a) => a.conversationId.includes(';messageid=') && JSON.stringify(a.body).includes('N.U.'),
    );
  });

  it('refuses a practitioner replaying the co-ordinator decision payload', async () => {
    const res = await postActivity(
      t.url,
      cardAction(t.connector.url, users.probation, 'notification.level1', { notificationId }),
    );
    expect(text(invokeCard(res.body))).toContain('Not permitted');
    const n = await db().collection('notifications').findOne({});
    expect(n?.status).toBe('received');
  });

  it('shows details only to the co-ordinator, and audits that read', async () => {
    const minimal = await postActivity(
      t.url,
      cardAction(t.connector.url, users.health, 'notification.refresh', { notificationId }),
    );
    expect(JSON.stringify(invokeCard(minimal.body))).not.toContain('Terry');
    const full = await postActivity(
      t.url,
      cardAction(t.connector.url, users.coordinator, 'notification.open', { notificationId }),
    );
    expect(text(invokeCard(full.body))).toContain('Terry Imaginary');
    expect(
      await (
        await chainedAuditEvents(db())
      ).countDocuments({ action: 'case.viewed', actorAadObjectId: users.coordinator.aadObjectId }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('records the co-ordinator decision once and updates the channel card in place', async () => {
    const res = await postActivity(
      t.url,
      cardAction(t.connector.url, users.coordinator, 'notification.level1', { notificationId }),
    );
    const reply = text(invokeCard(res.body));
    expect(reply).toMatch(/Level 1/);
    expect(reply).toContain(users.coordinator.name);
    const update = await t.connector.waitFor((a) => a.method === 'PUT');
    expect(cardText(update.body)).toMatch(/Level 1/);
    expect(JSON.stringify(update.body)).not.toContain('Terry');
    const n = await db().collection('notifications').findOne({});
    expect(n?.status).toBe('accepted');

    t.connector.clear();
    const second = await postActivity(
      t.url,
      cardAction(t.connector.url, users.coordinator, 'notification.awaitReferral', { notificationId }),
    );
    expect(text(invokeCard(second.body))).toContain('already been decided');
    expect(t.connector.sent.filter((a) => a.method === 'PUT')).toHaveLength(0);
  });

  it('asks the lead agency to refer by a personal message to the notifier', async () => {
    const draftId = await openForm(users.probation);
    const res = await postActivity(
      t.url,
      cardAction(
        t.connector.url,
        users.probation,
        'notification.submit',
        validForm(draftId, { pnc: '2020/0054321Y', givenName: 'Alex', familyName: 'Madeup' }),
      ),
    );
    expect(text(invokeCard(res.body))).toContain('Notification sent');
    const second = await db().collection('notifications').findOne({ status: 'received' });
    t.connector.clear();
    await postActivity(
      t.url,
      cardAction(t.connector.url, users.coordinator, 'notification.askToRefer', {
        notificationId: String(second?._id),
        referralDue: '2099-01-15',
      }),
    );
    const dm = await t.connector.waitFor((a) => a.conversationId === `a:personal-${users.probation.id}`);
    expect(String(dm.body.text)).toMatch(/refer MAPPA-\d{4}-\d{4}/);
    // Everyone's channel card now shows who decided and the date the referral is due.
    const update = await t.connector.waitFor((a) => a.method === 'PUT');
    expect(cardText(update.body)).toContain(
      `Accepted, lead agency asked to refer: decided by ${users.coordinator.name}`,
    );
    expect(cardText(update.body)).toMatch(/Referral to Level 2\/3 due\n15 Jan 2099 · \d+ working days left/);
  });

  it('shows the case access log to the co-ordinator and hides the case from others', async () => {
    const stored = await db().collection('cases').findOne({});
    const ref = String(stored?.ref);
    await postActivity(t.url, message(t.connector.url, users.coordinator, `audit ${ref}`));
    const log = await t.connector.waitFor(() => true);
    expect(cardText(log.body)).toContain(`Access log for ${ref}`);
    expect(cardText(log.body)).toContain('case.viewed');
    // Each event names who did it: the co-ordinator viewed the case, so their name is on the log.
    expect(cardText(log.body)).toContain(users.coordinator.name);
    expect(cardText(log.body)).not.toContain('Unknown user');
    t.connector.clear();
    await postActivity(t.url, message(t.connector.url, users.probation, `audit ${ref}`));
    const refused = await t.connector.waitFor(() => true);
    expect(String(refused.body.text)).not.toContain('Access log');
  });
});
