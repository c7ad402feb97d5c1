/**
 * Issue 13, end to end: a Level 2 meeting scheduled in personal chat and run on its shared card in the
 * playground's group chat: start meeting → attendance → two agency updates → risk → closing view →
 * decision → end meeting, asserting what the chair sees on screen. Forms with free text (the updates,
 * risk, closing view, decision) open in the clicker's personal chat: Priya switches to it to fill the
 * form, then back to the group chat, where the shared card shows what she saved.
 *
 * The playground's UI always acts as one person (Priya), so she is the chair here: a probation
 * co-ordinator who also holds the chair role. The two updates are hers (probation, confirmed at its
 * turn) and police's, which she types on police's behalf as the chair may. Acting as several people
 * at once is covered at protocol level in tests/bot (meeting-run, meeting-findings).
 * Real bot, real playground, headless Chromium. Screenshots land in test-results/.
 */
import { MongoClient } from 'mongodb';
import type { Page } from 'playwright-core';
import { createRepositories } from '../../src/store';
import { systemClock } from '../../src/app/ports/clock.port';
import { aNewCase, aRequestActor } from '../fixtures/builders';
import { aLevelDecision } from '../fixtures/domain-builders';
import { testMongoUri } from '../support/mongo';
import {
  chooseCardOption,
  clickCardButton,
  fillCardDate,
  fillCardInput,
  latestCard,
  openConversation,
  pickCardChoice,
  screenshot,
  sendText,
  tickCardOptions,
  waitForBotText,
} from './support/browser';
import { enrolAsPriya, PRIYA, startMappaStack, type MappaStack } from './support/mappa';
import type { Playground } from '../../scripts/lib/playground';

jest.setTimeout(240_000);

const GROUP_CHAT = 'MAPPA Level 2 Case Discussion';
const PROBATION_UPDATE = 'Reporting weekly; every appointment kept since the last meeting.';
const POLICE_UPDATE = 'Home visit done on Tuesday; the approved address is in order.';
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

describe('a Level 2 meeting run in the group chat, in the Agents Playground', () => {
  let stack: MappaStack | undefined;
  let playground: Playground;
  let page: Page;
  let caseRef = '';
  const meetingTitle = () => `MAPPA Level 2 meeting ${caseRef}`;

  beforeAll(async () => {
    stack = await startMappaStack('e2e_meeting');
    ({ playground, page } = stack);
    await enrolAsPriya(playground, page, {
      aadObjectId: PRIYA.aadObjectId,
      displayName: PRIYA.name,
      agencyId: 'probation',
      roles: 'coordinator,chair,practitioner,admin',
    });
    caseRef = await seedLevel2Case(stack.dbName);
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('schedules the meeting from the schedule card in personal chat', async () => {
    await openConversation(page, 'Personal Chat');
    await sendText(page, `schedule meeting ${caseRef}`);
    const form = latestCard(page, `Schedule a MAPPA meeting for ${caseRef}`);
    await form.waitFor({ timeout: 15_000 });
    await expect(form.innerText()).resolves.toContain('Due by');
    await fillCardDate(page, 'Date (UK)', inDays(3));
    await chooseCardOption(page, 'Chair (a senior probation or police officer)', new RegExp(PRIYA.name));
    await tickCardOptions(page, ['Police']);
    await screenshot(page, 'meeting-01-schedule-filled');
    await clickCardButton(page, 'Schedule the meeting', { cardText: caseRef });
    const done = latestCard(page, `Meeting scheduled for ${caseRef}`);
    await done.waitFor({ timeout: 15_000 });
    const shown = await done.innerText();
    expect(shown).toContain(PRIYA.name);
    expect(shown).toMatch(/Probation Service/);
    expect(shown).toMatch(/Police/);
    // Priya's own invitation arrives in her personal chat, with the case reference only.
    await waitForBotText(page, /Prepare your update/);
    await screenshot(page, 'meeting-02-scheduled');
  });

  it('starts the meeting in the group chat: one shared card with the agenda and confidentiality statement', async () => {
    await openConversation(page, GROUP_CHAT); // first visit installs the app in the group chat
    await latestCard(page, /Type .*help/).waitFor({ timeout: 20_000 });
    await sendText(page, `start meeting ${caseRef}`, { mentionBot: true });
    const card = latestCard(page, meetingTitle());
    await card.waitFor({ timeout: 15_000 });
    const shown = await card.innerText();
    expect(shown).toContain('Confidentiality statement');
    expect(shown).toContain('Probation Service');
    expect(shown).toContain('Police');
    await detailedView();
    await screenshot(page, 'meeting-03-started');
  });

  it('records attendance: Priya marks her agency present, and police present as the chair', async () => {
    await press('Mark my agency present', /Probation Service\s*Present/);
    await tap('Record attendance');
    const form = latestCard(page, `Attendance for ${caseRef}`);
    await form.waitFor({ timeout: 15_000 });
    await chooseCardOption(page, 'Agency', /^Police$/);
    await pickCardChoice(page, 'Attendance', 'Present');
    await clickCardButton(page, 'Record attendance', { cardText: `Attendance for ${caseRef}` });
    await waitForMeeting(/Police\s*Present/);
    const shown = await latestCard(page, meetingTitle()).innerText();
    expect(shown).toMatch(/Police\s*Present/);
    expect(shown).toMatch(/Probation Service\s*Present/);
    await screenshot(page, 'meeting-04-attendance');
  });

  it('takes two agency updates in turn: probation confirms its own, the chair types police’s', async () => {
    await press('Start the round of agency updates', /turn \(1 of 2\)/);
    const first = await latestCard(page, meetingTitle()).innerText();
    const firstAgency = /Round of agency updates: (.+)'s turn/.exec(first)?.[1];
    expect(['Probation Service', 'Police']).toContain(firstAgency);

    const order = firstAgency === 'Police' ? ['Police', 'Probation Service'] : ['Probation Service', 'Police'];
    const lastAgency = order[1];
    for (const agency of order) {
      if (agency === 'Probation Service') {
        await tap("Confirm or amend my agency's update");
        await inPersonalChat(`Probation Service update for ${caseRef}`, 'Confirm the update', 'Update recorded', () =>
          fillCardInput(page, 'Update since the last meeting', PROBATION_UPDATE),
        );
      } else {
        await tap('Type the update for Police');
        await inPersonalChat(
          `Police update for ${caseRef}`,
          'Record the update for Police',
          'Update recorded',
          async (form) => {
            await expect(form.innerText()).resolves.toContain('on its behalf');
            await fillCardInput(page, 'Update since the last meeting', POLICE_UPDATE);
          },
        );
      }
      await waitForMeeting(`Update from ${agency}`);
      await press('Next agency', agency === lastAgency ? 'Now: Risk of serious harm' : /turn \(2 of 2\)/);
    }
    await waitForMeeting(POLICE_UPDATE);
    const shown = await latestCard(page, meetingTitle()).innerText();
    expect(shown).toContain(PROBATION_UPDATE);
    expect(shown).toContain(POLICE_UPDATE);
    expect(shown).toContain(`Update from Police (entered by ${PRIYA.name} on its behalf)`);
    expect(shown).toContain('Now: Risk of serious harm');
    await screenshot(page, 'meeting-05-round-done');
  });

  it('records the risk and takes the closing view', async () => {
    await tap('Record the risk of serious harm');
    await inPersonalChat(`Risk of serious harm for ${caseRef}`, 'Record the risk', 'A known adult', async () => {
      await chooseCardOption(page, 'Risk of serious harm', /^High$/);
      await tickCardOptions(page, ['A known adult']);
    });
    await waitForMeeting('A known adult');

    await tap("Give my agency's view on level and category");
    await inPersonalChat(
      `Your agency's view for ${caseRef}`,
      'Give the view',
      'The plan is working; stay at Level 2.',
      async () => {
        await pickCardChoice(page, 'Level', 'Level 2');
        await chooseCardOption(page, 'Category', /^Category 2/);
        await fillCardInput(page, 'Comment (optional)', 'The plan is working; stay at Level 2.');
      },
    );
    await waitForMeeting('The plan is working; stay at Level 2.');
    const shown = await latestCard(page, meetingTitle()).innerText();
    expect(shown).toContain('Closing views');
    expect(shown).toContain('The plan is working; stay at Level 2.');
    await screenshot(page, 'meeting-06-closing-view');
  });

  it('records the decision and the next review date, then ends the meeting', async () => {
    await tap('Record the decision and next review');
    await inPersonalChat(
      `Decision for ${caseRef}`,
      'Record the decision',
      'Risk is managed by the plan; multi-agency oversight continues.',
      async (form) => {
        await expect(form.innerText()).resolves.toContain("The area's review interval gives the next review on");
        await chooseCardOption(page, 'Category', /^Category 2/);
        await fillCardInput(page, 'Rationale', 'Risk is managed by the plan; multi-agency oversight continues.');
      },
    );
    await waitForMeeting('Risk is managed by the plan; multi-agency oversight continues.');
    await expect(latestCard(page, meetingTitle()).innerText()).resolves.toContain(
      'Decision recorded: the chair can end the meeting',
    );

    // "End the meeting" opens a confirmation inside the card.
    await tap('End the meeting');
    await tap('Yes, end the meeting');
    await waitForMeeting(/Ended on .*: the record is closed/);
    const ended = await latestCard(page, meetingTitle()).innerText();
    expect(ended).toMatch(/Ended on .*: the record is closed/);
    await expect(
      latestCard(page, meetingTitle()).locator('button[title="Yes, end the meeting"]').count(),
    ).resolves.toBe(0);
    await screenshot(page, 'meeting-07-ended');
  });

  /**
   * A form opened from the shared card arrives in Priya's personal chat: she switches there, fills it,
   * saves it, waits for the answer there to show `saved` (her own view of the meeting), and switches
   * back to the group chat.
   */
  async function inPersonalChat(
    formTitle: string,
    button: string,
    saved: string,
    fill: (form: ReturnType<typeof latestCard>) => Promise<void>,
  ): Promise<void> {
    await openConversation(page, 'Personal Chat');
    // Earlier answers in this chat may say the same: the one awaited is the next one to appear.
    const answers = page.locator('.ac-adaptiveCard').filter({ hasText: meetingTitle() }).filter({ hasText: saved });
    // The playground may re-render the chat just after the form arrives (its own echo, then the
    // delivered copy), wiping what was typed into the first rendering; the card then comes back with
    // its "required" message instead of the answer. The form is filled again on the fresh rendering.
    for (let attempt = 1; ; attempt += 1) {
      const form = latestCard(page, formTitle);
      await form.waitFor({ timeout: 20_000 });
      await fill(form);
      const before = await answers.count();
      await clickCardButton(page, button, { cardText: formTitle });
      const outcome = await Promise.race([
        answers
          .nth(before)
          .waitFor({ timeout: 20_000 })
          .then(() => 'saved' as const),
        form
          .locator('.ac-input-validation-failed, [aria-invalid="true"]')
          .first()
          .waitFor({ timeout: 20_000 })
          .then(() => 'wiped' as const),
      ]).catch(() => 'neither' as const);
      if (outcome === 'saved') break;
      if (attempt === 3) throw new Error(`the form "${formTitle}" was not saved (${outcome})`);
    }
    await openConversation(page, GROUP_CHAT);
  }

  /** Presses a button on Priya's view of the meeting card, then waits until the card shows `state`. */
  async function press(title: string, state?: string | RegExp): Promise<void> {
    await tap(title);
    if (state !== undefined) await waitForMeeting(state);
  }

  /**
   * A button of Priya's detailed view. The shared card's update for everyone may still land just after
   * her view was shown (replacing it with the minimal copy), so a vanished button is looked for again.
   */
  async function tap(title: string): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      await detailedView();
      try {
        await clickCardButton(page, title, { cardText: meetingTitle(), timeoutMs: 3_000 });
        return;
      } catch (e) {
        if (attempt === 3) throw e;
      }
    }
  }

  /**
   * Waits until the meeting card shows `state` in Priya's view. The answer to her click (her detailed
   * view, with a line saying what was done) and the bot's update of the shared card for everyone
   * arrive in either order; when the minimal shared copy lands last, she presses "Show details (only
   * you)" as anyone may. So this waits on the meeting's state, not on the one-off line.
   */
  async function waitForMeeting(state: string | RegExp, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const matches = (text: string) => (typeof state === 'string' ? text.includes(state) : state.test(text));
    for (;;) {
      const card = latestCard(page, meetingTitle());
      const text = await card.innerText().catch(() => '');
      if (matches(text)) return;
      const showDetails = card.locator('button[title="Show details (only you)"]');
      // The card may be replaced while pressing (the client refreshing her view): then look again.
      if (!text.includes('Details (visible to you only)') && (await showDetails.count()) > 0)
        await showDetails
          .first()
          .click({ timeout: 2_000 })
          .catch(() => undefined);
      if (Date.now() > deadline) {
        const said = await page.locator('.ac-adaptiveCard').last().innerText();
        throw new Error(`the meeting card does not show ${String(state)}; the latest card says:\n${said}`);
      }
      await page.waitForTimeout(100);
    }
  }

  /** Priya's detailed view of the shared card (refreshed by the client, or on "Show details"). */
  async function detailedView(): Promise<void> {
    await waitForMeeting('Details (visible to you only)');
  }
});

/** A case managed at Level 2, led by probation, decided today (so a meeting in 3 days is not late). */
async function seedLevel2Case(dbName: string): Promise<string> {
  const client = new MongoClient(testMongoUri());
  await client.connect();
  try {
    const repos = createRepositories(client.db(dbName), systemClock);
    const made = await repos.cases.create(
      aNewCase({
        areaId: 'local-area',
        status: 'managed_l2',
        level: 2,
        category: 'cat2',
        leadAgencyId: 'probation',
        history: [
          {
            ...aLevelDecision(2, { type: 'referral', id: 'referral-e2e' }, { decidedAt: new Date().toISOString() }),
            from: null,
          },
        ],
      }),
      { by: aRequestActor() },
    );
    return made.ref;
  } finally {
    await client.close();
  }
}
