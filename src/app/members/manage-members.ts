import { z } from 'zod';
import { AgencyId } from '../../domain/common.schema';
import type { Agency } from '../../domain/agency.schema';
import { Role, type Member } from '../../domain/member.schema';
import { can, type Principal, type PolicyAction } from '../../domain/policy';
import { appError, type AppError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';
import type { MemberRepository } from '../ports/member-repository.port';
import type { RequestActor } from '../ports/write-context.port';
import { actorOf } from '../shared/actor';
import type { FieldErrors } from '../shared/field-errors';

/**
 * What each member field needs, naming it as the card does. Every error on these forms is one of
 * these sentences, so neither zod's wording nor the domain's ("lower-case slug") reaches an admin.
 */
const MEMBER_HELP = {
  aadObjectId: 'Enter an Entra object id (a GUID, 36 characters)',
  displayName: "Enter the person's name, under 200 characters",
  agencyId: 'Choose an agency from the list',
  roles: 'Choose at least one role from the list',
  form: 'The member form could not be read: please fill it in again',
} as const;
/** On the remove and change-roles cards the person is chosen from a list. */
const PICK_HELP = { ...MEMBER_HELP, aadObjectId: 'Choose a member from the list' } as const;

const guid = z
  .string()
  .trim()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i)
  .transform((s) => s.toLowerCase());

/** Multi-select choice sets submit "a,b,c". */
const rolesField = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((r) => r.trim())
      .filter(Boolean),
  )
  .pipe(z.array(Role).min(1));

/** The add-member card as submitted. Unknown keys are ignored; identity never comes from here. */
export const MemberForm = z.object({
  aadObjectId: guid,
  displayName: z.string().trim().min(1).max(200),
  agencyId: z.string().refine((v) => AgencyId.safeParse(v).success),
  roles: rolesField,
});
export type MemberFormField = keyof z.input<typeof MemberForm>;

export const MemberPick = z.object({ aadObjectId: guid, roles: rolesField.optional() });

export type MemberError =
  | AppError<'NOT_PERMITTED' | 'NOT_FOUND' | 'VERSION_CONFLICT' | 'UNKNOWN_AGENCY'>
  | (AppError<'VALIDATION_FAILED'> & { readonly fieldErrors: FieldErrors });

export interface MemberDeps {
  readonly members: MemberRepository;
  readonly areaId: string;
}

function authorise(principal: Principal, action: PolicyAction): Result<RequestActor, MemberError> {
  const d = can(principal, action);
  if (!d.allowed) return err(appError('NOT_PERMITTED', 'Only MAPPA admins can manage members.'));
  return ok(actorOf(principal));
}

/** A validation failure the card shows at the top, with a message beside each field named. */
function invalid(fieldErrors: FieldErrors, message = 'Some fields need attention.'): Result<never, MemberError> {
  return err({ ...appError('VALIDATION_FAILED', message), fieldErrors });
}

function errorsIn(error: z.ZodError, help: Readonly<Record<keyof typeof MEMBER_HELP, string>>): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? 'form');
    out[key] ??= Object.prototype.hasOwnProperty.call(help, key) ? help[key as keyof typeof help] : help.form;
  }
  return out;
}

/** The add-member card's errors: one sentence per field, naming it. */
export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  return errorsIn(error, MEMBER_HELP);
}

/** The remove and change-roles cards' errors. */
export function pickFieldErrorsOf(error: z.ZodError): FieldErrors {
  return errorsIn(error, PICK_HELP);
}

/** Members and agencies of the area, for the `members` card. */
export async function listMembers(
  deps: MemberDeps,
  principal: Principal,
): Promise<Result<{ members: Member[]; agencies: Agency[] }, MemberError>> {
  if (!can(principal, 'member.list').allowed) {
    return err(appError('NOT_PERMITTED', 'Only MAPPA admins and co-ordinators can list members.'));
  }
  const agencies = await deps.members.listAgencies(deps.areaId);
  const members = await deps.members.listMembers(deps.areaId, { includeInactive: true });
  return ok({ members, agencies: agencies.ok ? agencies.value : [] });
}

export async function agenciesOf(deps: MemberDeps): Promise<Agency[]> {
  const res = await deps.members.listAgencies(deps.areaId);
  return res.ok ? res.value : [];
}

/** Enrols a user, or re-activates a removed one with the new agency and roles. */
export async function addMember(
  deps: MemberDeps,
  principal: Principal,
  raw: unknown,
): Promise<Result<Member, MemberError>> {
  const actor = authorise(principal, 'member.manage');
  if (!actor.ok) return actor;
  const parsed = MemberForm.safeParse(raw);
  if (!parsed.success) {
    return invalid(fieldErrorsOf(parsed.error));
  }
  const form = parsed.data;
  const agencies = await agenciesOf(deps);
  if (!agencies.some((a) => a.id === form.agencyId && a.active)) {
    return invalid({ agencyId: 'That agency is not configured for this area' });
  }
  const ctx = { by: actor.value, details: { change: 'enrol' } };
  const existing = await deps.members.getMember(principal.tenantId, form.aadObjectId);
  if (existing.ok) {
    if (existing.value.active) {
      return invalid({ aadObjectId: 'This person is already a member: use **set role** to change their roles' });
    }
    return deps.members.updateMember(
      principal.tenantId,
      form.aadObjectId,
      existing.value.version,
      {
        active: true,
        displayName: form.displayName,
        agencyId: form.agencyId,
        roles: form.roles,
      },
      { by: actor.value, details: { change: 'reactivate' } },
    );
  }
  return deps.members.enrol(
    {
      aadObjectId: form.aadObjectId,
      tenantId: principal.tenantId,
      areaId: deps.areaId,
      displayName: form.displayName,
      agencyId: form.agencyId,
      roles: form.roles,
      active: true,
    },
    ctx,
  );
}

/** Removal keeps the record (inactive) so the audit trail can still name who did what. */
export async function removeMember(
  deps: MemberDeps,
  principal: Principal,
  raw: unknown,
): Promise<Result<Member, MemberError>> {
  const actor = authorise(principal, 'member.manage');
  if (!actor.ok) return actor;
  const parsed = MemberPick.safeParse(raw);
  if (!parsed.success) {
    return invalid(pickFieldErrorsOf(parsed.error), 'Choose a member.');
  }
  if (parsed.data.aadObjectId === principal.aadObjectId) {
    return invalid({}, 'You cannot remove yourself; ask another admin.');
  }
  const current = await deps.members.getMember(principal.tenantId, parsed.data.aadObjectId);
  if (!current.ok) return err(appError('NOT_FOUND', 'That person is not a member.'));
  return deps.members.updateMember(
    principal.tenantId,
    parsed.data.aadObjectId,
    current.value.version,
    { active: false },
    {
      by: actor.value,
      details: { change: 'remove' },
    },
  );
}

export async function setRoles(
  deps: MemberDeps,
  principal: Principal,
  raw: unknown,
): Promise<Result<Member, MemberError>> {
  const actor = authorise(principal, 'member.manage');
  if (!actor.ok) return actor;
  const parsed = MemberPick.safeParse(raw);
  if (!parsed.success || !parsed.data.roles) {
    const fieldErrors = parsed.success ? { roles: PICK_HELP.roles } : pickFieldErrorsOf(parsed.error);
    return invalid(fieldErrors);
  }
  const current = await deps.members.getMember(principal.tenantId, parsed.data.aadObjectId);
  if (!current.ok || !current.value.active) return err(appError('NOT_FOUND', 'That person is not a member.'));
  return deps.members.updateMember(
    principal.tenantId,
    parsed.data.aadObjectId,
    current.value.version,
    { roles: parsed.data.roles },
    {
      by: actor.value,
      details: { change: 'roles', roles: parsed.data.roles.join(',') },
    },
  );
}
