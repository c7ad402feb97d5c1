import { z } from 'zod';
import type {
  Catalogue,
  CapabilityHandlers,
  CommandHandler,
  ExecuteHandler,
  OpenCommandHandler,
} from '../../../src/bot/capability';
import type { AdaptiveCardJson } from '../../../src/bot/cards/render';
import { CARD_VERBS, COMMANDS, COMMAND_DECLARATIONS, VERB_DECLARATIONS } from '../../../src/bot/commands';
import { commandEntry, verbEntry } from '../../../src/bot/dispatch';
import { MEMBER_CATALOGUE } from '../../../src/bot/members/catalogue';
import { NOTIFICATION_CATALOGUE } from '../../../src/bot/notifications/catalogue';
import { REFERRAL_CATALOGUE } from '../../../src/bot/referrals/catalogue';
import { RETENTION_CATALOGUE } from '../../../src/bot/retention/catalogue';

/*
 * Compile-time half: `npm run typecheck` fails if any `@ts-expect-error` below stops being an error,
 * i.e. if the table would accept a declared command or verb without its handler, a handler for a verb
 * nobody declared, or a handler reading the wrong payload.
 */
export const SAMPLE = {
  commands: {
    greet: { description: 'Say hello', audience: 'practitioner', action: 'help.show', where: 'personal' },
    about: { description: 'For anyone', audience: 'everyone', action: 'help.show', where: 'any', forAnyone: true },
  },
  verbs: {
    'sample.ok': { via: 'execute', action: 'help.show', payload: z.object({ n: z.number() }) },
    'sample.walk': { via: 'submit', action: 'help.show', payload: z.object({ verb: z.literal('sample.walk') }) },
  },
} as const satisfies Catalogue;

const card = {} as AdaptiveCardJson;
const greet: CommandHandler = () => Promise.resolve();
const ok: ExecuteHandler<{ n: number }> = () => Promise.resolve(card);
const readsText: ExecuteHandler<{ s: string }> = () => Promise.resolve(card);
const about: OpenCommandHandler = () => Promise.resolve();
const submit = () => Promise.resolve();

export const complete = {
  commands: { greet: { run: greet }, about: { runForAnyone: about } },
  verbs: { 'sample.ok': { execute: ok }, 'sample.walk': { submit } },
} satisfies CapabilityHandlers<typeof SAMPLE>;

export const missingVerbHandler = {
  commands: complete.commands,
  // @ts-expect-error 'sample.walk' is declared but has no handler
  verbs: { 'sample.ok': { execute: ok } },
} satisfies CapabilityHandlers<typeof SAMPLE>;

export const missingCommandHandler = {
  // @ts-expect-error 'about' is declared but has no handler
  commands: { greet: { run: greet } },
  verbs: complete.verbs,
} satisfies CapabilityHandlers<typeof SAMPLE>;

export const unknownVerb = {
  commands: complete.commands,
  verbs: {
    ...complete.verbs,
    // @ts-expect-error no verb 'sample.typo' is declared
    'sample.typo': { execute: ok },
  },
} satisfies CapabilityHandlers<typeof SAMPLE>;

export const wrongPayload = {
  commands: complete.commands,
  verbs: {
    // @ts-expect-error the handler reads a payload the verb's schema does not produce
    'sample.ok': { execute: readsText },
    'sample.walk': { submit },
  },
} satisfies CapabilityHandlers<typeof SAMPLE>;

export const executeForSubmitVerb = {
  commands: complete.commands,
  // @ts-expect-error a verb only a dialog takes cannot be answered as an Action.Execute
  verbs: { 'sample.ok': { execute: ok }, 'sample.walk': { submit, execute: ok } },
} satisfies CapabilityHandlers<typeof SAMPLE>;

export const enrolledHandlerForAnyone = {
  // @ts-expect-error a command for anyone must say so (runForAnyone), so its handler expects no principal
  commands: { greet: { run: greet }, about: { run: greet } },
  verbs: complete.verbs,
} satisfies CapabilityHandlers<typeof SAMPLE>;

describe('the dispatch table', () => {
  it('gives every declared command a handler, so none can silently do nothing', () => {
    for (const c of COMMANDS) {
      const entry = commandEntry(c.name);
      const run = 'run' in entry ? entry.run : entry.runForAnyone;
      expect(typeof run).toBe('function');
      expect(entry).toMatchObject({ name: c.name, action: c.action, where: c.where });
    }
    expect(COMMANDS.map((c) => c.name)).toEqual(Object.keys(COMMAND_DECLARATIONS));
  });

  it('gives every verb exactly the handlers its card action calls for', () => {
    for (const [verb, d] of Object.entries(VERB_DECLARATIONS)) {
      const entry = verbEntry(verb)!;
      expect(entry.action).toBe(d.action);
      expect(entry.execute !== undefined).toBe(d.via !== 'submit');
      expect(entry.submit !== undefined).toBe(d.via !== 'execute');
    }
    expect(verbEntry('referral.unknown')).toBeUndefined();
    expect(Object.keys(CARD_VERBS).sort()).toEqual(
      Object.entries(VERB_DECLARATIONS)
        .filter(([, d]) => d.via !== 'submit')
        .map(([v]) => v)
        .sort(),
    );
  });

  it('refuses data that does not fit a verb before any handler runs', () => {
    expect(verbEntry('referral.approve')!.execute!({ referralId: '' })).toBeNull();
    expect(verbEntry('notification.open')!.execute!({ notificationId: 'x'.repeat(129) })).toBeNull();
    expect(verbEntry('referral.approve')!.execute!({ referralId: 'r1' })).toEqual(expect.any(Function));
  });
});

describe('verb payload schemas keep what was typed, as the cards always have', () => {
  it('reads the decision card leniently: typing cut to its length, only Level 2 or 3 approvable', () => {
    const read = (data: Record<string, unknown>) =>
      REFERRAL_CATALOGUE.verbs['referral.approve'].payload.parse({ referralId: ' r1 ', ...data });
    const long = read({ noteL2: 'n'.repeat(5000), identity: 'i'.repeat(100), reason: 42, level: '3' });
    expect(long).toMatchObject({ referralId: 'r1', level: 3, reason: '', noteL3: '', question: '' });
    expect(long.noteL2).toHaveLength(4000);
    expect(long.identity).toHaveLength(64);
    for (const level of [1, 4, 'x', null, true]) expect(read({ level }).level).toBeUndefined();
    expect(read({ level: 2 }).level).toBe(2);
  });

  it('passes member forms on as sent and keeps up to 500 characters of each field to show again', () => {
    const form = { aadObjectId: 'a'.repeat(600), roles: ['admin'], extra: 1 };
    const p = MEMBER_CATALOGUE.verbs['member.add'].payload.parse(form);
    expect(p.form).toEqual(form);
    expect(p.typed).toEqual({ aadObjectId: 'a'.repeat(500), displayName: '', agencyId: '', roles: '' });
  });

  it('keeps the notification form as typed, with a draft id only when one was sent', () => {
    const payload = NOTIFICATION_CATALOGUE.verbs['notification.submit'].payload;
    const p = payload.parse({ givenName: 'g'.repeat(2500), draftId: 'd'.repeat(70) });
    expect(p.typed.givenName).toHaveLength(2000);
    expect(p.typed.familyName).toBe('');
    expect(p.draftId).toBe('d'.repeat(64));
    expect(payload.parse({ draftId: '' }).draftId).toBeUndefined();
    expect(payload.parse({ draftId: 7 }).draftId).toBeUndefined();
    const decision = NOTIFICATION_CATALOGUE.verbs['notification.askToRefer'].payload;
    expect(decision.parse({ notificationId: 'n1', referralDue: '2026-03-20T00:00:00.000Z' }).referralDue).toBe(
      '2026-03-20T00:00:00.',
    );
    expect(decision.parse({ notificationId: 'n1', referralDue: '' }).referralDue).toBe('');
    expect(decision.parse({ notificationId: 'n1' }).referralDue).toBeUndefined();
  });

  it('reads an erase card that does not fit as an empty form, which the use case then refuses', () => {
    const payload = RETENTION_CATALOGUE.verbs['retention.erase'].payload;
    expect(payload.parse({ caseRef: 'x'.repeat(41), confirmation: 'ERASE' })).toEqual({
      caseRef: '',
      confirmation: '',
      forceReason: '',
    });
    expect(payload.parse({ caseRef: 'MAPPA-2026-0001' })).toEqual({
      caseRef: 'MAPPA-2026-0001',
      confirmation: '',
      forceReason: '',
    });
  });
});
