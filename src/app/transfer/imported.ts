import { areaCalendar } from '../../domain/area.schema';
import { isExpired, type Transfer } from '../../domain';
import type { Principal } from '../../domain/policy';
import { nextReminder, reminderIdOf } from '../../domain/reminders';
import { appError, type AppError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';
import { ActionRecord, CaseRecord } from '../ports';
import { actorOf } from '../shared/actor';
import { requireArea } from '../shared/area';
import type { TransferDeps } from './shared';

export type ImportedCheckError = AppError<'SIGNATURE_INVALID' | 'EXPIRED'>;

/**
 * A stored import is checked again before it is acted on, not only when the admin uploaded it: the
 * record could have been altered at rest, and a package can expire while it waits for an answer.
 * `expiry: false` once accepting has begun, so a move cut short can always be finished.
 */
export function checkImported(
  deps: Pick<TransferDeps, 'signer' | 'clock'>,
  t: Transfer,
  opts: { readonly expiry: boolean },
): Result<true, ImportedCheckError> {
  if (!t.signature)
    return err(appError('SIGNATURE_INVALID', 'This hand-over has no signature on record; ask for the package again.'));
  const verified = deps.signer.verify({ package: t.package, signature: t.signature });
  if (!verified.ok)
    return err(
      appError(
        'SIGNATURE_INVALID',
        'The stored hand-over no longer matches its signature, so it cannot be accepted; ask the sending area for a new package.',
        { reason: verified.error.code },
      ),
    );
  if (opts.expiry && isExpired(t.package, deps.clock.now()))
    return err(
      appError(
        'EXPIRED',
        `This hand-over package expired on ${t.package.expiresAt.slice(0, 10)}; ask the sending area for a new one.`,
      ),
    );
  return ok(true);
}

export type AcceptImportedError = AppError<
  'ILLEGAL_TRANSITION' | 'ALREADY_DECIDED' | 'VERSION_CONFLICT' | 'NOT_FOUND' | 'SIGNATURE_INVALID' | 'EXPIRED'
>;

/**
 * Accepting a hand-over from another deployment creates the case here. Same shape as a local move,
 * without transactions: pending → accepting (fixing the new reference), then each action and its
 * reminder is stored held under an id derived from the transfer, then the case (last, so it is only
 * ever seen complete), then accepted and the holds lifted. A retry re-derives the same ids, so it
 * finishes the job and never writes anything twice.
 */
export async function acceptImported(
  deps: TransferDeps,
  principal: Principal,
  transfer: Transfer,
): Promise<Result<Transfer, AcceptImportedError>> {
  let t = transfer;
  const by = actorOf(principal);
  const ctx = { by };

  if (t.state === 'pending') {
    const checked = checkImported(deps, t, { expiry: true });
    if (!checked.ok) return checked;
    const ref = await deps.transfers.allocateRef(t.toAreaId, deps.clock.now().toISOString().slice(0, 4));
    const moved = await deps.transfers.advance(
      t.id,
      ['pending'],
      'accepting',
      {
        decidedBy: { aadObjectId: by.aadObjectId, displayName: by.displayName },
        decidedAt: deps.clock.now().toISOString(),
        receivingRef: ref,
      },
      ctx,
    );
    if (!moved.ok) {
      const again = await deps.transfers.get(t.id);
      if (!again.ok) return again;
      if (again.value.state === 'declined' || again.value.state === 'pending') return moved;
      t = again.value;
    } else {
      t = moved.value;
    }
  }

  if (t.state === 'accepting') {
    const checked = checkImported(deps, t, { expiry: false });
    if (!checked.ok) return checked;
    const ref = t.receivingRef;
    if (!ref) return err(appError('ILLEGAL_TRANSITION', 'The transfer has no receiving reference.'));
    const pkg = t.package;
    const area = await requireArea(deps.members, t.toAreaId);
    const now = deps.clock.now();
    const caseId = deps.transfers.importedId(t.id, pkg.case.id);
    // The hand-over stands in for the meeting that agreed the actions (that meeting is the sender's).
    const meetingId = deps.transfers.importedId(t.id, 'hand-over');
    const clash = () =>
      err(appError('VERSION_CONFLICT', 'A record this hand-over would create already exists here; it cannot finish.'));
    for (const a of pkg.openActions) {
      const id = deps.transfers.importedId(t.id, a.id);
      const action = ActionRecord.parse({
        id,
        caseId,
        meetingId,
        areaId: t.toAreaId,
        text: a.text,
        ownerName: a.ownerName,
        ownerAgencyId: a.ownerAgencyId,
        dueDate: a.dueDate,
        pillar: a.pillar,
        status: a.status,
        createdAt: now.toISOString(),
        version: 0,
      });
      if (!(await deps.transfers.placeImportedAction(action, t.id, ctx))) return clash();
      const next = nextReminder({
        due: a.dueDate,
        lastSentAt: null,
        escalatedAlready: false,
        now,
        policy: area.reminders,
        calendar: areaCalendar(area),
      });
      const placed = await deps.transfers.placeImportedReminder(
        {
          id: reminderIdOf('action', id),
          areaId: t.toAreaId,
          kind: 'action',
          subjectId: id,
          caseId,
          caseRef: ref,
          agencyId: a.ownerAgencyId,
          due: a.dueDate,
          nextAt: next.at.toISOString(),
        },
        t.id,
        ctx,
      );
      if (!placed) return clash();
    }
    const c = CaseRecord.parse({
      id: caseId,
      ref,
      areaId: t.toAreaId,
      jurisdiction: pkg.case.jurisdiction,
      // The package carries nothing that identifies the person; the receiving area links them
      // through its own agencies, so the case starts with no subject record here.
      subjectId: deps.transfers.importedId(t.id, 'subject'),
      status: pkg.case.status,
      category: pkg.case.category,
      level: pkg.case.level,
      leadAgencyId: pkg.case.leadAgencyId,
      keyDates: pkg.case.keyDates,
      history: pkg.decisions,
      createdAt: now.toISOString(),
      version: 0,
    });
    if (!(await deps.transfers.placeImportedCase(c, t.id, ctx))) return clash();
    const done = await deps.transfers.advance(t.id, ['accepting'], 'accepted', {}, ctx);
    if (!done.ok) {
      const again = await deps.transfers.get(t.id);
      if (!again.ok || again.value.state !== 'accepted') return done;
      t = again.value;
    } else {
      t = done.value;
    }
  }

  await deps.transfers.releaseHolds(t.id);
  return ok(t);
}
