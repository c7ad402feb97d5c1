import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { CAT2_LEVEL2_CARDS } from '../fixtures/referral-answers';
import { cardAction, message, postActivity, TENANT_ID, users } from '../support/activities';
import { freePort, startBotProcess } from '../support/bot-process';
import { startFakeConnector, type FakeConnector } from '../support/connector';
import { freshDbName, testMongoUri } from '../support/mongo';
import { press, walkCard, type SentLike } from '../support/referral-walk';

describe('a conversation survives the bot being killed', () => {
  let connector: FakeConnector;
  let bot: ChildProcess | undefined;
  const env = {
    BOT_AUTH: 'none',
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    SCHEDULER_ENABLED: 'false',
    MONGODB_URI: testMongoUri(),
    MONGODB_DB: freshDbName('restart'),
    ALLOWED_TENANT_IDS: TENANT_ID,
    BOOTSTRAP_ADMIN_AAD_IDS: users.coordinator.aadObjectId,
  };

  beforeAll(async () => {
    connector = await startFakeConnector();
  });
  afterAll(async () => {
    if (bot?.exitCode === null) bot.kill('SIGKILL');
    await connector.close();
  });

  it('continues a referral at the next question after SIGKILL and a restart', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    bot = await startBotProcess(env, port);
    await postActivity(
      url,
      cardAction(connector.url, users.coordinator, 'member.add', {
        aadObjectId: users.probation.aadObjectId,
        displayName: users.probation.name,
        agencyId: 'probation',
        roles: 'practitioner',
      }),
    );
    const card = () => walkCard(connector.sent.map((a) => a.body as SentLike).slice(-1))!;
    const answer = (c: ReturnType<typeof card>) =>
      message(connector.url, users.probation, '', { value: press(c, 'Save and continue', CAT2_LEVEL2_CARDS) });
    connector.clear();
    await postActivity(url, message(connector.url, users.probation, 'refer'));
    await postActivity(url, answer(card()));
    const subject = card();
    expect(JSON.stringify(subject)).toContain('The person referred');

    bot.kill('SIGKILL');
    await once(bot, 'exit');
    // Nothing may still answer on the port: the next answer must come from a new process.
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    bot = await startBotProcess(env, port);

    connector.clear();
    await postActivity(url, answer(subject));
    const reply = connector.sent.map((a) => JSON.stringify(a.body)).join('\n');
    expect(reply).toContain('Saved: The person referred.');
    expect(reply).toContain('MAPPA category');
    bot.kill('SIGTERM');
    await once(bot, 'exit');
  });
});
