import type { ActionView } from '../../src/app/actions';
import type { ReminderDeps, ReminderNotice, ReminderOutbox } from '../../src/app/reminders';
import { withReminders } from '../../src/app/reminders';
import type { ActionRepository, CaseRecord } from '../../src/app/ports';
import type { Area } from '../../src/domain/area.schema';
import { MongoReminderRepository } from '../../src/store';
import { unwrap } from '../../src/lib/result';
import { aNewCase, aNewMember, aNewSubject, aRequestActor, AREA_ID } from '../fixtures/builders';
import { anArea } from '../fixtures/domain-builders';
import type { TestStore } from './store';

export const OWNER_A = '00000000-0000-4000-8000-00000000a001';
export const OWNER_C = '00000000-0000-4000-8000-00000000a003';
export const HOUSING_1 = '00000000-0000-4000-8000-00000000b001';
export const HOUSING_2 = '00000000-0000-4000-8000-00000000b002';
export const HOUSING_GONE = '00000000-0000-4000-8000-00000000b003';

export interface SentRecord {
  readonly to: string;
  readonly actionId: string;
  readonly lead: string;
  readonly at: string;
}

/** An outbox that records what it was given; `fault` lets a test crash it around the send. */
export class RecordingOutbox implements ReminderOutbox {
  readonly cards: SentRecord[] = [];
  readonly channel: (ReminderNotice & { at: string })[] = [];
  readonly personal: (ReminderNotice & { to: string; at: string })[] = [];
  unreachable = new Set<string>();
  fault: ((phase: 'before' | 'after') => void) | undefined;
  constructor(private readonly now: () => Date) {}

  async actionCard(to: string, view: ActionView, lead: string): Promise<boolean> {
    this.fault?.('before');
    if (this.unreachable.has(to)) return false;
    this.cards.push({ to, actionId: view.action.id, lead, at: this.now().toISOString() });
    this.fault?.('after');
    return Promise.resolve(true);
  }
  async personalNotice(to: string, notice: ReminderNotice): Promise<boolean> {
    if (this.unreachable.has(to)) return false;
    this.personal.push({ ...notice, to, at: this.now().toISOString() });
    return Promise.resolve(true);
  }
  async coordinatorNotice(notice: ReminderNotice): Promise<boolean> {
    this.channel.push({ ...notice, at: this.now().toISOString() });
    return Promise.resolve(true);
  }
}

export interface ReminderSetup {
  readonly deps: ReminderDeps;
  readonly actions: ActionRepository;
  readonly caseRecord: CaseRecord;
}

/** The area (England: its bank holidays), a case, housing members and the reminder-aware action store. */
export async function reminderSetup(store: TestStore, tweak: (area: Area) => Area = (a) => a): Promise<ReminderSetup> {
  const { version: _v, ...area } = tweak(anArea('england-wales', { id: AREA_ID }));
  unwrap(await store.repos.members.createArea(area, { by: aRequestActor() }));
  // Named owners are reminded only while they are active members of the owning agency.
  for (const [aad, agencyId, active] of [
    [OWNER_A, 'prisons', true],
    [OWNER_C, 'dwp', true],
    [HOUSING_1, 'housing', true],
    [HOUSING_2, 'housing', true],
    [HOUSING_GONE, 'housing', false],
  ] as const) {
    unwrap(
      await store.repos.members.enrol(
        aNewMember({ aadObjectId: aad, agencyId, active, displayName: `Member ${aad.slice(-4)}` }),
        { by: aRequestActor() },
      ),
    );
  }
  const subject = await store.repos.subjects.create(aNewSubject({ areaId: AREA_ID }), { by: aRequestActor() });
  const caseRecord = await store.repos.cases.create(
    aNewCase({ areaId: AREA_ID, subjectId: subject.id, leadAgencyId: 'probation' }),
    { by: aRequestActor() },
  );
  const deps: ReminderDeps = {
    reminders: new MongoReminderRepository(store.db, store.clock),
    actions: store.repos.actions,
    cases: store.repos.cases,
    members: store.repos.members,
    clock: store.clock,
    areaId: AREA_ID,
    deadlines: store.repos,
  };
  return { deps, caseRecord, actions: withReminders(store.repos.actions, deps) };
}
