import { cardAction, invokeCard, message, postActivity, users } from '../support/activities';
import { enrolByCard, startTestApp, type TestApp } from '../support/app';

/** Schema-speak that must never reach a practitioner ("Expected release date" is a label, so not "expected" alone). */
const RAW =
  /invalid input|invalid option|expected (a |an |one of|string|number|boolean|array|object)|received (string|number|boolean|array|object|undefined|null)|slug|too big|too small|unrecognized|must match|invalid string/i;
const WRONG: readonly unknown[] = [42, true, { a: 1 }, ['x', 2]];
/** Choice inputs also get values that are not among their choices. */
const UNCHOSEN = new Set(['category', 'leadAgencyId', 'custodyStatus', 'agencyId', 'roles']);
const valuesFor = (field: string) => (UNCHOSEN.has(field) ? [...WRONG, 'Not A Valid Choice'] : WRONG);

const NOTIFY_FIELDS = {
  givenName: 'Terry',
  familyName: 'Imaginary',
  aliases: 'TJ',
  dateOfBirth: '1990-04-01',
  pnc: '2019/0012345X',
  crn: '',
  visor: '',
  prisonNumber: '',
  category: 'cat2',
  eligibilityReasons: 'Convicted of a specified violent offence',
  leadAgencyId: 'probation',
  sentenceDate: '2026-11-02',
  releaseDate: '',
  custodyStatus: 'custody',
  notes: '',
};
const MEMBER_FIELDS = {
  aadObjectId: users.police.aadObjectId,
  displayName: 'Priya Okafor',
  agencyId: 'police',
  roles: 'practitioner',
};

describe('form errors reach people as sentences, never as schema text', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('formerrors', { BOOTSTRAP_ADMIN_AAD_IDS: users.coordinator.aadObjectId });
    await enrolByCard(t, users.coordinator, users.coordinator, 'mappa-unit', 'coordinator,admin');
  });
  afterAll(async () => t.stop());

  async function draftId(): Promise<string> {
    t.connector.clear();
    await postActivity(t.url, message(t.connector.url, users.coordinator, 'notify'));
    const sent = await t.connector.waitFor(() => true);
    const card = (sent.body.attachments as Array<{ content: { actions: Array<{ data: { draftId: string } }> } }>)[0]!
      .content;
    return card.actions[0]!.data.draftId;
  }

  it.each(Object.keys(NOTIFY_FIELDS))('the notify form answers a wrong-typed %s in words', async (field) => {
    const id = await draftId();
    for (const value of valuesFor(field)) {
      const res = await postActivity(
        t.url,
        cardAction(t.connector.url, users.coordinator, 'notification.submit', {
          draftId: id,
          ...NOTIFY_FIELDS,
          [field]: value,
        }),
      );
      expect(res.status).toBe(200);
      const json = JSON.stringify(invokeCard(res.body));
      expect(json).not.toMatch(RAW);
      expect(json).not.toContain('Notification sent');
    }
  });

  it.each(Object.keys(MEMBER_FIELDS))('the add-member form answers a wrong-typed %s in words', async (field) => {
    for (const value of valuesFor(field)) {
      const res = await postActivity(
        t.url,
        cardAction(t.connector.url, users.coordinator, 'member.add', { ...MEMBER_FIELDS, [field]: value }),
      );
      expect(res.status).toBe(200);
      const json = JSON.stringify(invokeCard(res.body));
      expect(json).not.toMatch(RAW);
      expect(json).not.toContain('Member added');
    }
  });

  it.each(['aadObjectId', 'roles'])('the change-roles form answers a wrong-typed %s in words', async (field) => {
    for (const value of valuesFor(field)) {
      const res = await postActivity(
        t.url,
        cardAction(t.connector.url, users.coordinator, 'member.setRoles', {
          aadObjectId: users.coordinator.aadObjectId,
          roles: 'coordinator,admin',
          [field]: value,
        }),
      );
      expect(JSON.stringify(invokeCard(res.body))).not.toMatch(RAW);
    }
  });
});
