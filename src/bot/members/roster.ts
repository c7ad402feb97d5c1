import { TeamsInfo, type TurnContext } from 'botbuilder';
import { z } from 'zod';

/** One person as Teams lists them; only the fields we use, read at this edge. */
const RosterAccount = z
  .object({
    aadObjectId: z.string().min(1).max(64),
    name: z.string().trim().min(1).max(200),
    email: z.string().max(320).optional(),
    userPrincipalName: z.string().max(320).optional(),
  })
  .loose();
const RosterPage = z.object({
  members: z.array(z.unknown()).default([]),
  continuationToken: z.string().optional(),
});

export interface RosterPerson {
  readonly aadObjectId: string;
  readonly name: string;
  /** Email or sign-in name, to tell two people of the same name apart. */
  readonly address?: string;
}

/** Enough for a pick list; a bigger team still gets the first people by name and a way to add anyone. */
export const ROSTER_LIMIT = 250;
const PAGE_SIZE = 200;

/**
 * The people of the team (in a channel) or group chat where this turn came from, by name, so an admin
 * picks someone rather than typing an Entra object id. Null in personal chat, which has no roster to
 * offer, and when Teams does not answer (the form then asks for the id instead).
 */
export async function conversationRoster(
  turn: TurnContext,
): Promise<{ people: RosterPerson[]; truncated: boolean } | null> {
  if ((turn.activity.conversation?.conversationType ?? 'personal') === 'personal') return null;
  const people: RosterPerson[] = [];
  let token: string | undefined;
  try {
    do {
      const page = RosterPage.parse(await TeamsInfo.getPagedMembers(turn, PAGE_SIZE, token));
      for (const m of page.members) {
        const a = RosterAccount.safeParse(m);
        if (!a.success) continue;
        const address = a.data.email || a.data.userPrincipalName;
        people.push({
          aadObjectId: a.data.aadObjectId.toLowerCase(),
          name: a.data.name,
          ...(address ? { address } : {}),
        });
      }
      token = page.continuationToken || undefined;
    } while (token && people.length < ROSTER_LIMIT * 2);
  } catch {
    return null;
  }
  people.sort((x, y) => x.name.localeCompare(y.name, 'en-GB'));
  return { people: people.slice(0, ROSTER_LIMIT), truncated: people.length > ROSTER_LIMIT || token !== undefined };
}
