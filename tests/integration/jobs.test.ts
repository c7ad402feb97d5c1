import { Writable } from 'node:stream';
import type { ConversationTarget } from '../../src/app/ports/conversations.port';
import type { ReferralReminder } from '../../src/app/referrals';
import { createLogger } from '../../src/config/logger';
import { err, ok } from '../../src/lib/result';
import type { JobDelivery, JobNotice } from '../../src/scheduler/jobs/delivery';
import { memberSyncJob } from '../../src/scheduler/jobs/member-sync.job';
import { referralRemindersJob } from '../../src/scheduler/jobs/referral-reminders.job';
import { retentionReviewJob } from '../../src/scheduler/jobs/retention-review.job';
import { MongoConversationDirectory } from '../../src/store/conversation.repository';
import { AREA_ID, TENANT_ID } from '../fixtures/builders';
import { openTestStore, type TestStore } from '../support/store';

const NOTIFIER = 'b1111111-1111-4111-8111-111111111111';
const UNREACHABLE = 'b2222222-2222-4222-8222-222222222222';
const NO_CHAT = 'b3333333-3333-4333-8333-333333333333';

const target = (conversationId: string, extra: Partial<ConversationTarget>): ConversationTarget => ({
  conversationId,
  conversationType: 'personal',
  tenantId: TENANT_ID,
  serviceUrl: 'https://connector.invalid/',
  botId: '28:bot',
  channelId: 'msteams',
  ...extra,
});

/** Scheduled-job bodies, run as the scheduler runs them, against the real conversation directory. */
describe('scheduled jobs', () => {
  let store: TestStore;
  let conversations: MongoConversationDirectory;
  let sent: { to: string; notice?: JobNotice; text?: string; what: string }[];
  let logLines: Record<string, unknown>[];
  const logger = createLogger(
    'info',
    new Writable({
      write: (chunk: Buffer, _e, cb) => {
        logLines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        cb();
      },
    }),
  );
  const delivery: JobDelivery = {
    postNotice: (channel, notice, what) => {
      sent.push({ to: channel.conversationId, notice, what });
      return Promise.resolve();
    },
    sendText: (chat, text, what) => {
      if (chat.userAadObjectId === UNREACHABLE) return Promise.reject(new Error(`Teams refused: ${text}`));
      sent.push({ to: chat.conversationId, text, what });
      return Promise.resolve();
    },
  };

  beforeAll(async () => {
    store = await openTestStore('jobs');
    conversations = new MongoConversationDirectory(store.db);
    await conversations.remember(target('19:channel', { conversationType: 'channel', teamsChannelId: '19:channel' }));
    await conversations.remember(target('a:notifier', { userAadObjectId: NOTIFIER }));
    await conversations.remember(target('a:unreachable', { userAadObjectId: UNREACHABLE }));
  });
  afterAll(() => store.close());
  beforeEach(() => {
    sent = [];
    logLines = [];
  });

  describe('referral reminders', () => {
    const reminders: ReferralReminder[] = [
      { caseRef: 'MAPPA-2026-0001', due: '2026-02-27', notifierAadObjectId: NOTIFIER, overdue: true },
      { caseRef: 'MAPPA-2026-0002', due: '2026-03-02', notifierAadObjectId: null, overdue: false },
      { caseRef: 'MAPPA-2026-0003', due: '2026-03-02', notifierAadObjectId: UNREACHABLE, overdue: false },
      { caseRef: 'MAPPA-2026-0004', due: '2026-03-02', notifierAadObjectId: NO_CHAT, overdue: false },
    ];
    const job = (due: (today: string) => Promise<readonly ReferralReminder[]>) =>
      referralRemindersJob({
        cron: '0 8 * * 1-5',
        areaId: AREA_ID,
        tenantId: TENANT_ID,
        clock: store.clock,
        due,
        conversations,
        delivery,
        logger,
      });

    it('lists what is due in the channel and reminds each Teams notifier, carrying on past a failed message', async () => {
      await conversations.setCoordinatorChannel(AREA_ID, '19:channel', NOTIFIER);
      // Late evening UTC is still 2 March in the UK (GMT until the end of March): the job asks for the UK day.
      store.clock.set('2026-03-02T23:30:00.000Z');
      const days: string[] = [];
      await job((today) => {
        days.push(today);
        return Promise.resolve(reminders);
      }).run('2026-03-02T08:00');
      expect(days).toEqual(['2026-03-02']);
      expect(sent).toEqual([
        {
          to: '19:channel',
          what: 'the referral reminder',
          notice: {
            title: 'Referrals awaited',
            message: 'These notifications are waiting for a MAPPA A referral from the lead agency.',
            facts: [
              { title: 'MAPPA-2026-0001', value: 'late, was due 27 Feb 2026' },
              { title: 'MAPPA-2026-0002', value: 'due 2 Mar 2026' },
              { title: 'MAPPA-2026-0003', value: 'due 2 Mar 2026' },
              { title: 'MAPPA-2026-0004', value: 'due 2 Mar 2026' },
            ],
          },
        },
        {
          to: 'a:notifier',
          what: 'a referral reminder',
          text: 'Reminder: a MAPPA A referral for MAPPA-2026-0001 was due 27 Feb 2026. Type **refer MAPPA-2026-0001** to start.',
        },
      ]);
      const warned = logLines.filter((l) => l.msg === 'a referral reminder could not be delivered');
      expect(warned).toHaveLength(1);
      expect(JSON.stringify(logLines)).not.toContain('MAPPA-2026-0003');
    });

    it('posts nothing when nothing is due', async () => {
      await job(() => Promise.resolve([])).run('2026-03-03T08:00');
      expect(sent).toEqual([]);
    });
  });

  describe('retention review', () => {
    const due = [
      { caseRef: 'MAPPA-2016-0007', exitDate: '2016-03-02', dueOn: '2026-03-02', erasureInterrupted: false },
    ];
    const job = (areaId: string) =>
      retentionReviewJob({
        cron: '0 7 * * 1',
        areaId,
        clock: store.clock,
        review: async (today, post) => {
          expect(today).toBe('2026-03-02');
          await post(due);
        },
        conversations,
        delivery,
        logger,
      });

    it('posts the cases due for review, by reference and dates only', async () => {
      store.clock.set('2026-03-02T09:00:00.000Z');
      await conversations.setCoordinatorChannel(AREA_ID, '19:channel', NOTIFIER);
      await job(AREA_ID).run('2026-03-02T07:00');
      expect(sent).toEqual([
        {
          to: '19:channel',
          what: 'the retention review',
          notice: {
            title: 'Cases due for retention review',
            message: 'Review with the owning agencies; an admin can then erase personal data in personal chat.',
            facts: [{ title: 'MAPPA-2016-0007', value: 'exited 2 Mar 2016, review due 2 Mar 2026' }],
          },
        },
      ]);
    });

    it('says in the log, not in Teams, that an area has no channel to post to', async () => {
      await job('area-without-channel').run('2026-03-02T07:00');
      expect(sent).toEqual([]);
      expect(logLines.map((l) => l.msg)).toContain('retention review due but no co-ordinator channel is set');
    });
  });

  describe('member sync', () => {
    it('logs how many members changed, never who', async () => {
      await memberSyncJob({
        cron: '0 6 * * *',
        sync: () =>
          Promise.resolve(
            ok({
              added: 1,
              updated: 2,
              deactivated: 3,
              conflicts: [{ aadObjectId: NOTIFIER, agencyIds: ['police', 'probation'] }],
            }),
          ),
        logger,
      }).run('2026-03-02T06:00');
      expect(logLines).toEqual([
        expect.objectContaining({ msg: 'member sync done', added: 1, updated: 2, deactivated: 3, conflicts: 1 }),
      ]);
      expect(JSON.stringify(logLines)).not.toContain(NOTIFIER);
    });

    it('logs the code when no group could be read', async () => {
      await memberSyncJob({
        cron: '0 6 * * *',
        sync: () =>
          Promise.resolve(
            err({ code: 'GROUP_READ_FAILED' as const, message: 'group g1', meta: { groupId: 'g1' }, cause: null }),
          ),
        logger,
      }).run('2026-03-02T06:00');
      expect(logLines).toEqual([
        expect.objectContaining({ msg: 'member sync read no groups; nothing changed', code: 'GROUP_READ_FAILED' }),
      ]);
    });
  });
});
