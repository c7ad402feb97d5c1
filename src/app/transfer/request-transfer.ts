import { SignedTransfer, type Transfer, TransferPackage } from '../../domain';
import type { Principal } from '../../domain/policy';
import { appError, type AppError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';
import { CaseRef } from '../ports';
import { actorOf } from '../shared/actor';
import { coordinatorArea, expiryFrom, type TransferDeps } from './shared';

export interface TransferRequested {
  readonly transfer: Transfer;
  /** `local`: the receiving area is in this database and gets the hand-over card; `remote`: it does not. */
  readonly destination: 'local' | 'remote';
  /** For a remote destination: the signed package to hand over as a single-use download. */
  readonly signed?: SignedTransfer;
}

export type RequestTransferError = AppError<'NOT_PERMITTED' | 'NOT_FOUND' | 'VALIDATION_FAILED' | 'ILLEGAL_TRANSITION'>;

/**
 * `transfer <case ref> to <area id>`: builds the hand-over package from the case, its open actions,
 * the latest approved minutes and the decision history, and records the transfer as pending. The
 * sending area stays responsible until the receiver accepts.
 */
export async function requestTransfer(
  deps: TransferDeps,
  principal: Principal,
  input: { readonly caseRef: string; readonly toAreaId: string },
): Promise<Result<TransferRequested, RequestTransferError>> {
  const area = coordinatorArea(principal);
  if (!area.ok) return area;
  const fromAreaId = area.value;
  const ref = CaseRef.safeParse(input.caseRef);
  if (!ref.success)
    return err(
      appError('VALIDATION_FAILED', `Case reference "${input.caseRef}" should look like MAPPA-2026-0042.`, {
        field: 'caseRef',
      }),
    );
  const toAreaId = input.toAreaId.trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(toAreaId))
    return err(
      appError('VALIDATION_FAILED', 'The area id should be letters, digits, dots, dashes or underscores.', {
        field: 'areaId',
      }),
    );
  if (toAreaId === fromAreaId)
    return err(
      appError('VALIDATION_FAILED', 'The case is already in this area; name the receiving area.', { field: 'areaId' }),
    );

  const toArea = await deps.members.getArea(toAreaId);
  if (!toArea.ok && !deps.remoteAreas.includes(toAreaId)) return err(await unknownArea(deps, principal, toAreaId));

  const found = await deps.cases.getByRef(fromAreaId, ref.data);
  if (!found.ok) return err(appError('NOT_FOUND', `There is no case ${ref.data} in your area.`));
  const c = found.value;
  if (c.status === 'exited' || c.erasure)
    return err(appError('ILLEGAL_TRANSITION', `${c.ref} has exited MAPPA and cannot be transferred.`));
  if (await deps.transfers.findOpenForCase(c.id))
    return err(appError('ILLEGAL_TRANSITION', `${c.ref} already has a transfer waiting for an answer.`));

  const [fromArea, actions, minutes] = await Promise.all([
    deps.members.getArea(fromAreaId),
    deps.actions.listForCase(c.id),
    deps.minutes.listForCase(c.id),
  ]);
  const approved = minutes
    .filter((m) => m.status === 'approved' && m.contentHash)
    .sort((a, b) => (a.approvedAt ?? '').localeCompare(b.approvedAt ?? ''))
    .at(-1);
  const id = deps.newId();
  const now = deps.clock.now().toISOString();
  const pkg = TransferPackage.parse({
    format: 'mappa-transfer',
    version: 2,
    transferId: id,
    createdAt: now,
    expiresAt: expiryFrom(deps, deps.clock.now()),
    from: { areaId: fromAreaId, areaName: fromArea.ok ? fromArea.value.name : fromAreaId },
    to: { areaId: toAreaId },
    case: {
      id: c.id,
      ref: c.ref,
      jurisdiction: c.jurisdiction,
      status: c.status,
      level: c.level,
      category: c.category,
      leadAgencyId: c.leadAgencyId,
      keyDates: c.keyDates,
    },
    openActions: actions
      .filter((a) => a.status === 'open' || a.status === 'in_progress')
      .map((a) => ({
        id: a.id,
        text: a.text,
        ownerName: a.ownerName,
        ownerAgencyId: a.ownerAgencyId,
        dueDate: a.dueDate,
        pillar: a.pillar,
        status: a.status,
      })),
    latestApprovedMinutes: approved
      ? {
          minutesId: approved.id,
          meetingId: approved.meetingId,
          version: approved.version,
          contentHash: approved.contentHash,
          approvedAt: approved.approvedAt,
        }
      : null,
    decisions: c.history,
  });
  const destination = toArea.ok ? 'local' : 'remote';
  const actor = actorOf(principal);
  const { transfer } = await deps.transfers.create(
    {
      id,
      mode: destination === 'local' ? 'local' : 'export',
      caseId: c.id,
      caseRef: c.ref,
      fromAreaId,
      toAreaId,
      state: 'pending',
      package: pkg,
      requestedBy: { aadObjectId: actor.aadObjectId, displayName: actor.displayName },
      requestedAt: now,
    },
    { by: actor },
  );
  return ok(
    destination === 'local' ? { transfer, destination } : { transfer, destination, signed: deps.signer.sign(pkg) },
  );
}

/**
 * An area id that is neither served in this database nor a configured partner is a typing mistake
 * far more often than a new deployment: say so, with the ids that would work.
 */
async function unknownArea(deps: TransferDeps, principal: Principal, toAreaId: string): Promise<AppError<'NOT_FOUND'>> {
  const own = principal.member?.areaId;
  const served = (await deps.members.listAreasForTenant(principal.tenantId)).filter((a) => a.id !== own);
  const here = served.length
    ? `Areas served here: ${served.map((a) => `${a.name} (${a.id})`).join(', ')}.`
    : 'No other area is served here.';
  const partners = deps.remoteAreas.length
    ? ` Areas of other deployments you can transfer to: ${deps.remoteAreas.join(', ')}.`
    : '';
  return appError('NOT_FOUND', `No MAPPA area ${toAreaId} is known here. ${here}${partners}`, { field: 'areaId' });
}
