/**
 * Issue 14, end to end: end meeting → draft minutes card in the group chat → review in personal chat →
 * approve → `case <ref>` shows the open actions by agency and the approved minutes.
 *
 * To keep it short, the five-agency Level 2 meeting (tests/support/five-agency-meeting.ts) is seeded
 * straight into the bot's database, run to the decision but not ended, and bound to the playground's
 * group chat as if `start meeting` had been typed there. Priya (the playground's only UI user) is a
 * probation co-ordinator, so she may end the meeting and approve the minutes for the chair.
 * Real bot, real playground, headless Chromium. Screenshots land in test-results/.
 */
import { MongoClient } from 'mongodb';
import type { Locator, Page } from 'playwright-core';
import type { MeetingDeps } from '../../src/app/meetings';
import type { Repositories } from '../../src/app/ports';
import type { Member } from '../../src/domain';
import type { Principal } from '../../src/domain/policy';
import { unwrap } from '../../src/lib/result';
import { createRepositories } from '../../src/store';
import { aMember, aNewAction, aNewCase, aNewSubject, aRequestActor, aLevelDecision } from '../fixtures/builders';
import { principalOf } from '../fixtures/referral-answers';
import { holdFiveAgencyMeeting, person } from '../support/five-agency-meeting';
import { testMongoUri } from '../support/mongo';
import { TestClock } from '../support/store';
import { clickCardButton, latestCard, openConversation, screenshot, sendText } from './support/browser';
import { enrolAsPriya, PRIYA, startMappaStack, TENANT_ID, type MappaStack } from './support/mappa';

jest.setTimeout(240_000);

const AREA = 'local-area';
const GROUP_CHAT = 'MAPPA Level 2 Case Discussion';
/** The playground's group chat conversation id (.m365agentsplayground.yml, groupChat.id). */
const GROUP_CHAT_ID = '19:mappa-test-group-chat@thread.v2';
/** The case's subject (invented): never on the shared card. */
const SUBJECT = { given: 'Terry', family: 'Imaginary' };
/** Never on the shared card: the subject, the chair, and minuted text. */
const NOT_SHARED = [
  SUBJECT.given,
  SUBJECT.family,
  'Inspector Robin Madeup',
  'Escalating risk to the sibling',
  'Weekly reporting and home visits.',
];
const MINUTES_TITLE = 'Minutes of the Level 2 meeting';

describe('minutes of a Level 2 meeting, ended in the group chat and approved, in the Agents Playground', () => {
  let stack: MappaStack | undefined;
  let page: Page;
  let caseRef = '';
  const minutesCard = () => latestCard(page, MINUTES_TITLE).filter({ hasText: caseRef });

  beforeAll(async () => {
    stack = await startMappaStack('e2e_minutes');
    page = stack.page;
    await enrolAsPriya(stack.playground, page, {
      aadObjectId: PRIYA.aadObjectId,
      displayName: PRIYA.name,
      agencyId: 'probation',
      roles: 'coordinator,chair,practitioner,admin',
    });
    caseRef = await seedMeetingReadyToEnd(stack.dbName);
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('ends the meeting in the group chat: a minimal draft minutes card, with no names', async () => {
    await openConversation(page, GROUP_CHAT); // first visit installs the app in the group chat
    await latestCard(page, /Type .*help/).waitFor({ timeout: 20_000 });
    await sendText(page, `end meeting ${caseRef}`, { mentionBot: true });
    const shown = await cardText(minutesCard, /Draft, version 1/);
    expect(shown).toContain(caseRef);
    expect(shown).toMatch(/Actions agreed\s*5/);
    expect(shown).toMatch(/Level 3, Category 2/);
    // The copy for everyone in the chat (the playground does not refresh user-specific views): no
    // subject, no people, no minuted text.
    expect(shown).not.toContain('The minutes (visible to you only)');
    for (const s of NOT_SHARED) expect(shown).not.toContain(s);
    await screenshot(page, 'minutes-01-draft-card');
  });

  it('opens the review in personal chat and approves version 1, whose content hash is shown', async () => {
    // The shared card offers the review on Priya's own view: refreshed by the client, or on "Open".
    await untilClicked(minutesCard, ['Review in your personal chat', 'Open the minutes (only you)']);
    await openConversation(page, 'Personal Chat');
    const review = () => latestCard(page, `Review the minutes: ${caseRef}`);
    await cardText(review, /Draft, version 1/);
    await untilClicked(review, ['Approve…'], 'Approve version 1');
    await clickCardButton(page, 'Approve version 1');
    const approved = await cardText(review, /Content hash \(SHA-256\)\s*[0-9a-f]{64}/);
    expect(approved).toMatch(/Approved, version 1/);
    await screenshot(page, 'minutes-02-approved-review');
  });

  it('updates the shared card in the group chat: approved, version 1, still with no names', async () => {
    await openConversation(page, GROUP_CHAT);
    const shown = await cardText(minutesCard, /Approved, version 1/);
    expect(shown).toContain(caseRef);
    expect(shown).not.toMatch(/Draft, version 1/);
    expect(shown).not.toContain('The minutes (visible to you only)');
    for (const s of NOT_SHARED) expect(shown).not.toContain(s);
    await screenshot(page, 'minutes-03-shared-approved');
  });

  it('shows the open actions by agency and the approved minutes on `case <ref>` in personal chat', async () => {
    await openConversation(page, 'Personal Chat');
    await sendText(page, `case ${caseRef}`);
    const shown = await cardText(() => latestCard(page, `MAPPA case ${caseRef}`), /Minutes[\s\S]*Approved/);
    // Priya may read the case: its subject is named here, unlike on the shared card.
    expect(shown).toContain(`${SUBJECT.given} ${SUBJECT.family}`);
    expect(shown).toContain('Open actions');
    // Police: the carried-over visit (in progress) and the two new ones; probation two; NHS one.
    for (const [agency, texts] of [
      ['Police', ['Complete the home visit.', 'Request an exclusion zone', 'Arrest on any contact with the sibling.']],
      ['Probation Service', ['Weekly reporting and home visits.', 'Victim liaison officer to update the victim.']],
      ['NHS Trust', ['Refer to the community mental health team.']],
    ] as const) {
      expect(shown).toContain(agency);
      for (const t of texts) expect(shown).toContain(t);
    }
    // Housing's action was reviewed as done: not open any more.
    expect(shown).not.toContain('Confirm the tenancy at the approved address.');
    expect(shown).toMatch(/Version 1\s*·\s*Approved/);
    await screenshot(page, 'minutes-04-case-card');
  });

  /**
   * The text of the card `find` locates, once it shows `state`. The playground re-renders chats (its
   * own echo, then the delivered copy; a refreshed user-specific view), so the card is looked up
   * afresh on every try rather than held.
   */
  async function cardText(find: () => Locator, state: RegExp, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = await find()
        .innerText({ timeout: 1_000 })
        .catch(() => '');
      if (state.test(text)) return text;
      if (Date.now() > deadline) {
        const said = await latestCard(page)
          .innerText()
          .catch(() => '(no card)');
        throw new Error(`no card shows ${String(state)}; the latest card says:\n${said}`);
      }
      await page.waitForTimeout(100);
    }
  }

  /**
   * Clicks the first of `titles` the card shows, until `untilButton` (or, without it, the first title)
   * can be seen on screen: a button may vanish under a re-render between finding and clicking it.
   */
  async function untilClicked(find: () => Locator, titles: readonly string[], untilButton?: string): Promise<void> {
    const target = untilButton ?? titles[0]!;
    const deadline = Date.now() + 30_000;
    let clickedTarget = false;
    while (!clickedTarget) {
      if (untilButton !== undefined && (await page.locator(`button[title="${untilButton}"]`).count()) > 0) return;
      for (const title of titles) {
        const button = find().locator(`button[title="${title}"]`).first();
        if ((await button.count()) === 0) continue;
        const done = await button
          .click({ timeout: 2_000 })
          .then(() => true)
          .catch(() => false);
        if (done && title === target) clickedTarget = true;
        break;
      }
      if (Date.now() > deadline) throw new Error(`could not press ${titles.join(' / ')}`);
      if (!clickedTarget) await page.waitForTimeout(200);
    }
  }
});

/**
 * The five-agency Level 2 meeting, held up to the decision, on a case whose subject has a name, in the
 * bot's own area; its run is bound to the playground's group chat. Priya is the scheduling
 * co-ordinator; the other people are invented and have no chat with the bot.
 */
async function seedMeetingReadyToEnd(dbName: string): Promise<string> {
  const client = new MongoClient(testMongoUri());
  await client.connect();
  try {
    const clock = new TestClock();
    const repos = createRepositories(client.db(dbName), clock);
    const by = aRequestActor();
    const area = unwrap(await repos.members.getArea(AREA));
    const p: Record<string, Principal> = {
      coordinator: principalOf(unwrap(await repos.members.getMember(TENANT_ID, PRIYA.aadObjectId))),
    };
    const cast: ReadonlyArray<readonly [string, number, string, Member['roles'], string]> = [
      ['chair', 2, 'police', ['chair'], 'Inspector Robin Madeup'],
      ['police1', 3, 'police', ['practitioner'], 'DC Jamie Notreal'],
      ['probation', 5, 'probation', ['practitioner'], 'Sam Invented'],
      ['housing', 6, 'housing-authority', ['practitioner'], 'Lee Pretend'],
      ['children', 7, 'la-childrens-services', ['practitioner'], 'Ari Imagined'],
      ['health', 8, 'nhs-trust', ['practitioner'], 'Dr Kit Fabricated'],
    ];
    for (const [key, n, agencyId, roles, displayName] of cast) {
      const { version: _v, ...input } = aMember({
        aadObjectId: person(n),
        tenantId: TENANT_ID,
        areaId: AREA,
        displayName,
        agencyId,
        roles,
      });
      p[key] = principalOf(unwrap(await repos.members.enrol(input, { by })));
    }
    const subject = await repos.subjects.create(aNewSubject({ areaId: AREA, name: SUBJECT }), { by });
    const caseRecord = await repos.cases.create(
      aNewCase({
        areaId: AREA,
        subjectId: subject.id,
        status: 'managed_l2',
        level: 2,
        category: 'cat2',
        leadAgencyId: 'probation',
        history: [{ ...aLevelDecision(2, { type: 'referral', id: 'referral-e2e' }), from: null }],
      }),
      { by },
    );
    for (const [ownerAgencyId, text] of [
      ['housing-authority', 'Confirm the tenancy at the approved address.'],
      ['police', 'Complete the home visit.'],
    ] as const)
      await repos.actions.create(
        aNewAction({
          areaId: AREA,
          caseId: caseRecord.id,
          meetingId: 'meeting-earlier',
          ownerAgencyId,
          text,
          ownerAadObjectId: undefined,
        }),
        { by },
      );
    const depsOn = (): MeetingDeps & { minutes: Repositories['minutes'] } => ({
      meetings: repos.meetings,
      agencyUpdates: repos.agencyUpdates,
      actions: repos.actions,
      cases: repos.cases,
      referrals: repos.referrals,
      members: repos.members,
      minutes: repos.minutes,
      audit: repos.audit,
      clock,
      areaId: AREA,
    });
    const meeting = await holdFiveAgencyMeeting({ store: { clock, repos }, area, caseRecord, p, depsOn }, depsOn(), {
      end: false,
    });
    // As if `start meeting` had been typed in the playground's group chat (the helper uses another chat).
    await client
      .db(dbName)
      .collection('meetings')
      .updateOne({ _id: meeting.id as never }, { $set: { 'run.conversationId': GROUP_CHAT_ID } });
    return caseRecord.ref;
  } finally {
    await client.close();
  }
}
