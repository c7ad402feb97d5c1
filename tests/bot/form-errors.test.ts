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

  /** Every element of a card with an id, and the body's last element before the bottom marking. */
  const inputs = (card: Record<string, unknown>) => {
    const found = new Map<string, Record<string, unknown>>();
    const walk = (n: unknown): void => {
      if (Array.isArray(n)) return n.forEach(walk);
      if (n && typeof n === 'object') {
        const o = n as Record<string, unknown>;
        if (typeof o.id === 'string' && String(o.type).startsWith('Input.')) found.set(o.id, o);
        Object.values(o).forEach(walk);
      }
    };
    walk(card.body);
    return found;
  };
  const lastBeforeMarking = (card: Record<string, unknown>) => {
    const body = card.body as Array<{ id?: string; text?: string }>;
    return String(body[body.length - 2]?.text ?? '');
  };

  it('puts the notify errors where the user is looking: named beside Send, on each input, stale ones cleared', async () => {
    const id = await draftId();
    const first = invokeCard(
      (
        await postActivity(
          t.url,
          cardAction(t.connector.url, users.coordinator, 'notification.submit', {
            draftId: id,
            ...NOTIFY_FIELDS,
            givenName: '',
            pnc: 'not a pnc',
          }),
        )
      ).body,
    );
    // The summary sits just above the Send button and names each field.
    expect(lastBeforeMarking(first)).toMatch(/2 fields need attention: Given name, PNC/);
    const fields = inputs(first);
    expect(String(fields.get('givenName')?.label)).toMatch(/needs attention/);
    expect(String(fields.get('pnc')?.label)).toMatch(/needs attention/);
    expect(String(fields.get('familyName')?.label)).not.toMatch(/needs attention/);
    // Required inputs are marked required, each with its own message; no columns to shift.
    for (const f of [
      'givenName',
      'familyName',
      'dateOfBirth',
      'category',
      'eligibilityReasons',
      'leadAgencyId',
      'custodyStatus',
    ]) {
      expect(fields.get(f)?.isRequired).toBe(true);
      expect(String(fields.get(f)?.errorMessage)).not.toBe('');
    }
    expect(JSON.stringify(first)).not.toContain('ColumnSet');

    const second = invokeCard(
      (
        await postActivity(
          t.url,
          cardAction(t.connector.url, users.coordinator, 'notification.submit', {
            draftId: id,
            ...NOTIFY_FIELDS,
            pnc: 'not a pnc',
          }),
        )
      ).body,
    );
    expect(lastBeforeMarking(second)).toMatch(/1 field needs attention: PNC/);
    expect(String(inputs(second).get('givenName')?.label)).not.toMatch(/needs attention/);
    expect(JSON.stringify(second)).not.toContain('"text":"Enter the given name"');
    for (const [, input] of inputs(second)) expect(String(input.errorMessage ?? '')).not.toBe('');
  });

  it('does the same on the add-member form', async () => {
    const card = invokeCard(
      (
        await postActivity(
          t.url,
          cardAction(t.connector.url, users.coordinator, 'member.add', {
            ...MEMBER_FIELDS,
            aadObjectId: 'x',
            roles: '',
          }),
        )
      ).body,
    );
    expect(lastBeforeMarking(card)).toMatch(/2 fields need attention: Microsoft Entra object id, Roles/);
    const fields = inputs(card);
    expect(String(fields.get('aadObjectId')?.label)).toMatch(/needs attention/);
    expect(String(fields.get('roles')?.label)).toMatch(/needs attention/);
    expect(String(fields.get('displayName')?.label)).not.toMatch(/needs attention/);
    for (const f of ['aadObjectId', 'displayName', 'agencyId', 'roles']) expect(fields.get(f)?.isRequired).toBe(true);
  });
});
