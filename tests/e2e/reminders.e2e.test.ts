/**
 * Issue 15, end to end: an action of Priya's due tomorrow → its reminder card arrives in her personal
 * chat (the bot's own sweeper sends it; the test only schedules the reminder with a pinned clock, the
 * injectable clock the scheduler uses) → Mark done with a note → `my actions` no longer lists it.
 * Real bot, real playground, headless Chromium. Screenshots land in test-results/.
 */
import { MongoClient } from 'mongodb';
import type { Page } from 'playwright-core';
import { scheduleActionReminder } from '../../src/app/reminders';
import { systemClock } from '../../src/app/ports/clock.port';
import { createRepositories, MongoReminderRepository } from '../../src/store';
import { aNewAction, aNewCase, aRequestActor } from '../fixtures/builders';
import { testMongoUri } from '../support/mongo';
import { clickCardButton, latestCard, openConversation, screenshot, sendText, waitForBotText } from './support/browser';
import { enrolAsPriya, PRIYA, startMappaStack, type MappaStack } from './support/mappa';

jest.setTimeout(180_000);

const ACTION_TEXT = 'Confirm the approved premises placement with the hostel manager.';
const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

describe('an action reminder in the Agents Playground', () => {
  let stack: MappaStack | undefined;
  let page: Page;
  let caseRef = '';

  beforeAll(async () => {
    // Sweep every second so the reminder goes out while the test watches.
    stack = await startMappaStack('e2e_remind', { REMINDER_SWEEP_SECONDS: '1' });
    page = stack.page;
    await enrolAsPriya(stack.playground, page, {
      aadObjectId: PRIYA.aadObjectId,
      displayName: PRIYA.name,
      agencyId: 'probation',
      roles: 'coordinator,practitioner,admin',
    });
    caseRef = await seedActionDueTomorrow(stack.dbName);
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('delivers the reminder card to personal chat, and Mark done takes it off my actions', async () => {
    await openConversation(page, 'Personal Chat');
    const reminder = latestCard(page, /Reminder: this action is due/);
    await reminder.waitFor({ timeout: 30_000 });
    const shown = await reminder.innerText();
    expect(shown).toContain(`Action for ${caseRef}`);
    expect(shown).toContain(ACTION_TEXT);
    await screenshot(page, 'reminder-01-card');

    // Typed key by key into this card's own box: a value set in one go did not reach the submitted data here.
    const note = 'Placement confirmed by phone with the manager.';
    await page.waitForTimeout(1500);
    const box = latestCard(page, /Reminder: this action is due/).getByLabel(/^Progress or completion note/);
    await box.click();
    await page.keyboard.type(note);
    await expect(box.inputValue()).resolves.toBe(note);
    await clickCardButton(page, 'Mark done', { cardText: ACTION_TEXT });
    await latestCard(page, /Done on/).waitFor({ timeout: 15_000 });
    await screenshot(page, 'reminder-02-done');

    await sendText(page, 'my actions');
    await waitForBotText(page, 'You have no open actions.');
    await screenshot(page, 'reminder-03-my-actions');
  });
});

/** A case with one action Priya owns, due tomorrow, and its reminder scheduled as an action write would. */
async function seedActionDueTomorrow(dbName: string): Promise<string> {
  const client = new MongoClient(testMongoUri());
  await client.connect();
  try {
    const db = client.db(dbName);
    const repos = createRepositories(db, systemClock);
    const c = await repos.cases.create(
      aNewCase({ areaId: 'local-area', status: 'managed_l2', level: 2, category: 'cat2', leadAgencyId: 'probation' }),
      { by: aRequestActor() },
    );
    const action = await repos.actions.create(
      aNewAction({
        areaId: 'local-area',
        caseId: c.id,
        meetingId: 'meeting-e2e',
        text: ACTION_TEXT,
        ownerAadObjectId: PRIYA.aadObjectId,
        ownerName: PRIYA.name,
        ownerAgencyId: 'probation',
        dueDate: tomorrow(),
      }),
      { by: aRequestActor() },
    );
    // Planned with a clock pinned a month back: the "2 working days before" reminder of an action due
    // tomorrow (before today, whatever day and hour the test runs) is then scheduled in the past, so it
    // is due and the bot's sweeper sends it at once. The store stamps the write with the real time, as
    // every writer's does: the sweep reads from the hour slot of the write (README "Several instances").
    const pinned = { now: () => new Date(Date.now() - 30 * 86_400_000) };
    await scheduleActionReminder(
      {
        reminders: new MongoReminderRepository(db, systemClock),
        cases: repos.cases,
        members: repos.members,
        clock: pinned,
      },
      action,
    );
    return c.ref;
  } finally {
    await client.close();
  }
}
