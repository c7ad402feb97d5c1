/**
 * Issue 16, end to end: a case moves between two MAPPA areas that share one database. Each area's bot
 * serves its own area (a member is recognised only by their area's bot), so two real bots run on the
 * same database and the playground reaches them through a switchboard the test turns from one to the
 * other: Priya is the north's co-ordinator when she types `transfer`, and the south's when she
 * accepts on the hand-over card and opens the case under its new reference. Screenshots land in
 * test-results/.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MongoClient } from 'mongodb';
import type { Browser, Page } from 'playwright-core';
import { systemClock } from '../../src/app/ports/clock.port';
import { createRepositories } from '../../src/store';
import { MongoConversationDirectory } from '../../src/store/conversation.repository';
import { aNewAction, aNewCase, aNewSubject, aRequestActor } from '../fixtures/builders';
import { freshDbName, testMongoUri } from '../support/mongo';
import { startPlayground, type Playground } from '../../scripts/lib/playground';
import { startBotProcess, type BotProcess } from './support/bot-process';
import {
  latestCard,
  launchBrowser,
  openConversation,
  openPlayground,
  postInChannel,
  screenshot,
  sendText,
  uiMessages,
  waitForBotText,
} from './support/browser';
import {
  CHANNEL_LABEL,
  enrolAsPriya,
  executeAsCurrentUser,
  PRIYA,
  TENANT_ID,
  uiMessageText,
  waitForBotUiMessage,
} from './support/mappa';

jest.setTimeout(90_000);

const NORTH = { id: 'area-north', name: 'Invented North MAPPA area' };
const SOUTH = { id: 'area-south', name: 'Invented South MAPPA area' };

/** Forwards every request to the bot it is turned to; the bots answer the playground directly. */
async function switchboard(): Promise<{ url: string; to(url: string): void; close(): Promise<void> }> {
  let target = '';
  const server = http.createServer((req, res) => {
    const fwd = http.request(
      new URL(req.url ?? '/', target),
      { method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    fwd.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(fwd);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    to: (url) => void (target = url),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('transfer between two areas of one database, in the Agents Playground', () => {
  const dbName = freshDbName('e2e_transfer');
  const bots: BotProcess[] = [];
  let north: BotProcess;
  let south: BotProcess;
  let board: Awaited<ReturnType<typeof switchboard>> | undefined;
  let playground: Playground | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let client: MongoClient;
  let caseRef = '';
  let transferId = '';
  let cardMessage = { conversationId: '', messageId: '' };

  const botFor = async (area: { id: string; name: string }) => {
    const bot = await startBotProcess({
      env: {
        MONGODB_URI: testMongoUri(),
        MONGODB_DB: dbName,
        ALLOWED_TENANT_IDS: TENANT_ID,
        BOOTSTRAP_ADMIN_AAD_IDS: PRIYA.aadObjectId,
        MAPPA_AREA_ID: area.id,
        MAPPA_AREA_NAME: area.name,
        // Priya changes area half-way; each bot must see her as she stands now.
        IDENTITY_CACHE_SECONDS: '0',
      },
    });
    bots.push(bot);
    return bot;
  };

  beforeAll(async () => {
    client = await new MongoClient(testMongoUri()).connect();
    north = await botFor(NORTH);
    south = await botFor(SOUTH);
    board = await switchboard();
    board.to(north.url);
    playground = await startPlayground({ botEndpoint: `${board.url}/api/messages` });
    browser = await launchBrowser();
    page = await openPlayground(browser, playground.url);
    await latestCard(page, /Type .*help/).waitFor({ timeout: 20_000 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await playground?.stop();
    for (const bot of bots) await bot.stop();
    await board?.close();
    await client?.close();
  });

  it('Priya, co-ordinator in the north, has a case there and both areas have a co-ordinator channel', async () => {
    await enrolAsPriya(playground!, page, {
      aadObjectId: PRIYA.aadObjectId,
      displayName: PRIYA.name,
      agencyId: 'mappa-unit',
      roles: 'coordinator,admin',
    });
    await openConversation(page, CHANNEL_LABEL);
    await latestCard(page, /Type .*help/).waitFor({ timeout: 20_000 });
    await postInChannel(page, 'set coordinator channel');
    await waitForBotText(page, 'This channel is now the MAPPA co-ordinator channel');

    const db = client.db(dbName);
    // The south's co-ordinators use the same team channel in the playground (it has only one).
    const northChannel = await db.collection('areaChannels').findOne({ _id: `coordinator:${NORTH.id}` as never });
    await new MongoConversationDirectory(db).setCoordinatorChannel(
      SOUTH.id,
      String(northChannel?.conversationId),
      PRIYA.aadObjectId,
    );
    const repos = createRepositories(db, systemClock);
    const by = aRequestActor();
    // A case of the south's own first, so the moved case gets a reference different from its old one.
    const own = await repos.subjects.create(aNewSubject({ areaId: SOUTH.id }), { by });
    await repos.cases.create(aNewCase({ areaId: SOUTH.id, subjectId: own.id }), { by });
    const subject = await repos.subjects.create(aNewSubject({ areaId: NORTH.id }), { by });
    const c = await repos.cases.create(
      aNewCase({ areaId: NORTH.id, subjectId: subject.id, status: 'managed_l2', level: 2, category: 'cat2' }),
      { by },
    );
    await repos.actions.create(
      aNewAction({ areaId: NORTH.id, caseId: c.id, text: 'Invented home visit', dueDate: '2027-01-15' }),
      { by },
    );
    caseRef = c.ref;
  });

  it('the north co-ordinator types transfer and the hand-over card reaches the south channel, names left out', async () => {
    await openConversation(page, 'Personal Chat');
    const since = uiMessages(page).length;
    await sendText(page, `transfer ${caseRef} to ${SOUTH.id}`);
    await waitForBotText(page, `The transfer of ${caseRef} to ${SOUTH.id} is pending`);
    const card = await waitForBotUiMessage(
      page,
      since,
      (text) => text.includes('transfer.refresh') && text.includes(caseRef),
    );
    const shown = uiMessageText(card);
    for (const fact of ['Level 2', 'Category 2', 'Probation Service']) expect(shown).toContain(fact);
    expect(shown).not.toContain('Imaginary'); // the invented person's family name
    expect(shown).not.toContain('Invented home visit');
    expect(shown).not.toContain('transfer.accept');
    // A channel post is its own thread: the card's buttons act in `<channel>;messageid=<post>`.
    cardMessage = {
      conversationId: card.message!.postConversationId ?? card.actionConversationId,
      messageId: card.message!.messageId,
    };
    const t = await client.db(dbName).collection('transfers').findOne({ caseRef });
    expect(t).toMatchObject({ state: 'pending', mode: 'local', fromAreaId: NORTH.id, toAreaId: SOUTH.id });
    transferId = String(t?._id);
    await openConversation(page, CHANNEL_LABEL);
    await latestCard(page, caseRef).waitFor({ timeout: 15_000 });
    await screenshot(page, 'transfer-01-handover-card');
  });

  it('the south co-ordinator accepts on the card', async () => {
    // Priya moves to the south, and the playground now talks to the south's bot.
    await client
      .db(dbName)
      .collection('members')
      .updateOne({ aadObjectId: PRIYA.aadObjectId }, { $set: { areaId: SOUTH.id } });
    board!.to(south.url);

    // Her own view of the card (what Teams fetches for a receiving co-ordinator) has the details and the buttons.
    const mine = JSON.stringify(
      (
        await executeAsCurrentUser(playground!, {
          ...cardMessage,
          replyToId: cardMessage.messageId,
          verb: 'transfer.refresh',
          data: { transferId },
        })
      ).value,
    );
    expect(mine).toContain('Invented home visit');
    expect(mine).toContain('transfer.accept');

    const answered = JSON.stringify(
      (
        await executeAsCurrentUser(playground!, {
          ...cardMessage,
          replyToId: cardMessage.messageId,
          verb: 'transfer.accept',
          data: { transferId },
        })
      ).value,
    );
    expect(answered).toContain('Accepted: the receiving area is now responsible');
    const t = await client
      .db(dbName)
      .collection('transfers')
      .findOne({ _id: transferId as never });
    expect(t).toMatchObject({ state: 'accepted', receivingRef: expect.stringMatching(/^MAPPA-\d{4}-\d{4}$/) });
    expect(t?.receivingRef).not.toBe(caseRef);
    caseRef = String(t?.receivingRef);
  });

  it('case <new ref> shows the case in the south', async () => {
    await openConversation(page, 'Personal Chat');
    await sendText(page, `case ${caseRef}`);
    const card = latestCard(page, `MAPPA case ${caseRef}`);
    await card.waitFor({ timeout: 20_000 });
    const text = (await card.textContent()) ?? '';
    expect(text).toContain(SOUTH.name);
    expect(text).toContain('Invented home visit');
    await screenshot(page, 'transfer-02-case-in-new-area');
  });
});
