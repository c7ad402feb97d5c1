import { inChannel, message, postActivity, users, type UserRef } from '../support/activities';
import { enrolByCard, makeCoordinatorChannel, startTestApp, type TestApp } from '../support/app';
import { describeFindings, lintCard } from '../support/card-lint';
import { cardText } from '../support/connector';
import { cast, ENROLMENT } from '../support/meeting-run';

const CONTACT = 'MAPPA Co-ordination Unit, 01632 960000, mappa.unit@example.org';

/** `guide` through the real bot: topics, answers with this area's deadlines and contact, questions. */
describe('guide', () => {
  let t: TestApp;

  const ask = async (
    u: (typeof cast)[keyof typeof cast],
    text: string,
    where: (url: string, u: UserRef, s: string) => object = message,
  ) => {
    const before = t.connector.sent.length;
    await postActivity(t.url, where(t.connector.url, u, text));
    const sent = t.connector.sent.slice(before);
    const cards = sent.flatMap(
      (a) => (a.body.attachments as Array<{ content: Record<string, unknown> }> | undefined) ?? [],
    );
    for (const c of cards) expect(describeFindings(lintCard(c.content))).toEqual([]);
    return {
      text: sent.map((a) => `${String(a.body.text ?? '')}\n${cardText(a.body)}`).join('\n'),
      json: JSON.stringify(cards),
    };
  };

  beforeAll(async () => {
    t = await startTestApp('botguide', {
      BOOTSTRAP_ADMIN_AAD_IDS: cast.coordinator.aadObjectId,
      MAPPA_AREA_NAME: 'Northshire MAPPA',
      MAPPA_CONTACT: CONTACT,
    });
    await enrolByCard(t, cast.coordinator, cast.coordinator, 'mappa-unit', 'coordinator,admin');
    for (const [who, agency, roles] of ENROLMENT) await enrolByCard(t, cast.coordinator, cast[who], agency, roles);
    await makeCoordinatorChannel(t, cast.coordinator);
  });
  afterAll(() => t.stop());

  it('lists the topics as buttons that type guide and the topic', async () => {
    const { text, json } = await ask(cast.housing, 'guide');
    expect(text).toContain('MAPPA guidance');
    for (const title of ['Categories and who is eligible', 'The three levels and their criteria', 'Disclosure'])
      expect(text).toContain(title);
    expect(json).toContain('"command":"guide levels"');
  });

  it('answers "guide levels" with the criteria, its source and the configured contact', async () => {
    const { text } = await ask(cast.housing, 'guide levels');
    expect(text).toContain('The three levels and their criteria');
    expect(text).toContain('Level 3');
    expect(text).toContain('Source: MAPPA Guidance (England and Wales)');
    expect(text).toContain(`MAPPA co-ordination unit for Northshire MAPPA: ${CONTACT}`);
  });

  it("gives this area's referral timescales", async () => {
    const { text } = await ask(cast.probation, 'guide how do I make a referral?');
    expect(text).toContain('Timescales in Northshire MAPPA');
    expect(text).toContain(
      'Co-ordinator decision on a referral: within 10 working days of the referral (area practice)',
    );
  });

  it('matches a free-text question to the nearest topic', async () => {
    expect((await ask(cast.housing, 'guide can I share this with housing?')).text).toContain('Information sharing');
    expect((await ask(cast.police, 'guide who counts as category 3')).text).toContain('Categories and who is eligible');
  });

  it('says when it cannot match a question, and lists the topics', async () => {
    const { text, json } = await ask(cast.housing, 'guide what is the weather like tomorrow?');
    expect(text).toContain('I could not match that to a guidance topic');
    expect(json).toContain('"command":"guide disclosure"');
  });

  it('answers in a channel too (nothing in it is about a case), and refuses someone not enrolled', async () => {
    expect((await ask(cast.chair, 'guide levels', inChannel)).text).toContain('The three levels and their criteria');
    const stranger = await postActivity(t.url, message(t.connector.url, users.health, 'guide levels'));
    expect(stranger.status).toBe(200);
    expect(String(t.connector.sent[t.connector.sent.length - 1]!.body.text)).toMatch(/not enrolled/);
  });

  it('is on the help card for everyone enrolled', async () => {
    expect((await ask(cast.chair, 'help')).text).toMatch(/For everyone[\s\S]*guide/);
  });
});
