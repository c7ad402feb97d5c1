import { message, postActivity, users } from '../support/activities';
import { enrolByCard, startTestApp, type TestApp } from '../support/app';

/**
 * Teams reads a bot's message text as markup, so a placeholder such as `edit <section number>` would
 * reach the reader as "edit" alone. Whatever the bot says, it goes out with the brackets escaped.
 */
describe('placeholders in what the bot says survive Teams', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('placeholders', { BOOTSTRAP_ADMIN_AAD_IDS: users.coordinator.aadObjectId });
    await enrolByCard(t, users.coordinator, users.probation, 'probation', 'practitioner');
  });
  afterAll(async () => t.stop());

  it('escapes a tag-like placeholder in a message, so "edit <section number>" keeps its words', async () => {
    await postActivity(t.url, message(t.connector.url, users.probation, 'refer new Amy Fictional'));
    t.connector.clear();
    await postActivity(t.url, message(t.connector.url, users.probation, 'edit 2'));
    const said = t.connector.sent.map((a) => String(a.body.text ?? '')).join('\n');
    expect(said).toContain('**edit &lt;section number&gt;**');
    expect(said).not.toMatch(/<[a-z][^>]*>/i);
  });
});
