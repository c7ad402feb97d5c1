import { botInstalled, message, postActivity, users } from '../support/activities';
import { startTestApp, type TestApp } from '../support/app';
import { cardText } from '../support/connector';

describe('foundation: the bot over its real HTTP endpoint', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('found');
  });
  afterAll(async () => {
    await t.stop();
  });
  beforeEach(() => t.connector.clear());

  it('posts a welcome card with the protective marking when installed', async () => {
    const res = await postActivity(t.url, botInstalled(t.connector.url, users.probation));
    expect(res.status).toBe(200);
    const sent = await t.connector.waitFor(() => true);
    const text = cardText(sent.body);
    expect(text).toContain('MAPPA Assistant');
    expect(text).toContain('OFFICIAL-SENSITIVE');
    // It promises only what exists: meetings, minutes and action reminders are not built yet.
    expect(text).toMatch(/notify/i);
    expect(text).toMatch(/referrals/i);
    expect(text).not.toMatch(/meetings|minutes|actions/i);
    expect(sent.conversationId).toBe(`a:personal-${users.probation.id}`);
  });

  it('answers help with the command list, marked', async () => {
    await postActivity(t.url, message(t.connector.url, users.police, 'help'));
    const sent = await t.connector.waitFor(() => true);
    const text = cardText(sent.body);
    expect(text).toContain('Here is what I can do');
    expect(text).toMatch(/help/);
    expect(text).toContain('OFFICIAL-SENSITIVE');
  });

  it('understands help with an @mention prefix and odd spacing, as sent in channels', async () => {
    await postActivity(t.url, message(t.connector.url, users.police, '<at>MAPPA Assistant</at>\u00a0 HELP '));
    const sent = await t.connector.waitFor(() => true);
    expect(cardText(sent.body)).toContain('Here is what I can do');
  });

  it('answers an unknown command with a pointer to help', async () => {
    await postActivity(t.url, message(t.connector.url, users.police, 'what now?'));
    const sent = await t.connector.waitFor(() => true);
    expect(String(sent.body.text)).toContain('help');
  });

  it('never logs what a user typed', async () => {
    await postActivity(t.url, message(t.connector.url, users.police, 'Subject lives at 12 Example Road'));
    await t.connector.waitFor(() => true);
    expect(t.logLines.join('\n')).not.toContain('Example Road');
  });

  it('reports health and readiness', async () => {
    const health = await fetch(`${t.url}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${t.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });
});
