import { MongoClient } from 'mongodb';
import { cardAction, invokeCard, message, postActivity, users, type UserRef } from '../support/activities';
import { enrolByCard, makeCoordinatorChannel, startTestApp, type TestApp } from '../support/app';
import { cardText, type SentActivity } from '../support/connector';
import { testMongoUri } from '../support/mongo';
import { walkToReview, type SentLike } from '../support/referral-walk';

type CardAction = { title: string; data: Record<string, unknown> };
const cardOf = (a: SentActivity | undefined) =>
  (a?.body.attachments as Array<{ content: { actions?: CardAction[] } }> | undefined)?.[0]?.content;
const CASE_REF = /MAPPA-\d{4}-\d{4}/;

/**
 * Found by trying the bot as its users: after the submit reply stopped naming cases, the referrer could
 * still learn, from the co-ordinator's question card, a refresh, or the outcome message, which case the
 * person they typed belongs to, including a case their agency cannot open. And "ask the lead agency to
 * refer" messaged the notifier even when the notifier was not in the lead agency.
 */
describe('what a referrer or notifier is told never names a case they cannot see', () => {
  let t: TestApp;
  const client = new MongoClient(testMongoUri());
  const db = () => client.db(t.dbName);
  let probationCaseRef = '';

  beforeAll(async () => {
    t = await startTestApp('refpriv', { BOOTSTRAP_ADMIN_AAD_IDS: users.coordinator.aadObjectId });
    await client.connect();
    await enrolByCard(t, users.coordinator, users.coordinator, 'mappa-unit', 'coordinator,admin');
    await enrolByCard(t, users.coordinator, users.probation, 'probation', 'practitioner');
    await enrolByCard(t, users.coordinator, users.health, 'nhs-trust', 'practitioner');
    await makeCoordinatorChannel(t, users.coordinator);
    for (const u of [users.coordinator, users.probation, users.health])
      await postActivity(t.url, message(t.connector.url, u, 'help'));
    // Probation notifies the person of the fixture answers: their case is probation-led.
    await notify(users.probation, { givenName: 'Terry', familyName: 'Imaginary', pnc: '2001/0123456X' }, 'probation');
    probationCaseRef = String((await db().collection('cases').findOne({}))?.ref);
    expect(probationCaseRef).toMatch(CASE_REF);
  });
  afterAll(async () => {
    await t.stop();
    await client.close();
  });

  async function say(user: UserRef, body: string | Record<string, unknown>): Promise<SentActivity[]> {
    t.connector.clear();
    const activity =
      typeof body === 'string'
        ? message(t.connector.url, user, body)
        : message(t.connector.url, user, '', { value: body });
    await postActivity(t.url, activity);
    return [...t.connector.sent];
  }

  async function notify(user: UserRef, who: Record<string, string>, leadAgencyId: string): Promise<string> {
    const form = (await say(user, 'notify'))[0];
    const draftId = (cardOf(form)!.actions![0]!.data as { draftId: string }).draftId;
    const res = await postActivity(
      t.url,
      cardAction(t.connector.url, user, 'notification.submit', {
        draftId,
        aliases: '',
        dateOfBirth: '1990-04-01',
        crn: '',
        visor: '',
        prisonNumber: '',
        category: 'cat2',
        eligibilityReasons: 'Convicted of a specified violent offence\nCustody of 12 months or more',
        leadAgencyId,
        sentenceDate: '2026-11-02',
        releaseDate: '',
        custodyStatus: 'custody',
        notes: '',
        ...who,
      }),
    );
    expect(cardText({ attachments: [{ content: invokeCard(res.body) }] })).toContain('Notification sent');
    const n = await db()
      .collection('notifications')
      .findOne({}, { sort: { createdAt: -1 } });
    return String(n?._id);
  }

  /** Health walks a new referral for the fixture person (the same person as probation's case). */
  async function healthRefersTerry(): Promise<string> {
    const bodies = (sent: readonly SentActivity[]) => sent.map((a) => a.body as SentLike);
    let last = await say(users.health, 'refer new');
    // Health has no ViSOR access, so the ViSOR question is not on its risk card.
    const batches = await walkToReview(bodies(last), async (input) =>
      bodies((last = await say(users.health, typeof input === 'string' ? input : input.value))),
    );
    expect(JSON.stringify(batches)).not.toContain('visorIntelligence');
    const review = last.map(cardOf).find((c) => c?.actions?.some((a) => a.title === 'Submit'));
    expect(review).toBeDefined();
    const done = await say(users.health, review!.actions!.find((a) => a.title === 'Submit')!.data);
    const toHealth = done.filter((a) => a.conversationId === `a:personal-${users.health.id}`);
    expect(JSON.stringify(toHealth.map((a) => a.body))).toContain('Submitted to the MAPPA co-ordinator');
    expect(JSON.stringify(toHealth.map((a) => a.body))).not.toMatch(CASE_REF);
    const r = await db()
      .collection('referrals')
      .findOne({ status: 'submitted' }, { sort: { submittedAt: -1 } });
    return String(r?._id);
  }

  it('the question card, a refresh and the outcome message name no case to the referrer', async () => {
    const referralId = await healthRefersTerry();
    const linked = await db()
      .collection('referrals')
      .findOne({ _id: referralId as never });
    // Linked to probation's case (the same person), which health cannot open.
    expect(linked?.caseId).toBeDefined();

    t.connector.clear();
    await postActivity(
      t.url,
      cardAction(t.connector.url, users.coordinator, 'referral.requestInfo', { referralId, question: 'Address?' }),
    );
    const questionCard = t.connector.sent.find((a) => a.conversationId === `a:personal-${users.health.id}`);
    expect(cardText(questionCard!.body)).toContain('Address?');
    expect(JSON.stringify(questionCard!.body)).not.toContain(probationCaseRef);

    const refreshed = await postActivity(
      t.url,
      cardAction(t.connector.url, users.health, 'referral.refresh', { referralId }),
    );
    const shown = JSON.stringify(invokeCard(refreshed.body));
    expect(shown).not.toContain(probationCaseRef);
    expect(shown).not.toContain('referral.approve');

    t.connector.clear();
    await postActivity(
      t.url,
      cardAction(t.connector.url, users.coordinator, 'referral.reject', { referralId, reason: 'Level 1 is enough.' }),
    );
    const outcome = t.connector.sent.find((a) => a.conversationId === `a:personal-${users.health.id}`);
    expect(outcome).toBeDefined();
    expect(cardText(outcome!.body)).toContain('Level 1 is enough.');
    expect(JSON.stringify(outcome!.body)).not.toContain(probationCaseRef);
  });

  it('asks the lead agency, not a notifier from another agency, and never tells that notifier the case', async () => {
    // Health notifies someone new, naming probation as the lead agency.
    const id = await notify(
      users.health,
      { givenName: 'Hal', familyName: 'Healthy', pnc: '2002/0654321Z' },
      'probation',
    );
    t.connector.clear();
    const res = await postActivity(
      t.url,
      cardAction(t.connector.url, users.coordinator, 'notification.askToRefer', {
        notificationId: id,
        referralDue: '2099-01-15',
      }),
    );
    await new Promise((r) => setTimeout(r, 200));
    const toHealth = t.connector.sent.filter((a) => a.conversationId === `a:personal-${users.health.id}`);
    expect(JSON.stringify(toHealth.map((a) => a.body))).not.toMatch(CASE_REF);
    // The co-ordinator is told to contact the lead agency instead.
    expect(JSON.stringify(invokeCard(res.body))).toMatch(/lead agency/i);
  });

  it('does not save "edit 2" typed mid-walk as an answer', async () => {
    const first = await say(users.probation, 'refer new Kim Fictitious');
    expect(JSON.stringify(first.map((a) => a.body))).toMatch(/job title/i);
    const edit = await say(users.probation, 'edit 2');
    expect(JSON.stringify(edit.map((a) => a.body))).toMatch(/review card/i);
    const draft = await db()
      .collection('referrals')
      .findOne({ status: 'draft', 'sections.subject.name.family': 'Fictitious' });
    expect(JSON.stringify(draft?.sections ?? {})).not.toContain('edit 2');
    await say(users.probation, 'cancel');
  });

  it('lists drafts with UK dates', async () => {
    await say(users.probation, 'refer new Lee Unreal');
    await say(users.probation, 'save');
    const list = await say(users.probation, 'refer');
    const text = JSON.stringify(list.map((a) => a.body));
    expect(text).not.toMatch(/started \d{4}-\d{2}-\d{2}/);
    expect(text).toMatch(/started \d{1,2} [A-Z][a-z]{2} \d{4}/);
  });
});
