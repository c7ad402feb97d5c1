import type { CommandHandler } from '../capability';

/** `sync members`: the scheduled Entra group sync, now, recorded as done by the admin who asked. */
export const syncMembersCommand: CommandHandler = async (h) => {
  if (!h.deps.memberSync) {
    await h.turn.sendActivity('Group sync is not configured for this area (MEMBER_GROUP_MAPPINGS).');
    return;
  }
  const res = await h.deps.memberSync({
    aadObjectId: h.principal.aadObjectId,
    displayName: h.principal.member?.displayName ?? 'admin',
    tenantId: h.principal.tenantId,
  });
  if (!res.ok) {
    await h.turn.sendActivity(`Nothing was changed: ${res.error.message}`);
    return;
  }
  const v = res.value;
  await h.turn.sendActivity(
    `Members updated from Entra groups: ${v.added} added, ${v.updated} updated, ${v.deactivated} removed.` +
      (v.conflicts.length
        ? ` ${v.conflicts.length} person(s) are in groups for different agencies and were left unchanged.`
        : ''),
  );
};
