import { MongoClient } from 'mongodb';
import type { ActionRecord, CaseRecord, Repositories } from '../../src/app/ports';
import { createRepositories } from '../../src/store';
import { cardAction, inChannel, invokeCard, message, postActivity } from '../support/activities';
import { enrolByCard, makeCoordinatorChannel, startTestApp, type TestApp } from '../support/app';
import { cardText } from '../support/connector';
import { cast, clickCard, ENROLMENT } from '../support/meeting-run';
import { testMongoUri } from '../support/mongo';
import { aNewAction, aNewCase, aNewSubject, aRequestActor } from '../fixtures/builders';
import { aLevelDecision } from '../fixtures/domain-builders';

const VISOR = 'VISOR-77123';
const HOUSING_TEXT = 'Confirm the tenancy at the approved address.';
const POLICE_TEXT = 'Visit DC Jamie Notreal’s informant at the Dockside address.';

/** The action cards, the extension card in the co-ordinator channel and `case`, through the real bot. */
describe('action cards and the case view', () => {
  let t: TestApp;
  let client: MongoClient;
  let repos: Repositories;
  let c: CaseRecord;
  let housing: ActionRecord;
  let police: ActionRecord;

  const say = async (u: (typeof cast)[keyof typeof cast], text: string): Promise<string> => {
    const before = t.connector.sent.length;
    await postActivity(t.url, message(t.connector.url, u, text));
    return t.connector.sent
      .slice(before)
      .map((a) => `${String(a.body.text ?? '')}\n${cardText(a.body)}`)
      .join('\n');
  };
  const click = async (u: (typeof cast)[keyof typeof cast], verb: string, data: Record<string, unknown>) =>
    JSON.stringify(await clickCard(t, u, verb, data, 'personal'));
  const fresh = async (id: string) => {
    const r = await repos.actions.get(id);
    if (!r.ok) throw new Error('gone');
    return r.value;
  };
  /** A click on a card showing the action as it stands now (its current version). */
  const clickCurrent = async (
    u: (typeof cast)[keyof typeof cast],
    verb: string,
    actionId: string,
    data: Record<string, unknown>,
  ) => click(u, verb, { actionId, version: String((await fresh(actionId)).version), ...data });

  beforeAll(async () => {
    t = await startTestApp('botactions', { BOOTSTRAP_ADMIN_AAD_IDS: cast.coordinator.aadObjectId });
    await enrolByCard(t, cast.coordinator, cast.coordinator, 'mappa-unit', 'coordinator,admin');
    for (const [who, agency, roles] of ENROLMENT) await enrolByCard(t, cast.coordinator, cast[who], agency, roles);
    await makeCoordinatorChannel(t, cast.coordinator);
    client = new MongoClient(testMongoUri());
    await client.connect();
    repos = createRepositories(client.db(t.dbName), { now: () => new Date() });
    const subject = await repos.subjects.create(
      aNewSubject({ areaId: 'local-area', identifiers: { pnc: '2001/0123456X', visor: VISOR } }),
      { by: aRequestActor() },
    );
    c = await repos.cases.create(
      aNewCase({
        areaId: 'local-area',
        subjectId: subject.id,
        status: 'managed_l2',
        level: 2,
        category: 'cat2',
        leadAgencyId: 'probation',
        keyDates: { nextReviewDate: '2020-01-06' },
        history: [
          {
            ...aLevelDecision(2, { type: 'referral', id: 'referral-1' }),
            from: null,
            actor: { aadObjectId: cast.coordinator.aadObjectId, displayName: 'Casey Coordinator' },
            rationale: 'Two agencies must act together on the release plan.',
          },
        ],
      }),
      { by: aRequestActor() },
    );
    const make = (ownerAgencyId: string, text: string) =>
      repos.actions.create(
        aNewAction({
          areaId: 'local-area',
          caseId: c.id,
          meetingId: 'meeting-earlier',
          ownerAgencyId,
          ownerName: ownerAgencyId,
          text,
          dueDate: '2099-01-15',
          ownerAadObjectId: undefined,
        }),
        { by: aRequestActor() },
      );
    housing = await make('housing-authority', HOUSING_TEXT);
    police = await make('police', POLICE_TEXT);
    // Everyone has a personal chat with the bot, so the bot can tell them things.
    for (const u of [cast.police, cast.housing, cast.coordinator]) await say(u, 'help');
  });
  afterAll(async () => {
    await client.close();
    await t.stop();
  });

  it('shows the case to the lead agency with actions by agency, review lateness and who decided and why', async () => {
    const text = await say(cast.probation, `case ${c.ref}`);
    expect(text).toContain(`MAPPA case ${c.ref}`);
    expect(text).toContain('Category 2');
    expect(text).toContain('Level 2');
    expect(text).toContain('Lead agency');
    expect(text).toMatch(/Review due by 6 Jan 2020 · late by \d+ working days/);
    expect(text).toContain(HOUSING_TEXT);
    expect(text).toContain('Level 2 set by Casey Coordinator. Why: Two agencies must act together');
    expect(text).not.toContain('none →');
    expect(text).toContain('No minutes yet.');
    // Probation owns neither action: no Update buttons for it.
    expect(text).not.toContain('Update action');
  });

  it('gives a duty-to-co-operate reader no police-only text, and police the ViSOR number', async () => {
    const housingView = await say(cast.housing, `case ${c.ref}`);
    expect(housingView).toContain(`MAPPA case ${c.ref}`);
    expect(housingView).not.toContain(VISOR);
    expect(housingView).toContain('Some police-only information is not shown to you.');
    expect(housingView).toContain(`Update action 1: ${HOUSING_TEXT.slice(0, 40)}`);
    expect(housingView).not.toContain(`Update action 2`);
    expect(await say(cast.police, `case ${c.ref}`)).toContain(VISOR);
  });

  it('answers a case the caller cannot see exactly like one that does not exist', async () => {
    const hidden = await say(cast.outsider, `case ${c.ref}`);
    const missing = await say(cast.outsider, `case ${c.ref.replace(/\d{4}$/, '9999')}`);
    expect(hidden).toBe(missing.replace(c.ref.replace(/\d{4}$/, '9999'), c.ref));
    expect(hidden).not.toContain('MAPPA case');
  });

  it('lets the owner agency update from the card, refuses others and names a missing note', async () => {
    const opened = await click(cast.housing, 'action.open', { actionId: housing.id });
    expect(opened).toContain('Save progress note');
    const notMine = await click(cast.probation, 'action.progress', { actionId: housing.id, version: '0', note: 'x' });
    expect(notMine).toContain('Only members of');
    expect(notMine).toContain("the case's chair or the co-ordinator can update this action");
    const noNote = await click(cast.housing, 'action.done', {
      actionId: housing.id,
      version: '0',
      note: '',
      reason: 'typed reason kept',
    });
    expect(noNote).toContain('Progress or completion note (needs attention)');
    expect(noNote).toContain('a note is required to mark the action done');
    expect(noNote).toContain('typed reason kept');
    expect((await fresh(housing.id)).version).toBe(0);

    const data = { actionId: housing.id, version: '0', note: 'Landlord contacted.' };
    const [first, second] = await Promise.all([
      click(cast.housing, 'action.progress', data),
      click(cast.housing, 'action.progress', data),
    ]);
    expect(first + second).toContain('Progress note saved.');
    expect(first + second).toContain('Already recorded');
    expect((await fresh(housing.id)).history).toHaveLength(1);

    const stale = await click(cast.housing, 'action.done', { actionId: housing.id, version: '0', note: 'Old card.' });
    expect(stale).toContain('This action changed since that card was shown');
    expect(stale).toContain('Old card.');
    expect(stale).toContain('Landlord contacted.');
  });

  it('sends an extension to the channel with no action text, and tells the owner the decision', async () => {
    const past = await click(cast.police, 'action.extend', {
      actionId: police.id,
      version: '0',
      dueDate: '2020-01-01',
      reason: 'Court date moved.',
    });
    expect(past).toContain('Choose a new due date after today.');
    expect(past).toContain('Court date moved.');
    const before = t.connector.sent.length;
    const asked = await click(cast.police, 'action.extend', {
      actionId: police.id,
      version: '0',
      dueDate: '2099-03-01',
      reason: 'Court date moved.',
    });
    expect(asked).toContain('the co-ordinator has it');
    const posted = t.connector.sent.slice(before).find((a) => cardText(a.body).includes('Extension asked for'));
    expect(posted).toBeDefined();
    const channelText = JSON.stringify(posted!.body);
    expect(channelText).toContain(c.ref);
    expect(channelText).toContain('Police');
    expect(channelText).not.toContain('Dockside');
    expect(channelText).not.toContain('Jamie');
    expect(channelText).not.toContain('Court date moved.');

    const version = String((await fresh(police.id)).version);
    const byPolice = await click(cast.police, 'action.extension.approve', {
      actionId: police.id,
      version,
      dueDate: '2099-03-01',
    });
    expect(byPolice).toContain('Only the co-ordinator can decide an extension.');
    const detail = await click(cast.coordinator, 'action.extension.refresh', { actionId: police.id });
    expect(detail).toContain('Details (visible to you only)');
    expect(detail).toContain('Court date moved.');

    const noReason = await click(cast.coordinator, 'action.extension.refuse', {
      actionId: police.id,
      version,
      reason: '',
    });
    expect(noReason).toContain('Reason, if you refuse (needs attention)');
    const sentBefore = t.connector.sent.length;
    const approved = await click(cast.coordinator, 'action.extension.approve', {
      actionId: police.id,
      version,
      dueDate: '2099-02-20',
    });
    expect(approved).toContain('Approved: the owner has been told.');
    const told = t.connector.sent
      .slice(sentBefore)
      .filter((a) => a.conversationId === `a:personal-${cast.police.id}`)
      .map((a) => cardText(a.body))
      .join('\n');
    expect(told).toContain(`Extension approved: ${c.ref}`);
    expect(told).toContain('20 Feb 2099');
    expect((await fresh(police.id)).dueDate).toBe('2099-02-20');

    // The same card, now stale, clicked again: the truth about the decision, and the typed reason shown.
    const late = await click(cast.coordinator, 'action.extension.refuse', {
      actionId: police.id,
      version,
      reason: 'No.',
    });
    expect(late).toMatch(
      /This extension was already approved by Casey Coordinator on \d{1,2} \w{3} \d{4}: nothing was changed\./,
    );
    expect(late).not.toContain('what you typed is kept below');
    expect(late).toContain('No.');
    expect((await fresh(police.id)).dueDate).toBe('2099-02-20');
  });

  it('shows what was typed on a stale card even when the action has since closed', async () => {
    const shut = await repos.actions.create(
      aNewAction({
        areaId: 'local-area',
        caseId: c.id,
        meetingId: 'meeting-earlier',
        ownerAgencyId: 'housing-authority',
        ownerName: 'housing-authority',
        text: 'Check the gas safety certificate.',
        dueDate: '2099-01-15',
        ownerAadObjectId: undefined,
      }),
      { by: aRequestActor() },
    );
    const closed = await click(cast.housing, 'action.done', {
      actionId: shut.id,
      version: '0',
      note: 'Certificate seen.',
    });
    expect(closed).toContain('Certificate seen.');
    const progress = await click(cast.housing, 'action.progress', {
      actionId: shut.id,
      version: '0',
      note: 'Typed progress after close.',
    });
    expect(progress).toContain('This action changed since that card was shown');
    expect(progress).toContain('Typed progress after close.');
    const done = await click(cast.housing, 'action.done', {
      actionId: shut.id,
      version: '0',
      note: 'Typed done note.',
    });
    expect(done).toContain('Typed done note.');
    const extend = await click(cast.housing, 'action.extend', {
      actionId: shut.id,
      version: '0',
      dueDate: '2099-04-01',
      reason: 'Typed extension reason.',
    });
    expect(extend).toContain('Typed extension reason.');
    expect(extend).toContain('2099-04-01');
    expect((await fresh(shut.id)).history).toHaveLength(1);
  });
  describe('extension rules found in use (issue 15)', () => {
    const policeAction = (dueDate = '2099-01-15') =>
      repos.actions.create(
        aNewAction({
          areaId: 'local-area',
          caseId: c.id,
          meetingId: 'meeting-earlier',
          ownerAgencyId: 'police',
          ownerName: 'police',
          text: 'Check the curfew monitoring report.',
          dueDate,
          ownerAadObjectId: undefined,
        }),
        { by: aRequestActor() },
      );
    const personalTo = (from: number, u: (typeof cast)[keyof typeof cast]) =>
      t.connector.sent.slice(from).filter((a) => a.conversationId === `a:personal-${u.id}`);

    it('F1: an extension on a cancelled action cannot be approved, and its card says so without buttons', async () => {
      const a = await policeAction();
      await click(cast.police, 'action.extend', {
        actionId: a.id,
        version: '0',
        dueDate: '2099-02-01',
        reason: 'Need more time.',
      });
      const asked = await fresh(a.id);
      // Cancelled as a transfer-out cancels it.
      await repos.actions.update(
        a.id,
        asked.version,
        { status: 'cancelled' },
        { by: aRequestActor() },
        {
          event: 'changed',
          note: 'transferred',
        },
      );
      const refreshed = await click(cast.coordinator, 'action.extension.refresh', { actionId: a.id });
      expect(refreshed).toContain('This action is cancelled, so there is no extension to decide.');
      expect(refreshed).not.toContain('Approve the new date');
      expect(refreshed).not.toContain('Waiting for the co-ordinator');

      const before = t.connector.sent.length;
      const approved = await clickCurrent(cast.coordinator, 'action.extension.approve', a.id, {
        dueDate: '2099-02-01',
      });
      expect(approved).toContain('This action is cancelled, so there is no extension to decide.');
      expect(approved).not.toContain('Approved');
      expect(personalTo(before, cast.police)).toHaveLength(0);
      expect(await fresh(a.id)).toMatchObject({ status: 'cancelled', dueDate: '2099-01-15' });
    });

    it('F2: asking again from an older card after a refusal keeps the new date and reason', async () => {
      const a = await policeAction();
      await click(cast.police, 'action.extend', {
        actionId: a.id,
        version: '0',
        dueDate: '2099-02-01',
        reason: 'Landlord away.',
      });
      await clickCurrent(cast.coordinator, 'action.extension.refuse', a.id, {
        reason: 'No, do it now.',
      });
      const again = await click(cast.police, 'action.extend', {
        actionId: a.id,
        version: '0',
        dueDate: '2099-02-08',
        reason: 'Court adjourned to February.',
      });
      expect(again).not.toContain('Already recorded');
      expect(again).toContain('This action changed since that card was shown');
      expect(again).toContain('what you typed is kept below');
      expect(again).toContain('Court adjourned to February.');
      expect(again).toContain('2099-02-08');
      expect((await fresh(a.id)).extensionRequest).toBeUndefined();
    });

    it('F3: approving a date not after the current due date is refused under the date, the text kept', async () => {
      const a = await policeAction();
      await click(cast.police, 'action.extend', {
        actionId: a.id,
        version: '0',
        dueDate: '2099-02-01',
        reason: 'More time.',
      });
      const early = await clickCurrent(cast.coordinator, 'action.extension.approve', a.id, {
        dueDate: '2099-01-10',
        reason: 'typed note kept',
      });
      expect(early).toContain('New due date to approve (needs attention)');
      expect(early).toContain('Choose a date after the current due date (15 Jan 2099).');
      expect(early).toContain('2099-01-10');
      expect(early).toContain('typed note kept');
      expect((await fresh(a.id)).dueDate).toBe('2099-01-15');
    });

    it('F6: action.open from a team channel answers the clicker alone, and only a reader of the case', async () => {
      // An Action.Execute answer replaces the card for the person who clicked, never for the channel:
      // nothing is posted, and need-to-know is the same as in personal chat.
      const fromChannel = (u: (typeof cast)[keyof typeof cast], actionId: string) => {
        const where = inChannel(t.connector.url, u, '');
        return postActivity(
          t.url,
          cardAction(
            t.connector.url,
            u,
            'action.open',
            { actionId },
            {
              conversation: where.conversation,
              channelData: where.channelData,
            },
          ),
        );
      };
      const a = await policeAction();
      const before = t.connector.sent.length;
      const opened = JSON.stringify(invokeCard((await fromChannel(cast.police, a.id)).body));
      expect(opened).toContain('Check the curfew monitoring report.');
      const hidden = JSON.stringify(invokeCard((await fromChannel(cast.outsider, a.id)).body));
      const missing = JSON.stringify(invokeCard((await fromChannel(cast.outsider, 'no-such-action')).body));
      expect(hidden).not.toContain('curfew');
      expect(hidden).toBe(missing);
      expect(t.connector.sent.length).toBe(before);
    });

    it('F5: a refused field on an extension already decided is still shown', async () => {
      const a = await policeAction();
      await click(cast.police, 'action.extend', {
        actionId: a.id,
        version: '0',
        dueDate: '2099-02-01',
        reason: 'More time.',
      });
      await clickCurrent(cast.coordinator, 'action.extension.approve', a.id, {
        dueDate: '2099-02-01',
      });
      const empty = await clickCurrent(cast.coordinator, 'action.extension.refuse', a.id, {
        reason: '',
      });
      expect(empty).toContain('Give the reason for refusing the extension.');
    });

    it("F7: the extension card's details asked for by someone who may not decide say so truly, the same for any id", async () => {
      const a = await policeAction();
      await click(cast.police, 'action.extend', {
        actionId: a.id,
        version: '0',
        dueDate: '2099-02-01',
        reason: 'Away.',
      });
      const owner = await click(cast.police, 'action.extension.refresh', { actionId: a.id });
      const missing = await click(cast.police, 'action.extension.refresh', { actionId: 'no-such-action' });
      expect(owner).not.toContain('latest card');
      expect(owner).toContain('Only co-ordinators');
      expect(owner).not.toContain('Away.');
      expect(owner).toBe(missing);
    });
  });
});
