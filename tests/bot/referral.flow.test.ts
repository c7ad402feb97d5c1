import JSZip from 'jszip';
import { MongoClient } from 'mongodb';
import {
  cardAction,
  CHANNEL_ID,
  invokeCard,
  message,
  postActivity,
  TENANT_ID,
  users,
  type UserRef,
} from '../support/activities';
import { enrolByCard, makeCoordinatorChannel, startTestApp, type TestApp } from '../support/app';
import { cardText, type SentActivity } from '../support/connector';
import { testMongoUri } from '../support/mongo';
import { CAT2_LEVEL2_CARDS } from '../fixtures/referral-answers';
import { press, reviewCardIn, walkCard, walkToReview, wordsOf, type SentLike } from '../support/referral-walk';

const text = (card: Record<string, unknown>) => cardText({ attachments: [{ content: card }] });

/** A click on the co-ordinator channel's card, as Teams sends it from the channel thread. */
const inChannelExtra = {
  conversation: { id: `${CHANNEL_ID};messageid=1`, conversationType: 'channel', isGroup: true, tenantId: TENANT_ID },
  channelData: { tenant: { id: TENANT_ID }, team: { id: '19:team@thread.tacv2' }, channel: { id: CHANNEL_ID } },
};

describe('MAPPA A referral through the bot', () => {
  let t: TestApp;
  const client = new MongoClient(testMongoUri());

  beforeAll(async () => {
    t = await startTestApp('refflow', { BOOTSTRAP_ADMIN_AAD_IDS: users.coordinator.aadObjectId });
    await client.connect();
    await enrolByCard(t, users.coordinator, users.coordinator, 'mappa-unit', 'coordinator,admin');
    await enrolByCard(t, users.coordinator, users.probation, 'probation', 'practitioner');
    await enrolByCard(t, users.coordinator, users.police, 'police', 'practitioner');
    await makeCoordinatorChannel(t, users.coordinator);
  });
  afterAll(async () => {
    await t.stop();
    await client.close();
  });

  async function say(
    user: UserRef,
    body: string | { value: Record<string, unknown> },
    extra: Record<string, unknown> = {},
  ): Promise<SentActivity[]> {
    t.connector.clear();
    const activity =
      typeof body === 'string'
        ? message(t.connector.url, user, body, extra)
        : message(t.connector.url, user, '', { value: body.value, ...extra });
    await postActivity(t.url, activity);
    return [...t.connector.sent];
  }
  const bodies = (sent: readonly SentActivity[]) => sent.map((a) => a.body as SentLike);

  it('walks a category 2 referral to Level 2, posts it to the co-ordinator, and records the approval', async () => {
    const start = await say(users.probation, 'refer');
    expect(JSON.stringify(bodies(start))).toContain('Section 1 of 12');

    let last: SentActivity[] = start;
    const batches = await walkToReview(bodies(start), async (input) =>
      bodies((last = await say(users.probation, input))),
    );
    // From `refer` to the review card: 48 bot messages when each question was typed on its own.
    expect(batches.flat()).toHaveLength(16);
    const reviewSent = last.find((a) => reviewCardIn([a.body as SentLike]))!;
    const review = reviewCardIn([reviewSent.body as SentLike])!;
    const submit = review.actions!.find((a) => a.title === 'Submit')!;

    // Teams names the card a button was pressed on (replyToId): the review card becomes read-only.
    const submitted = await say(users.probation, { value: submit.data! }, { replyToId: reviewSent.activityId });
    const replaced = submitted.find((a) => a.method === 'PUT' && a.activityId === reviewSent.activityId);
    expect(replaced).toBeDefined();
    const readOnly = JSON.stringify(replaced!.body);
    expect(readOnly).toContain('MAPPA A referral submitted: T.I.');
    expect(readOnly).toContain('OFFICIAL-SENSITIVE');
    expect(readOnly).not.toContain('Action.');
    expect(readOnly).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    // An old Submit pressed again is told what became of the referral, not that the card is out of date.
    const twice = await say(users.probation, { value: submit.data! }, { replyToId: reviewSent.activityId });
    expect(JSON.stringify(bodies(twice))).toMatch(
      /This referral was already submitted on \d{1,2} [A-Z][a-z]{2} \d{4}, so nothing was sent again/,
    );
    expect(twice.some((a) => a.conversationId.includes(';messageid='))).toBe(false);
    const post = submitted.find((a) => a.conversationId.includes(';messageid='));
    expect(post).toBeDefined();
    const channelJson = JSON.stringify(post!.body);
    expect(channelJson).toMatch(/MAPPA-\d{4}-\d{4}/);
    expect(channelJson).toContain('T.I.');
    expect(channelJson).not.toContain('Terry');
    expect(channelJson).toContain('OFFICIAL-SENSITIVE');
    // What the decision rests on is for co-ordinators only: not the level test, RoSH or the referrer's words.
    expect(channelJson).not.toContain('Level 2 test met');
    expect(channelJson).not.toContain('Release due');

    const referral = await client.db(t.dbName).collection('referrals').findOne({ status: 'submitted' });
    const referralId = String(referral?._id);

    // The co-ordinator asks for more: the question goes to the referrer, the answer comes back to the card,
    // and the channel copy shows only that a question was answered.
    t.connector.clear();
    const ask = await postActivity(
      t.url,
      cardAction(t.connector.url, users.coordinator, 'referral.requestInfo', {
        referralId,
        question: 'Does he still contact the victim?',
      }),
    );
    expect(text(invokeCard(ask.body))).toContain('Question sent to the referrer');
    const q = t.connector.sent.find((a) => a.conversationId === `a:personal-${users.probation.id}`);
    expect(cardText(q!.body)).toContain('Does he still contact the victim?');
    t.connector.clear();
    await postActivity(
      t.url,
      cardAction(t.connector.url, users.probation, 'referral.answerInfo', {
        referralId,
        answer: 'Yes, by letter via a cousin in Testtown',
      }),
    );
    const channelUpdate = t.connector.sent.find((a) => a.method === 'PUT');
    expect(channelUpdate).toBeDefined();
    expect(JSON.stringify(channelUpdate!.body)).not.toContain('Testtown');
    expect(JSON.stringify(channelUpdate!.body)).not.toContain('victim');
    const coordinatorView = await postActivity(
      t.url,
      cardAction(t.connector.url, users.coordinator, 'referral.refresh', { referralId }),
    );
    const detailed = text(invokeCard(coordinatorView.body));
    expect(detailed).toContain('Testtown');
    // The co-ordinator can decide from the card: the level test and why, RoSH, the category basis, the reason.
    expect(detailed).toContain('Level 2 test met');
    expect(detailed).toContain('assessed as High or Very High risk of serious harm');
    expect(detailed).toMatch(/Known adult\nHigh/);
    expect(detailed).toContain('Why this category');
    expect(detailed).toContain('Release due and housing and victim safety need several agencies.');
    const otherView = await postActivity(
      t.url,
      cardAction(t.connector.url, users.health, 'referral.refresh', { referralId }),
    );
    expect(JSON.stringify(invokeCard(otherView.body))).not.toContain('Testtown');

    // A practitioner cannot approve, whatever the payload says.
    const forged = await postActivity(
      t.url,
      cardAction(t.connector.url, users.probation, 'referral.approve', { referralId, level: 2, noteL2: 'ok' }),
    );
    expect(text(invokeCard(forged.body))).toContain('Not permitted');

    t.connector.clear();
    const approve = await postActivity(
      t.url,
      cardAction(t.connector.url, users.coordinator, 'referral.approve', {
        referralId,
        level: 2,
        noteL2: 'Level 2 test met: high RoSH to a known adult',
      }),
    );
    const decidedCard = invokeCard(approve.body);
    const decided = text(decidedCard);
    expect(decided).toMatch(new RegExp(`Approved at Level 2 by ${users.coordinator.name}, \\d{1,2} \\w{3} \\d{4}`));
    expect(decided).not.toContain('Decided');
    // Export stays after the decision.
    expect((decidedCard.actions as Array<{ title: string }>).map((a) => a.title)).toContain('Export MAPPA A');
    expect(t.connector.sent.some((a) => a.method === 'PUT')).toBe(true);
    const told = t.connector.sent.find((a) => a.conversationId === `a:personal-${users.probation.id}`);
    expect(cardText(told!.body)).toContain('Referral accepted');

    const stored = await client.db(t.dbName).collection('referrals').findOne({ _id: referral!._id });
    expect(stored?.status).toBe('accepted');

    // The co-ordinator exports the MAPPA A: a short-lived link that works once.
    const exported = await postActivity(
      t.url,
      cardAction(t.connector.url, users.coordinator, 'referral.export', { referralId }),
    );
    const link = /http:\/\/127\.0\.0\.1:\d+\/api\/documents\/[A-Za-z0-9_.-]+/.exec(
      JSON.stringify(invokeCard(exported.body)),
    )?.[0];
    expect(link).toBeDefined();
    const doc = await fetch(link!);
    expect(doc.status).toBe(200);
    expect(doc.headers.get('content-disposition')).toMatch(/attachment; filename="MAPPA-A_MAPPA-\d{4}-\d{4}\.docx"/);
    const zip = await JSZip.loadAsync(Buffer.from(await doc.arrayBuffer()));
    const headers = await Promise.all(
      Object.keys(zip.files)
        .filter((f) => /word\/header\d*\.xml/.test(f))
        .map((f) => zip.file(f)!.async('string')),
    );
    expect(headers.join('')).toContain('OFFICIAL-SENSITIVE');
    expect((await fetch(link!)).status).toBe(410);
    const practitionerExport = await postActivity(
      t.url,
      cardAction(t.connector.url, users.health, 'referral.export', { referralId }),
    );
    expect(JSON.stringify(invokeCard(practitionerExport.body))).not.toContain('/api/documents/');

    // A second click does not decide twice.
    const again = await postActivity(
      t.url,
      cardAction(t.connector.url, users.coordinator, 'referral.reject', { referralId, reason: 'changed my mind' }),
    );
    expect(text(invokeCard(again.body))).toMatch(/already/i);
    expect((await client.db(t.dbName).collection('referrals').findOne({ _id: referral!._id }))?.status).toBe(
      'accepted',
    );

    // Approved at Level 2: "Schedule meeting" sends the schedule card to the clicker's personal chat,
    // never into the shared channel; the click is answered with the referral card as it stands.
    expect((decidedCard.actions as Array<{ title: string }>).map((a) => a.title)).toContain('Schedule meeting');
    t.connector.clear();
    const schedule = await postActivity(
      t.url,
      cardAction(t.connector.url, users.coordinator, 'referral.scheduleMeeting', { referralId }, inChannelExtra),
    );
    const scheduleAnswer = text(invokeCard(schedule.body));
    expect(scheduleAnswer).toContain('The schedule card is in your chat with MAPPA Assistant');
    expect(scheduleAnswer).toContain('Approved at Level 2');
    const scheduleCard = t.connector.sent.filter((a) => a.method === 'POST');
    expect(scheduleCard.map((a) => a.conversationId)).toEqual([`a:personal-${users.coordinator.id}`]);
    expect(cardText(scheduleCard[0]!.body)).toContain('Schedule a MAPPA meeting for');
    // A practitioner pressing it (a forged click) is refused by role; nothing is sent.
    t.connector.clear();
    const forgedSchedule = await postActivity(
      t.url,
      cardAction(t.connector.url, users.probation, 'referral.scheduleMeeting', { referralId }, inChannelExtra),
    );
    expect(text(invokeCard(forgedSchedule.body))).toContain('Not permitted');
    expect(t.connector.sent.filter((a) => a.method === 'POST')).toEqual([]);
    // The case moved on (down to Level 1) after the card was posted: the stale click says so, sends nothing.
    await client
      .db(t.dbName)
      .collection('cases')
      .updateOne({ _id: stored!.caseId }, { $set: { status: 'managed_l1', level: 1 } });
    const stale = await postActivity(
      t.url,
      cardAction(t.connector.url, users.coordinator, 'referral.scheduleMeeting', { referralId }, inChannelExtra),
    );
    const staleAnswer = text(invokeCard(stale.body));
    expect(staleAnswer).toContain('Nothing was sent');
    expect(staleAnswer).toContain('Approved at Level 2');
    expect(t.connector.sent.filter((a) => a.method === 'POST')).toEqual([]);
  });

  it('keeps the place and the draft when the referrer saves, comes back, and switches with refer', async () => {
    const texts = (sent: SentActivity[]) => wordsOf(bodies(sent));
    const started = await say(users.probation, 'refer new Amy Fictional');
    // The name came with the command, so the person's card after the referrer's shows it.
    const sent = await say(users.probation, {
      value: press(walkCard(bodies(started))!, 'Save and continue', CAT2_LEVEL2_CARDS),
    });
    expect(JSON.stringify(bodies(sent))).toContain('"value":"Fictional"');
    expect(texts(await say(users.probation, 'save'))).toContain('Saved: every answer so far is in your draft.');
    expect(JSON.stringify(bodies(await say(users.probation, 'refer')))).toContain('"label":"Aliases or nicknames');

    const switched = await say(users.probation, 'refer new Ben Madeup');
    expect(texts(switched)).toContain('Your referral for A.F. is saved as it is: type **refer A.F.**');
    expect(JSON.stringify(bodies(switched))).toContain('"label":"Your job title"');
    const back = await say(users.probation, 'refer A.F.');
    expect(texts(back)).toContain('Welcome back to your referral for A.F.');
    expect(JSON.stringify(bodies(back))).toContain('"label":"Aliases or nicknames');

    const amy = await client
      .db(t.dbName)
      .collection('referrals')
      .findOne({ status: 'draft', 'sections.subject.name.family': 'Fictional' });
    expect(amy?.sections?.subject?.aliases ?? []).toEqual([]);
    expect(amy?.sections?.referrer?.jobTitle).toBe('Probation Officer');
    await say(users.probation, 'save');
  });

  it('saves a card pressed after the walk ended, or from an earlier step, and carries on without losing it', async () => {
    const first = await say(users.police, 'refer new Cal Notreal');
    const atSubject = await say(users.police, {
      value: press(walkCard(bodies(first))!, 'Save and continue', CAT2_LEVEL2_CARDS),
    });
    const subject = walkCard(bodies(atSubject))!;
    expect(wordsOf(bodies(await say(users.police, 'save')))).toContain('Saved: every answer so far');

    // The walk is closed; the person fills in the card still on screen and presses Save.
    const resumed = await say(users.police, {
      value: press(subject, 'Save and continue', {
        ...CAT2_LEVEL2_CARDS,
        'name.given': 'Cal',
        'name.family': 'Notreal',
      }),
    });
    expect(wordsOf(bodies(resumed))).toContain('Saved: The person referred.');
    const category = walkCard(bodies(resumed))!;
    expect(JSON.stringify(category)).toContain('MAPPA category');

    // At the category card, the person changes the earlier card again: saved, and the category card comes back.
    const earlier = await say(users.police, {
      value: press(subject, 'Save and continue', {
        ...CAT2_LEVEL2_CARDS,
        'name.given': 'Cal',
        'name.family': 'Notreal',
        gender: 'Female',
      }),
    });
    expect(wordsOf(bodies(earlier))).toContain('Saved your changes to The person referred from an earlier card.');
    expect(JSON.stringify(walkCard(bodies(earlier)))).toContain('MAPPA category');
    const draft = await client
      .db(t.dbName)
      .collection('referrals')
      .findOne({ status: 'draft', 'sections.subject.name.family': 'Notreal' });
    expect(draft?.sections?.subject?.gender).toBe('Female');
    await say(users.police, 'cancel');
  });

  it('answers an old review card button with a pointer back to the referral, not an error', async () => {
    const sent = await say(users.probation, {
      value: { verb: 'referral.submit', referralId: 'gone', expectedVersion: 3 },
    });
    expect(sent.map((a) => String(a.body.text ?? '')).join('\n')).toContain('That referral card is out of date');
  });
});
