import { cardAction, invokeCard, message, postActivity, users } from '../support/activities';
import { startTestApp, type TestApp } from '../support/app';
import { cardText } from '../support/connector';

const text = (card: Record<string, unknown>) => cardText({ attachments: [{ content: card }] });

describe('malformed activities and payloads get a true answer and are logged as bad input', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('badinput', { BOOTSTRAP_ADMIN_AAD_IDS: users.coordinator.aadObjectId });
  });
  afterAll(async () => t.stop());
  beforeEach(() => {
    t.connector.clear();
    t.logLines.length = 0;
  });

  const logged = () => t.logLines.map((l) => JSON.parse(l) as { level: number; msg: string; badInput?: unknown });
  /** One warning that names the bad input, and nothing logged as a failure. */
  function expectLoggedAsBadInput() {
    const lines = logged();
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    expect(lines.filter((l) => l.msg === 'bad input' && l.level === 40)).toHaveLength(1);
  }

  const click = () => cardAction(t.connector.url, users.coordinator, 'help', {});

  it.each([
    ['an empty value', {}],
    ['a string value', 'x'],
    ['a null value', null],
    ['an Action.Submit action', { action: { type: 'Action.Submit', verb: 'help', data: {} } }],
    ['card data that is not an object', { action: { type: 'Action.Execute', verb: 'help', data: 'x' } }],
  ])('answers a card click with %s with a card saying it could not be read', async (_what, value) => {
    const res = await postActivity(t.url, { ...click(), value });
    expect(res.status).toBe(200);
    const card = text(invokeCard(res.body));
    expect(card).toContain('could not read');
    expect(card).toContain('Nothing was changed');
    expect(card).not.toContain('did not answer');
    expectLoggedAsBadInput();
  });

  it.each([
    ['no sender', { from: undefined }],
    ['no conversation', { conversation: undefined }],
  ])('answers a card click with %s with the same card, not a crash', async (_what, change) => {
    const res = await postActivity(t.url, { ...click(), ...change });
    expect(res.status).toBe(200);
    expect(text(invokeCard(res.body))).toContain('could not read');
    expectLoggedAsBadInput();
  });

  it.each([
    ['no sender', { from: undefined }],
    ['text that is a number', { text: 42 }],
    ['text that is an object', { text: { a: 1 } }],
  ])('answers a message with %s with a short message', async (_what, change) => {
    const res = await postActivity(t.url, { ...message(t.connector.url, users.coordinator, 'help'), ...change });
    expect(res.status).toBe(200);
    const sent = await t.connector.waitFor(() => true);
    expect(String(sent.body.text)).toContain('could not read that message');
    expect(t.connector.sent).toHaveLength(1);
    expectLoggedAsBadInput();
  });

  it('takes a message with no conversation without a crash: there is nowhere to answer', async () => {
    const res = await postActivity(t.url, {
      ...message(t.connector.url, users.coordinator, 'help'),
      conversation: undefined,
    });
    expect(res.status).toBe(200);
    expect(t.connector.sent).toEqual([]);
    expectLoggedAsBadInput();
  });

  it('refuses a body that is not an activity with a short reason', async () => {
    const res = await postActivity(t.url, { ...message(t.connector.url, users.coordinator, 'help'), type: undefined });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('not an activity');
    expectLoggedAsBadInput();
  });

  it('still answers the well-formed version of each', async () => {
    const res = await postActivity(t.url, click());
    expect(text(invokeCard(res.body))).not.toContain('could not read');
    await postActivity(t.url, message(t.connector.url, users.coordinator, 'help'));
    const sent = await t.connector.waitFor(() => true);
    expect(cardText(sent.body)).toContain('help');
    expect(logged().filter((l) => l.msg === 'bad input')).toEqual([]);
  });
});
