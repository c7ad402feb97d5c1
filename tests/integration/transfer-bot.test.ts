/**
 * Issue 16 at the protocol level: two real bots (the north `local-area` and `area-south`) on one
 * database, spoken to as Teams would. A mistyped area, the pending hand-over on the case card and in
 * `transfers`, who may open the transfer card by id, and withdrawing.
 */
import { MongoClient } from 'mongodb';
import type { Repositories } from '../../src/app/ports';
import { createRepositories } from '../../src/store';
import { aNewCase, aRequestActor } from '../fixtures/builders';
import { cardAction, inChannel, message, postActivity, type UserRef } from '../support/activities';
import { enrolByCard, makeCoordinatorChannel, startTestApp, type TestApp } from '../support/app';
import { cardText } from '../support/connector';
import { freshDbName, testMongoUri } from '../support/mongo';
import { TestClock } from '../support/store';

jest.setTimeout(120_000);

const NORTH = 'local-area';
const SOUTH = 'area-south';
const SOUTH_CHANNEL = '19:south-coordinators@thread.tacv2';
const who = (n: number, name: string): UserRef => ({
  id: `29:f16-${n}`,
  aadObjectId: `b0000000-0000-4000-8000-00000000001${n}`,
  name,
});
const northCoordinator = who(1, 'Casey Inventedcoord');
const northProbation = who(2, 'Sam Inventedlead');
const northDwp = who(3, 'Val Inventedelsewhere');
const southCoordinator = who(4, 'Sol Inventedsouth');

describe('transfer between two areas of one database, through the bots', () => {
  let north: TestApp;
  let south: TestApp;
  const dbName = freshDbName('f16bot');
  const client = new MongoClient(testMongoUri());
  let repos: Repositories;

  const say = async (app: TestApp, u: UserRef, text: string): Promise<string> => {
    const before = app.connector.sent.length;
    await postActivity(app.url, message(app.connector.url, u, text));
    return app.connector.sent
      .slice(before)
      .map((a) => `${String(a.body.text ?? '')}\n${cardText(a.body)}`)
      .join('\n');
  };
  const click = async (app: TestApp, u: UserRef, verb: string, data: Record<string, unknown>): Promise<string> => {
    const res = await postActivity(app.url, cardAction(app.connector.url, u, verb, data));
    const b = res.body as { value?: Record<string, unknown> };
    return b.value ? cardText({ attachments: [{ content: b.value }] }) : JSON.stringify(res.body);
  };
  const postedTo = (app: TestApp, from: number, conversation: string) =>
    app.connector.sent
      .slice(from)
      .filter((a) => a.conversationId.startsWith(conversation))
      .map((a) => cardText(a.body))
      .join('\n');

  beforeAll(async () => {
    north = await startTestApp('f16bot', { BOOTSTRAP_ADMIN_AAD_IDS: northCoordinator.aadObjectId }, dbName);
    south = await startTestApp(
      'f16bot',
      {
        BOOTSTRAP_ADMIN_AAD_IDS: southCoordinator.aadObjectId,
        MAPPA_AREA_ID: SOUTH,
        MAPPA_AREA_NAME: 'Invented South',
      },
      dbName,
    );
    await client.connect();
    await enrolByCard(north, northCoordinator, northCoordinator, 'mappa-unit', 'coordinator,admin');
    await enrolByCard(north, northCoordinator, northProbation, 'probation', 'practitioner');
    await enrolByCard(north, northCoordinator, northDwp, 'dwp', 'practitioner');
    await enrolByCard(south, southCoordinator, southCoordinator, 'mappa-unit', 'coordinator,admin');
    await makeCoordinatorChannel(north, northCoordinator);
    await postActivity(
      south.url,
      inChannel(south.connector.url, southCoordinator, 'set coordinator channel', SOUTH_CHANNEL),
    );
    repos = createRepositories(client.db(dbName), new TestClock());
  });
  afterAll(async () => {
    await north.stop();
    await south.stop();
    await client.close();
  });

  it('refuses a mistyped area, shows the pending hand-over on both sides, guards the card, and withdraws', async () => {
    const c = await repos.cases.create(
      aNewCase({ areaId: NORTH, status: 'managed_l2', level: 2, category: 'cat2', leadAgencyId: 'probation' }),
      { by: aRequestActor() },
    );

    const typo = await say(north, northCoordinator, `transfer ${c.ref} to area-sooth`);
    expect(typo).toContain('No MAPPA area area-sooth is known here');
    expect(typo).toContain(`Invented South (${SOUTH})`);
    expect(await client.db(dbName).collection('transfers').countDocuments({ caseId: c.id })).toBe(0);

    const sentSouth = south.connector.sent.length;
    expect(await say(north, northCoordinator, `transfer ${c.ref} to ${SOUTH}`)).toContain('is pending');
    const transferId = String((await client.db(dbName).collection('transfers').findOne({ caseId: c.id }))!._id);
    const handover = postedTo(south, sentSouth, SOUTH_CHANNEL) || postedTo(north, 0, SOUTH_CHANNEL);
    expect(handover).toContain('Responsible now');

    // The sender's case card says where the case is going and since when; the lead agency sees it too.
    for (const u of [northCoordinator, northProbation])
      expect(await say(north, u, `case ${c.ref}`)).toMatch(/Transfer pending[\s\S]*To Invented South since/);
    // Both co-ordinators list it: reference, area and date.
    expect(await say(north, northCoordinator, 'transfers')).toMatch(
      new RegExp(`Out: ${c.ref} to Invented South, since`),
    );
    expect(await say(south, southCoordinator, 'transfers')).toMatch(new RegExp(`In: ${c.ref} from .+, since`));
    expect(await say(north, northProbation, 'transfers')).not.toContain(c.ref);

    // The card by id: the receiving co-ordinator and the case's lead agency see it; someone of the
    // sending area with no part in the case gets the unknown-id answer.
    const southView = await click(south, southCoordinator, 'transfer.refresh', { transferId });
    expect(southView).toContain(c.ref);
    expect(southView).toContain('Responsible now');
    expect(southView).not.toContain(`"${NORTH}"`);
    expect(await click(north, northProbation, 'transfer.refresh', { transferId })).toContain(c.ref);
    const unrelated = await click(north, northDwp, 'transfer.refresh', { transferId });
    expect(unrelated).not.toContain(c.ref);
    expect(unrelated).toBe(await click(north, northDwp, 'transfer.refresh', { transferId: 'no-such-transfer' }));

    // Withdrawn: the sender is told, both channels are told, and the receiver can no longer accept.
    const northSent = north.connector.sent.length;
    const southSent = south.connector.sent.length;
    expect(await say(north, northCoordinator, `transfer withdraw ${c.ref}`)).toContain('is withdrawn');
    const told = [postedTo(north, northSent, '19:'), postedTo(south, southSent, '19:')].join('\n');
    expect(told.match(/withdrew the transfer of/g)?.length).toBe(2);
    expect(await click(south, southCoordinator, 'transfer.accept', { transferId })).toContain('withdrew');
    expect(await say(north, northCoordinator, `case ${c.ref}`)).not.toContain('Transfer pending');
    expect(await say(south, southCoordinator, 'transfers')).not.toContain(c.ref);
  });
});
