import { createHmac } from 'node:crypto';
import { MongoClient } from 'mongodb';
import type { CaseRecord, Repositories } from '../../src/app/ports';
import { createRepositories } from '../../src/store';
import { inChannel, message, postActivity, type UserRef } from '../support/activities';
import { enrolByCard, makeCoordinatorChannel, startTestApp, type TestApp } from '../support/app';
import { chainedAuditEvents } from '../support/audit';
import { cardText } from '../support/connector';
import { describeFindings, lintCard } from '../support/card-lint';
import { cast, ENROLMENT } from '../support/meeting-run';
import { testMongoUri } from '../support/mongo';
import { aNewCase, aNewSubject, aRequestActor } from '../fixtures/builders';

const SECRET = Buffer.alloc(32, 7);
const PNC = '2011/0456789Q';
const CRN = 'Q654321';
const VISOR = 'VIS-55/2031';
const GIVEN = 'Robin';
const FAMILY = 'Notarealname';
const DOB = '1979-11-23';
const NO_MATCH = 'No case you can see matches that search.';

/** `find` through the real bot: formats, the need-to-know rule for each kind of search, the audit. */
describe('find', () => {
  let t: TestApp;
  let client: MongoClient;
  let repos: Repositories;
  let c: CaseRecord;

  const say = async (
    u: (typeof cast)[keyof typeof cast],
    text: string,
    where: (url: string, u: UserRef, s: string) => object = message,
  ): Promise<string> => {
    const before = t.connector.sent.length;
    await postActivity(t.url, where(t.connector.url, u, text));
    return t.connector.sent
      .slice(before)
      .map((a) => `${String(a.body.text ?? '')}\n${cardText(a.body)}`)
      .join('\n');
  };

  beforeAll(async () => {
    t = await startTestApp('botfind', {
      BOOTSTRAP_ADMIN_AAD_IDS: cast.coordinator.aadObjectId,
      FIND_HASH_SECRET: SECRET.toString('base64'),
    });
    await enrolByCard(t, cast.coordinator, cast.coordinator, 'mappa-unit', 'coordinator,admin');
    for (const [who, agency, roles] of ENROLMENT) await enrolByCard(t, cast.coordinator, cast[who], agency, roles);
    await makeCoordinatorChannel(t, cast.coordinator);
    client = new MongoClient(testMongoUri());
    await client.connect();
    repos = createRepositories(client.db(t.dbName), { now: () => new Date() });
    const subject = await repos.subjects.create(
      aNewSubject({
        areaId: 'local-area',
        name: { given: GIVEN, family: FAMILY },
        dateOfBirth: DOB,
        identifiers: { pnc: PNC, crn: CRN, visor: VISOR },
      }),
      { by: aRequestActor() },
    );
    // Probation leads; no meeting or action involves any other agency.
    c = await repos.cases.create(
      aNewCase({ areaId: 'local-area', subjectId: subject.id, status: 'managed_l2', level: 2, category: 'cat2' }),
      { by: aRequestActor() },
    );
    // A second person with the same date of birth: a name search must not bring them back.
    const other = await repos.subjects.create(
      aNewSubject({
        areaId: 'local-area',
        name: { given: 'Sky', family: 'Otherperson' },
        dateOfBirth: DOB,
        identifiers: {},
      }),
      { by: aRequestActor() },
    );
    await repos.cases.create(aNewCase({ areaId: 'local-area', subjectId: other.id, leadAgencyId: 'probation' }), {
      by: aRequestActor(),
    });
  });
  afterAll(async () => {
    await client.close();
    await t.stop();
  });

  // Each kind of search: the term that finds the case, and one of the same kind that finds nothing.
  const KINDS: ReadonlyArray<readonly [string, string, string]> = [
    ['PNC', `find ${PNC}`, 'find 2011/0456780Q'],
    ['CRN', `find ${CRN.toLowerCase()}`, 'find Q654320'],
    ['case reference', 'find {ref}', 'find MAPPA-2001-9999'],
    ['name and date of birth', `find ${GIVEN} ${FAMILY} 23/11/1979`, `find ${GIVEN} ${FAMILY} 24/11/1979`],
    ['ViSOR reference', `find visor ${VISOR}`, 'find visor VIS-00/0000'],
  ];
  const typed = (s: string) => s.replace('{ref}', c.ref);

  it.each(KINDS)(
    'finds the case by %s for the lead agency, with initials only and an Open case button',
    async (_k, hit) => {
      const before = t.connector.sent.length;
      const text = await say(cast.probation, typed(hit));
      expect(text).toContain(c.ref);
      expect(text).toContain('1 case you can see matches this search');
      expect(text).toContain('R.N.');
      expect(text).toContain('Category 2');
      expect(text).toContain('Level 2');
      expect(text).toContain('Lead agency');
      expect(text).not.toContain(FAMILY);
      expect(text).not.toContain(PNC);
      const card = t.connector.sent[before]!.body.attachments as Array<{ content: Record<string, unknown> }>;
      expect(describeFindings(lintCard(card[0]!.content))).toEqual([]);
      expect(JSON.stringify(card)).toContain(`"command":"case ${c.ref}"`);
    },
  );

  it.each(KINDS)(
    'answers a reader outside the case searching by %s exactly as for no match at all',
    async (kind, hit, miss) => {
      // Police have ViSOR access but no part in this case; the DWP practitioner neither.
      const reader = kind === 'ViSOR reference' ? cast.police : cast.outsider;
      const hidden = await say(reader, typed(hit));
      const missing = await say(reader, typed(miss));
      expect(hidden.trim()).toBe(NO_MATCH);
      expect(missing).toBe(hidden);
      // The co-ordinator sees every case in the area.
      expect(await say(cast.coordinator, typed(hit))).toContain(c.ref);
    },
  );

  it('lets only agencies with ViSOR access search by a ViSOR reference, whatever the reference', async () => {
    const known = await say(cast.housing, `find visor ${VISOR}`);
    const unknown = await say(cast.housing, 'find visor VIS-00/0000');
    expect(known).toContain('Only agencies with ViSOR access');
    expect(unknown).toBe(known);
  });

  it('opens the case from the results as if case and the reference were typed', async () => {
    expect(await say(cast.probation, `case ${c.ref}`)).toContain(`MAPPA case ${c.ref}`);
  });

  it.each([
    ['find 2011/04567', '2015/0012345X'],
    ['find Q65432', 'X123456'],
    ['find MAPPA-2026', 'MAPPA-2026-0042'],
    [`find ${GIVEN} ${FAMILY}`, 'date of birth'],
    [`find ${GIVEN} ${FAMILY} 31/02/1979`, 'not a real date'],
    ['find', 'Type what to search by'],
  ])('answers "%s" with the format it expects, not an error', async (text, expected) => {
    const reply = await say(cast.probation, text);
    expect(reply).toContain(expected);
    expect(reply).not.toMatch(/Error|stack|at Object|undefined/);
  });

  it('works only in personal chat, and only for practitioners and co-ordinators', async () => {
    expect(await say(cast.coordinator, `find ${PNC}`, inChannel)).toContain('works only in a personal chat');
    expect(await say(cast.chair, `find ${PNC}`)).toContain('Your role does not allow **find**');
  });

  it('audits every search with a keyed hash of its terms, never the terms themselves', async () => {
    const db = client.db(t.dbName);
    const events = await (await chainedAuditEvents(db)).find({ action: 'case.searched' }).toArray();
    expect(events.length).toBeGreaterThanOrEqual(KINDS.length * 3);
    const everything = JSON.stringify([
      ...(await db.collection('auditEvents').find({}).toArray()),
      ...(await db.collection('auditQueue').find({}).toArray()),
    ]).toUpperCase();
    for (const raw of [PNC, CRN, VISOR, FAMILY, GIVEN, DOB, '23/11/1979', '2011/04567', 'Q65432'])
      expect(everything).not.toContain(raw.toUpperCase());
    const keyed = (terms: string) => createHmac('sha256', SECRET).update(terms, 'utf8').digest('hex');
    const byPnc = events.find((e) => e.details?.kind === 'pnc' && e.details?.results === 1);
    expect(byPnc?.details?.terms).toBe(keyed(`pnc:${PNC}`));
    expect(byPnc?.details?.refs).toBe(c.ref);
    const hidden = events.find((e) => e.actorAadObjectId === cast.outsider.aadObjectId && e.details?.kind === 'pnc');
    expect(hidden?.details).toMatchObject({ results: 0, refs: '' });
    const refused = events.find((e) => e.details?.kind === 'unreadable');
    expect(refused?.outcome).toBe('denied');
    expect(refused?.details?.terms).toMatch(/^[0-9a-f]{64}$/);
  });
});
