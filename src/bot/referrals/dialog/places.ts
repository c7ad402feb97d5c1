import type { TurnContext } from 'botbuilder';
import type { DialogContext } from 'botbuilder-dialogs';
import type { ReferralDialogConfig } from './config';
import { MAX_PLACES, openDraftOf, Places, type Place } from './walk';

/** Keeps the open draft's place for the next `refer` (see Place). */
export async function rememberPlace(config: ReferralDialogConfig, dc: DialogContext): Promise<void> {
  const here = openDraftOf(dc);
  if (!here) return;
  const place: Place = here.walking
    ? {
        section: here.walking.section,
        field: here.walking.field,
        ...(here.walking.editOnly ? { editOnly: true } : {}),
      }
    : { review: true };
  const places = await readPlaces(config, dc.context);
  delete places[here.referralId];
  places[here.referralId] = place;
  for (const old of Object.keys(places).slice(0, -MAX_PLACES)) delete places[old];
  await config.places.set(dc.context, places);
}

/** The draft's kept place, forgotten once used so a later walk is not sent back to it. */
export async function takePlace(
  config: ReferralDialogConfig,
  turn: TurnContext,
  referralId: string,
): Promise<Place | undefined> {
  const places = await readPlaces(config, turn);
  const place = places[referralId];
  if (place === undefined) return undefined;
  delete places[referralId];
  await config.places.set(turn, places);
  return place;
}

async function readPlaces(config: ReferralDialogConfig, turn: TurnContext): Promise<Record<string, Place>> {
  // Stored state is input like any other: a record that no longer parses is dropped, not trusted.
  const parsed = Places.safeParse(await config.places.get(turn, {}));
  return parsed.success ? parsed.data : {};
}
