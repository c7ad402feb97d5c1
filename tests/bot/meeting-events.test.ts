import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  TurnContext,
  type Request,
  type Response,
} from 'botbuilder';
import type { MeetingRun } from '../../src/domain/meeting-run';
import type { Meeting } from '../../src/domain/meeting.schema';
import { createLogger } from '../../src/config/logger';
import type { BotDeps, HandlerContext } from '../../src/bot/handler-context';
import { meetingParticipantRole, notifyTurn } from '../../src/bot/meeting-events';
import { NOTIFY_BUDGET_MS } from '../../src/bot/meeting-events/notify-turn';
import { unwrap } from '../../src/lib/result';
import { aNewMeeting, aNewMember, aRequestActor } from '../fixtures/builders';
import { FOREIGN_TENANT_ID, postActivity, TENANT_ID } from '../support/activities';
import { startTestApp, type TestApp } from '../support/app';
import type { MeetingCall, RosterMember } from '../support/connector';
import { openTestStore, type TestStore } from '../support/store';

const AREA = 'local-area';
const fixture = (name: string) =>
  JSON.parse(readFileSync(path.join(__dirname, '../fixtures/teams-meetings', name), 'utf8')) as Record<
    string,
    unknown
  > & { conversation: { id: string }; channelData: { meeting: { id: string } } };
const START = fixture('meeting-start.json');
const END = fixture('meeting-end.json');
const CHAT = START.conversation.id;
const TEAMS_MEETING = START.channelData.meeting.id;
const by = aRequestActor();

const run = (extra: Partial<MeetingRun> = {}): MeetingRun => ({
  startedAt: '2026-03-02T10:01:00.000Z',
  startedBy: { aadObjectId: by.aadObjectId, displayName: by.displayName },
  conversationId: CHAT,
  attendance: [],
  previousActions: [],
  plan: [],
  views: [],
  ...extra,
});

describe('inside a real Teams meeting: protocol-level', () => {
  let store: TestStore;
  let t: TestApp;
  let sequence = 0;

  beforeAll(async () => {
    store = await openTestStore('teams-meeting');
    t = await startTestApp('teams-meeting', {}, store.db.databaseName);
  });
  afterAll(async () => {
    await t.stop();
    await store.close();
  });
  beforeEach(() => {
    t.connector.clear();
    t.connector.failMeetingsNext(0, 500);
  });

  /** A meeting in the given state, bound (or not) to the meeting chat. */
  async function aMeetingIn(status: Meeting['status'], r?: MeetingRun): Promise<Meeting> {
    sequence += 1;
    const created = unwrap(
      await store.repos.meetings.create(aNewMeeting({ areaId: AREA, caseId: `case-${sequence}`, sequence: 1 }), { by }),
    );
    if (status === 'scheduled') return created;
    return unwrap(
      await store.repos.meetings.update(created.id, created.version, { status, ...(r ? { run: r } : {}) }, { by }),
    );
  }
  const reload = async (m: Meeting) => unwrap(await store.repos.meetings.get(m.id));
  const event = (base: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    ...base,
    serviceUrl: t.connector.url,
    ...extra,
  });

  describe('meeting start and end events', () => {
    // Each test binds its own meeting to the one meeting chat.
    beforeEach(() => store.db.collection('meetings').deleteMany({}));

    it('records the actual start and the Teams meeting id on the meeting started in that chat, once', async () => {
      const m = await aMeetingIn('in_progress', run());
      const res = await postActivity(t.url, event(START));
      expect(res.status).toBe(200);
      const after = await reload(m);
      expect(after.run).toMatchObject({ actualStart: '2026-03-02T10:00:03.987Z', teamsMeetingId: TEAMS_MEETING });
      expect(after.version).toBe(m.version + 1);

      // Teams delivering the same event again changes nothing.
      await postActivity(t.url, event(START));
      expect((await reload(m)).version).toBe(after.version);
      // The chat hears nothing about it.
      expect(t.connector.sent).toEqual([]);
    });

    it('records the actual end on the meeting the chair ended in the bot before hanging up', async () => {
      const m = await aMeetingIn('held', run({ endedAt: '2026-03-02T11:30:00.000Z' }));
      await postActivity(t.url, event(END));
      expect((await reload(m)).run).toMatchObject({ actualEnd: '2026-03-02T11:32:10.211Z' });
    });

    it('ignores quietly an event from a chat no meeting was started in, and a start before `start meeting`', async () => {
      const scheduled = await aMeetingIn('scheduled');
      const other = event(START, { conversation: { ...START.conversation, id: '19:meeting_unknown@thread.v2' } });
      expect((await postActivity(t.url, other)).status).toBe(200);
      expect((await postActivity(t.url, event(START))).status).toBe(200);
      expect(await reload(scheduled)).toEqual(scheduled);
      expect(t.connector.sent).toEqual([]);
    });

    it('keeps a start before `start meeting` on the scheduled meeting with the same join link, earliest first', async () => {
      // Graph's joinWebUrl carries a context query and may encode differently from the event's JoinUrl.
      const graphUrl =
        'https://teams.microsoft.com/l/meetup-join/19%3AMEETING_ZmFrZS1tZWV0aW5nLWNoYXQtMDAx%40thread.v2/0?context=%7b%22Tid%22%3a%22x%22%7d';
      const sameLink = await aMeetingIn('scheduled');
      await store.repos.meetings.update(
        sameLink.id,
        sameLink.version,
        { onlineMeetingUrl: graphUrl.replace('MEETING_', 'meeting_') },
        { by },
      );
      const otherLink = await aMeetingIn('scheduled');
      await store.repos.meetings.update(
        otherLink.id,
        otherLink.version,
        { onlineMeetingUrl: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_b3RoZXI%40thread.v2/0' },
        { by },
      );
      const before = await reload(otherLink);
      expect((await postActivity(t.url, event(START))).status).toBe(200);
      const kept = await reload(sameLink);
      expect(kept.status).toBe('scheduled');
      expect(kept.teamsCallStart).toEqual({
        at: '2026-03-02T10:00:03.987Z',
        conversationId: CHAT,
        teamsMeetingId: TEAMS_MEETING,
      });
      // The same event again, or a later restart of the call, keeps the first start.
      const later = { ...(START.value as object), StartTime: '2026-03-02T10:20:00Z' };
      await postActivity(t.url, event(START, { value: later }));
      expect((await reload(sameLink)).version).toBe(kept.version);
      expect(await reload(otherLink)).toEqual(before);
      expect(t.connector.sent).toEqual([]);
    });

    it("refuses another tenant's event before it reaches the meetings", async () => {
      const m = await aMeetingIn('in_progress', run());
      const foreign = event(START, {
        conversation: { ...START.conversation, tenantId: FOREIGN_TENANT_ID },
        channelData: { ...START.channelData, tenant: { id: FOREIGN_TENANT_ID } },
      });
      const logged = t.logLines.length;
      expect((await postActivity(t.url, foreign)).status).toBe(200);
      expect(await reload(m)).toEqual(m);
      expect(t.logLines.slice(logged).join('')).not.toContain('teams meeting event');
    });
  });

  describe('the targeted "your turn" notification and the participant role', () => {
    const silent = createLogger('silent', new Writable({ write: (_c, _e, cb) => cb() }));
    const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
    const POLICE_IN_CHAT = (n: number): RosterMember[] =>
      Array.from({ length: n }, (_, i) => ({
        id: `29:police-${i}`,
        aadObjectId: `b0000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        name: `Officer ${i}`,
      }));

    beforeAll(async () => {
      for (const p of POLICE_IN_CHAT(60))
        unwrap(
          await store.repos.members.enrol(
            aNewMember({ areaId: AREA, aadObjectId: p.aadObjectId, displayName: p.name, agencyId: 'police' }),
            { by },
          ),
        );
    });

    /** Runs `logic` inside a real turn for `activity`, as the adapter builds it for a request from Teams. */
    async function inTurn<T>(activity: Record<string, unknown>, logic: (hc: HandlerContext) => Promise<T>) {
      let out: T | undefined;
      const req = { body: activity, headers: {}, method: 'POST' } as unknown as Request;
      const res = {
        status: () => res,
        send: () => res,
        end: () => res,
        header: () => res,
      } as unknown as Response;
      const deps = {
        logger: silent,
        members: { members: store.repos.members, areaId: AREA },
        publicBaseUrl: 'https://mappa.example.org',
      } as unknown as BotDeps;
      await adapter.process(req, res, async (turn: TurnContext) => {
        const hc = {
          turn,
          deps,
          principal: { tenantId: TENANT_ID, aadObjectId: 'a1111111-1111-4111-8111-111111111111', member: null },
        } as unknown as HandlerContext;
        out = await logic(hc);
      });
      return out as T;
    }
    const chairClick = (conversationId = CHAT, meeting: Record<string, unknown> | null = { id: TEAMS_MEETING }) => ({
      ...event(START),
      type: 'message',
      name: undefined,
      value: undefined,
      text: 'next',
      conversation: { ...START.conversation, id: conversationId },
      channelData: { tenant: { id: TENANT_ID }, ...(meeting ? { meeting } : {}) },
    });
    const policeTurn = (r: Partial<MeetingRun> = {}): Meeting =>
      ({
        id: 'm-turn',
        areaId: AREA,
        run: run({
          round: {
            turn: 3,
            order: [
              { agencyId: 'probation', state: 'done' },
              { agencyId: 'police', state: 'current' },
            ],
          },
          ...r,
        }),
      }) as unknown as Meeting;
    const notifications = (): MeetingCall[] => t.connector.meetingCalls.filter((c) => c.path === 'notification');

    it('sends "<Agency>: your turn" to the agency\'s people in the meeting, 50 to a call', async () => {
      // 51 police officers in the chat, one probation officer who must not be told.
      t.connector.setRoster(CHAT, [
        ...POLICE_IN_CHAT(51),
        { id: '29:probation', aadObjectId: 'a3333333-3333-4333-8333-333333333333', name: 'Tom Lindqvist' },
      ]);
      await inTurn(chairClick(), (hc) => notifyTurn(hc, policeTurn()));
      const calls = notifications();
      expect(calls).toHaveLength(2);
      expect(calls.map((c) => c.meetingId)).toEqual([TEAMS_MEETING, TEAMS_MEETING]);
      const recipients = calls.map((c) => (c.body.value as { recipients: string[] }).recipients);
      expect(recipients.map((r) => r.length)).toEqual([50, 1]);
      expect(recipients.flat()).toEqual(POLICE_IN_CHAT(51).map((p) => p.id));
      expect(calls[0]?.body).toEqual({
        type: 'targetedMeetingNotification',
        value: {
          recipients: expect.any(Array),
          surfaces: [
            {
              surface: 'meetingStage',
              contentType: 'task',
              content: {
                value: {
                  height: 240,
                  width: 400,
                  title: 'Police: your turn',
                  url: 'https://mappa.example.org/meeting/turn?agency=police',
                },
              },
            },
          ],
        },
      });
    });

    it('uses the Teams meeting id the start event stored, and calls nothing outside a Teams meeting', async () => {
      t.connector.setRoster(CHAT, POLICE_IN_CHAT(2));
      await inTurn(chairClick(CHAT, null), (hc) => notifyTurn(hc, policeTurn({ teamsMeetingId: 'stored-id' })));
      expect(notifications().map((c) => c.meetingId)).toEqual(['stored-id']);

      t.connector.clear();
      // A group chat: no meeting id on the activity and none stored.
      await inTurn(chairClick(CHAT, null), (hc) => notifyTurn(hc, policeTurn()));
      // A channel thread the meeting is not bound to.
      await inTurn(chairClick('19:general@thread.tacv2;messageid=1', null), (hc) => notifyTurn(hc, policeTurn()));
      expect(t.connector.meetingCalls).toEqual([]);
    });

    it("does not fail the chair's turn when Teams answers 500", async () => {
      t.connector.setRoster(CHAT, POLICE_IN_CHAT(3));
      // Failing every attempt the SDK's own retries make.
      t.connector.failMeetingsNext(10, 500);
      const began = Date.now();
      await expect(inTurn(chairClick(), (hc) => notifyTurn(hc, policeTurn()))).resolves.toBeUndefined();
      expect(Date.now() - began).toBeLessThan(NOTIFY_BUDGET_MS + 1000);
      expect(notifications().length).toBeGreaterThanOrEqual(1);
    });

    it("returns the caller's meeting role, null for a non-participant or a connector error, without throwing", async () => {
      const chair = 'a1111111-1111-4111-8111-111111111111';
      t.connector.setParticipant(TEAMS_MEETING, chair, 'Organizer');
      expect(await inTurn(chairClick(), (hc) => meetingParticipantRole(hc))).toBe('Organizer');
      const [call] = t.connector.meetingCalls;
      expect(call).toMatchObject({ method: 'GET', meetingId: TEAMS_MEETING, path: `participants/${chair}` });
      expect(call?.query).toContain(`tenantId=${TENANT_ID}`);

      t.connector.clear();
      t.connector.setParticipant(TEAMS_MEETING, chair, 'Attendee');
      expect(await inTurn(chairClick(), (hc) => meetingParticipantRole(hc))).toBe('Attendee');

      const stranger = await inTurn(chairClick(), (hc) =>
        meetingParticipantRole({
          ...hc,
          principal: { ...hc.principal, aadObjectId: 'c9999999-0000-4000-8000-000000000000' },
        }),
      );
      expect(stranger).toBeNull();

      t.connector.failMeetingsNext(10, 500);
      expect(await inTurn(chairClick(), (hc) => meetingParticipantRole(hc))).toBeNull();
      t.connector.failMeetingsNext(0, 500);
      // Outside a meeting chat there is no meeting to ask about.
      t.connector.clear();
      expect(await inTurn(chairClick(CHAT, null), (hc) => meetingParticipantRole(hc))).toBeNull();
      expect(t.connector.meetingCalls).toEqual([]);
    });
  });
});
