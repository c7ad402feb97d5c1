import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLocalMongo, type LocalMongo } from '../../src/store/local-server';
import { enrolByCard, startTestApp, type TestApp } from '../support/app';
import { cast, clickCard, ENROLMENT, sayInChat, scheduleTestMeeting } from '../support/meeting-run';

/** The database goes away while a police officer is typing their update at their turn. */
describe('a meeting update when the database goes away', () => {
  let db: LocalMongo;
  let t: TestApp;
  let meetingId = '';
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mappa-meeting-outage-'));

  beforeAll(async () => {
    db = await startLocalMongo({ dataDir, port: 0 });
    t = await startTestApp('meetoutage', {
      MONGODB_URI: db.uri,
      MONGODB_CONNECT_TIMEOUT_MS: '1000',
      IDENTITY_CACHE_SECONDS: '30',
      BOOTSTRAP_ADMIN_AAD_IDS: cast.coordinator.aadObjectId,
    });
    await enrolByCard(t, cast.coordinator, cast.coordinator, 'mappa-unit', 'coordinator,admin');
    for (const [who, agency, roles] of ENROLMENT) await enrolByCard(t, cast.coordinator, cast[who], agency, roles);
    const s = await scheduleTestMeeting(t, 'local-area', db.uri);
    meetingId = s.meeting.id;
    await s.close();
    await sayInChat(t, cast.chair, `start meeting ${s.caseRef}`);
    await clickCard(t, cast.police, 'meeting.attendance', { meetingId, agencyId: 'police', status: 'present' });
    await clickCard(t, cast.chair, 'meeting.round.open', { meetingId });
    // The police officer's identity is now held by the instance; the meeting conversation is known.
    await clickCard(t, cast.police, 'meeting.update.open', { meetingId, kind: 'update' });
    // The chair opens the risk, plan and decision forms in their personal chat, as Teams shows them.
    for (const form of ['risk', 'plan', 'decision'] as const) {
      const card = await clickCard(t, cast.chair, 'meeting.form', { meetingId, form }, 'personal');
      const submit = (card.actions as { verb?: string; data?: Record<string, unknown> }[]).find(
        (a) => a.verb === `meeting.${form}`,
      );
      chairForms[form] = submit!.data!;
    }
  });
  const chairForms: Record<string, Record<string, unknown>> = {};
  afterAll(async () => {
    await t.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('says it did not go through and keeps every word typed on the form', async () => {
    await db.stop();
    const typed = 'Home visit done; the address is in order. Police-only follows.';
    const card = JSON.stringify(
      await clickCard(t, cast.police, 'meeting.update.save', {
        meetingId,
        agencyId: 'police',
        kind: 'update',
        version: '',
        confirm: 'true',
        turn: '0',
        content: typed,
        restrictedIntelligence: 'Grade B intelligence kept as typed.',
      }),
    );
    expect(card).toContain('That did not go through');
    expect(card).toContain(typed);
    expect(card).toContain('Grade B intelligence kept as typed.');
    expect(card).toContain('meeting.update.save');
  });

  it('keeps every value typed on the risk, plan and decision forms, with the same words', async () => {
    const typed = {
      risk: { level: 'very_high', toWhom: 'public,children' },
      plan: {
        pillar: 'contingency',
        text: 'If he leaves the address, police to locate him.',
        ownerAgencyId: 'police',
        ownerName: 'DC Typed Keptwell',
        dueDate: '2027-01-12',
      },
      decision: {
        level: '3',
        category: 'cat2',
        rationale: 'Escalation needed: the rationale as typed.',
        dissent: 'Police: stays at Level 2.',
        nextReviewDate: '2027-02-01',
        reviewDateReason: 'Kept reason.',
      },
    } as const;
    for (const form of ['risk', 'plan', 'decision'] as const) {
      const sent = { ...chairForms[form], ...typed[form] };
      const card = JSON.stringify(await clickCard(t, cast.chair, `meeting.${form}`, sent, 'personal'));
      expect(card).toContain('That did not go through');
      for (const value of Object.values(typed[form])) expect(card).toContain(`"value":"${value}"`);
      expect(card).toContain(`"verb":"meeting.${form}"`);
    }
  });
});
