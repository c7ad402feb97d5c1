import type { TurnContext } from 'botbuilder';
import { traceTurn, type TurnNote } from '../telemetry/telemetry';

const NOTE_KEY = Symbol('turnTelemetry');

/** Runs one turn inside its span; the router adds the command or verb name once it knows it. */
export function tracedTurn(context: TurnContext, run: () => Promise<void>): Promise<void> {
  const type = /^[A-Za-z]{1,40}$/.test(context.activity.type) ? context.activity.type : 'other';
  return traceTurn(type, (note) => {
    context.turnState.set(NOTE_KEY, note);
    return run();
  });
}

/** Names from the command and verb catalogues only, never what the user typed. */
export function noteTurn(context: TurnContext, note: TurnNote): void {
  (context.turnState.get(NOTE_KEY) as ((n: TurnNote) => void) | undefined)?.(note);
}
