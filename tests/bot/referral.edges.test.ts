import { MongoClient } from 'mongodb';
import { CAT2_LEVEL2_CARDS } from '../fixtures/referral-answers';
import { cardAction, invokeCard, message, postActivity, users, type UserRef } from '../support/activities';
import { enrolByCard, makeCoordinatorChannel, startTestApp, type TestApp } from '../support/app';
import { cardText, type SentActivity } from '../support/connector';
import { testMongoUri } from '../support/mongo';
import { press, walkCard, walkToReview, type SentLike } from '../support/referral-walk';

const text = (card: Record<string, unknown>) => cardText({ attachments: [{ content: card }] });
type CardAction = { title: string; data: Record<string, unknown> };
const cardOf = (a: SentActivity | undefined) =>
  (a?.body.attachments as Array<{ content: { actions?: CardAction[] } }> | undefined)?.[0]?.content;
const submitOf = (sent: readonly SentActivity[]) =>
  sent
    .map(cardOf)
    .flatMap((c) => c?.actions ?? [])
    .find((a) => a.title === 'Submit');
const said = (sent: readonly SentActivity[]) => sent.map((a) => String(a.body.text ?? '')).join('\n');

describe('referral edges: refused card actions and the review step', () => {
  let t: TestApp;
  const client = new MongoClient(testMongoUri());

  async function say(user: UserRef, body: string | { value: Record<string, unknown> }): Promise<SentActivity[]> {
    t.connector.clear();
    const activity =
      typeof body === 'string'
        ? message(t.connector.url, user, body)
        : message(t.connector.url, user, '', { value: body.value });
    await postActivity(t.url, activity);
    return [...t.connector.sent];
  }

  const bodies = (sent: readonly SentActivity[]) => sent.map((a) => a.body as SentLike);

  /** Walks the whole MAPPA A on its cards and returns the review card's Submit action. */
  async function walkToSubmit(referrer: UserRef): Promise<CardAction | undefined> {
    let last = await say(referrer, 'refer');
    await walkToReview(bodies(last), async (input) => bodies((last = await say(referrer, input))));
    return submitOf(last);
  }

  beforeAll(async () => {
    t = await startTestApp('refedges', { BOOTSTRAP_ADMIN_AAD_IDS: users.coordinator.aadObjectId });
    await client.connect();
    await enrolByCard(t, users.coordinator, users.coordinator, 'mappa-unit', 'coordinator,admin');
    await enrolByCard(t, users.coordinator, users.probation, 'probation', 'practitioner');
    await enrolByCard(t, users.coordinator, users.police, 'police', 'practitioner');
    await enrolByCard(t, users.coordinator, users.health, 'nhs-trust', 'practitioner');
    await makeCoordinatorChannel(t, users.coordinator);
  });
  afterAll(async () => {
    await t.stop();
    await client.close();
  });

  it('goes back to the last question when the referrer types back at the review, rather than failing', async () => {
    expect(await walkToSubmit(users.probation)).toBeDefined();
    t.logLines.length = 0;
    const back = await say(users.probation, 'back');
    expect(said(back)).not.toMatch(/went wrong/i);
    const documents = walkCard(bodies(back));
    expect(JSON.stringify(documents)).toContain('Documents held elsewhere');
    expect(t.logLines.join('')).not.toContain('turn failed');
    // The walk carries on from there: answering it again returns to the review.
    expect(
      submitOf(await say(users.probation, { value: press(documents!, 'Save and continue', CAT2_LEVEL2_CARDS) })),
    ).toBeDefined();
  });

  it('leaves the channel card alone when a card action is refused, and updates it when one succeeds', async () => {
    const submit = await walkToSubmit(users.police);
    await say(users.police, { value: submit!.data });
    const referral = await client
      .db(t.dbName)
      .collection('referrals')
      .findOne({ status: 'submitted', 'sections.referrer.referrer.aadObjectId': users.police.aadObjectId });
    const referralId = String(referral?._id);
    const channelUpdates = () => t.connector.sent.filter((a) => a.method === 'PUT');

    // A question with nothing typed is refused: nothing changed, so nothing to update.
    t.connector.clear();
    const blank = await postActivity(
      t.url,
      cardAction(t.connector.url, users.coordinator, 'referral.requestInfo', { referralId, question: ' ' }),
    );
    expect(text(invokeCard(blank.body))).not.toContain('Question sent');
    expect(channelUpdates()).toHaveLength(0);

    t.connector.clear();
    await postActivity(
      t.url,
      cardAction(t.connector.url, users.coordinator, 'referral.requestInfo', {
        referralId,
        question: 'Is the release address confirmed?',
      }),
    );
    expect(channelUpdates()).toHaveLength(1);

    // Another practitioner answering the referrer's question is refused, and the channel sees nothing.
    t.connector.clear();
    const refused = await postActivity(
      t.url,
      cardAction(t.connector.url, users.health, 'referral.answerInfo', { referralId, answer: 'Not mine to say' }),
    );
    expect(JSON.stringify(invokeCard(refused.body))).not.toContain('Not mine to say');
    expect(channelUpdates()).toHaveLength(0);

    t.connector.clear();
    await postActivity(
      t.url,
      cardAction(t.connector.url, users.police, 'referral.answerInfo', { referralId, answer: 'Yes, approved' }),
    );
    expect(channelUpdates()).toHaveLength(1);

    // A level that is not a number is refused in words, not schema text, and changes nothing.
    t.connector.clear();
    const oddLevel = await postActivity(
      t.url,
      cardAction(t.connector.url, users.coordinator, 'referral.approve', { referralId, level: 'two', noteL2: 'x' }),
    );
    expect(text(invokeCard(oddLevel.body))).toContain('Approve at Level 2 or Level 3');
    expect(JSON.stringify(invokeCard(oddLevel.body))).not.toMatch(/invalid input|expected number|received/i);
    expect(channelUpdates()).toHaveLength(0);

    t.connector.clear();
    await postActivity(
      t.url,
      cardAction(t.connector.url, users.coordinator, 'referral.reject', {
        referralId,
        reason: 'Single agency can manage',
      }),
    );
    expect(channelUpdates()).toHaveLength(1);

    // A second decision changes nothing, so the channel card is not touched again.
    t.connector.clear();
    const again = await postActivity(
      t.url,
      cardAction(t.connector.url, users.coordinator, 'referral.approve', { referralId, level: 2, noteL2: 'x' }),
    );
    expect(text(invokeCard(again.body))).toMatch(/already/i);
    expect(channelUpdates()).toHaveLength(0);
  });
});
