import { upgradeMinutes, type Minutes } from '../../domain/minutes.schema';
import type { Principal } from '../../domain/policy';
import { redactForReader } from '../../domain/police-only';
import { ok, type Result } from '../../lib/result';
import { auditMinutesRead, loadMinutes, type MinutesDeps, type MinutesError } from './shared';

/** One line of the history: which revision, its state, its hash once approved, and why it exists. */
export type MinutesVersion = Pick<
  Minutes,
  'revision' | 'status' | 'contentHash' | 'approvedBy' | 'approvedAt' | 'correction'
> & {
  readonly minutes: Minutes;
};

/** Every approved revision and any open correction, oldest first, redacted for the reader and audited. */
export async function listMinutesVersions(
  deps: MinutesDeps,
  principal: Principal,
  minutesId: string,
): Promise<Result<MinutesVersion[], MinutesError>> {
  const loaded = await loadMinutes(deps, principal, minutesId, 'read');
  if (!loaded.ok) return loaded;
  const { minutes, actor, readerHasVisorAccess, heldLevel } = loaded.value;
  const versions = (await deps.minutes.listVersions(minutes.id)).map((v) => upgradeMinutes(v, heldLevel));
  await auditMinutesRead(deps, actor, minutes, { history: versions.length });
  return ok(
    versions.map((m) => ({
      revision: m.revision,
      status: m.status,
      ...(m.contentHash ? { contentHash: m.contentHash } : {}),
      ...(m.approvedBy ? { approvedBy: m.approvedBy } : {}),
      ...(m.approvedAt ? { approvedAt: m.approvedAt } : {}),
      ...(m.correction ? { correction: m.correction } : {}),
      minutes: redactForReader('minutes', m, readerHasVisorAccess),
    })),
  );
}
