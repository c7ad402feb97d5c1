/**
 * Answers the MAPPA A walk as a person in Teams would: fills each card's inputs and presses its
 * button (Action.Submit sends the action's data with every input's value), or types the answer to a
 * question asked in the chat. Works on whatever the bot sent last, so grouping and pre-filled
 * sections need no script of their own.
 */
import { CAT2_LEVEL2_CARDS, CAT2_LEVEL2_TYPED, type Answer } from '../fixtures/referral-answers';

type Json = Record<string, unknown>;
export interface SentLike {
  text?: string;
  attachments?: { contentType?: string; content?: unknown }[];
}
export interface CardJson {
  body: unknown[];
  actions?: { type: string; title: string; data?: Json; associatedInputs?: string }[];
}

export const cardsIn = (sent: readonly SentLike[]): CardJson[] =>
  sent
    .flatMap((a) => a.attachments ?? [])
    .map((x) => x.content as CardJson)
    .filter(Boolean);

/** What a person reads: each message's text and the text of every TextBlock on its cards. */
export function wordsOf(sent: readonly SentLike[]): string {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Json;
    if (o.type === 'TextBlock' && typeof o.text === 'string') out.push(o.text);
    Object.values(o).forEach(walk);
  };
  for (const a of sent) {
    if (a.text) out.push(a.text);
    walk(a.attachments ?? []);
  }
  return out.join('\n');
}

/** Every input on a card: id, type and the value it shows. */
export function inputsOf(card: CardJson): { id: string; type: string; value: string; label: string }[] {
  const out: { id: string; type: string; value: string; label: string }[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Json;
    if (typeof o.type === 'string' && o.type.startsWith('Input.') && typeof o.id === 'string')
      out.push({
        id: o.id,
        type: o.type,
        value: typeof o.value === 'string' ? o.value : '',
        label: typeof o.label === 'string' ? o.label : '',
      });
    Object.values(o).forEach(walk);
  };
  walk(card.body);
  return out;
}

/** What pressing `title` on the card sends: its data, plus each input (from `answers`, else as shown). */
export function press(card: CardJson, title: string, answers: Readonly<Record<string, string>> = {}): Json {
  const action = card.actions?.find((a) => a.title === title);
  if (!action) throw new Error(`no "${title}" on the card: ${(card.actions ?? []).map((a) => a.title).join(', ')}`);
  if (action.associatedInputs === 'none') return { ...action.data };
  const values = Object.fromEntries(inputsOf(card).map((i) => [i.id, answers[i.id] ?? i.value]));
  return { ...values, ...action.data };
}

/** The walk card the bot sent last (a step or an "Is this right?" card), if its last message had one. */
export function walkCard(sent: readonly SentLike[]): CardJson | undefined {
  return cardsIn(sent.slice(-1)).find((c) =>
    (c.actions ?? []).some((a) => (a.data as { verb?: string } | undefined)?.verb === 'referral.answer'),
  );
}

/** The review card, once the walk reaches it. */
export function reviewCardIn(sent: readonly SentLike[]): CardJson | undefined {
  return cardsIn(sent).find((c) => (c.actions ?? []).some((a) => a.title === 'Save and finish later'));
}

/**
 * The next thing to send: a card press for a card, typed text for a question in the chat, or
 * undefined at the review. Fails with what the bot said when it asks something unexpected.
 */
export function nextInput(
  sent: readonly SentLike[],
  cards: Readonly<Record<string, string>> = CAT2_LEVEL2_CARDS,
  typed: readonly Answer[] = CAT2_LEVEL2_TYPED,
): string | { value: Json } | undefined {
  if (reviewCardIn(sent)) return undefined;
  const card = walkCard(sent);
  if (card) {
    const confirm = card.actions?.find((a) => a.title === 'Yes, this is right');
    return { value: confirm ? press(card, confirm.title) : press(card, 'Save and continue', cards) };
  }
  const said = sent.at(-1)?.text ?? '';
  const answer = typed.find(([, , , asks]) => said.toLowerCase().includes(asks.toLowerCase()));
  if (!answer)
    throw new Error(`not a question the walk should ask here:\n${sent.map((a) => a.text ?? '').join('\n---\n')}`);
  return answer[2];
}

/**
 * Walks to the review card from what the bot last sent, returning every batch it sent on the way
 * (the number of bot messages is the sum of their lengths).
 */
export async function walkToReview<S extends SentLike>(
  first: readonly S[],
  send: (input: string | { value: Json }) => Promise<S[]>,
  cards: Readonly<Record<string, string>> = CAT2_LEVEL2_CARDS,
  typed: readonly Answer[] = CAT2_LEVEL2_TYPED,
): Promise<S[][]> {
  const batches: S[][] = [[...first]];
  for (let i = 0; i < 60; i += 1) {
    const input = nextInput(batches.at(-1)!, cards, typed);
    if (input === undefined) return batches;
    const sent = await send(input);
    if (/Nothing on this card is saved yet|You wrote:/.test(wordsOf(sent)))
      throw new Error(`the bot refused an answer:\n${wordsOf(sent)}`);
    batches.push(sent);
  }
  throw new Error('the walk did not reach the review card');
}
