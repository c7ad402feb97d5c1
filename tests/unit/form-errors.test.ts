import {
  NOTIFICATION_FIELDS,
  NotificationForm,
  notificationFieldErrors,
  type NotificationErrorKey,
} from '../../src/app/notifications';
import { MemberForm, MemberPick, fieldErrorsOf, pickFieldErrorsOf } from '../../src/app/members';

/** Schema-speak that must never reach a practitioner. */
const RAW =
  /invalid input|invalid option|expected (a |an |one of|string|number|boolean|array|object)|received (string|number|boolean|array|object|undefined|null)|slug|too big|too small|unrecognized|must match|invalid string/i;
const WRONG: readonly unknown[] = [42, true, { a: 1 }, ['x', 2], 'zz-not-valid', ''];

/** Words that name each field the way the form and the API documentation do. */
const NAMES: Record<NotificationErrorKey, RegExp> = {
  givenName: /given name/i,
  familyName: /family name/i,
  otherNames: /other names/i,
  aliases: /alias/i,
  dateOfBirth: /date of birth/i,
  gender: /gender/i,
  pnc: /PNC/,
  crn: /CRN/,
  visor: /ViSOR/,
  prisonNumber: /prison number/i,
  chi: /CHI/,
  category: /category/i,
  eligibilityReasons: /reason/i,
  eligibilityFacts: /eligib/i,
  qualifyingDisposal: /sentence or disposal/i,
  roshToPublic: /risk of serious harm/i,
  leadAgencyId: /lead agency/i,
  sentenceDate: /sentence date/i,
  releaseDate: /release date/i,
  custodyStatus: /custody/i,
  notes: /notes/i,
  identifiers: /identifier/i,
  form: /notification/i,
};

const validCard = {
  givenName: 'Terry',
  familyName: 'Imaginary',
  aliases: 'TJ',
  dateOfBirth: '1990-04-01',
  pnc: '2019/0012345X',
  category: 'cat2',
  eligibilityReasons: 'Convicted of a specified violent offence',
  leadAgencyId: 'probation',
  sentenceDate: '2026-11-02',
  custodyStatus: 'custody',
};
const validJson = {
  subject: { givenName: 'Terry', familyName: 'Imaginary', dateOfBirth: '1990-04-01' },
  identifiers: { pnc: '2019/0012345X' },
  category: 'cat2',
  eligibilityReasons: ['Convicted of a specified violent offence'],
  eligibilityFacts: { convicted: true, qualifyingDisposal: 'custody_12m_plus' },
  custodyStatus: 'custody',
};
const JSON_PATHS: Record<string, readonly string[]> = {
  givenName: ['subject', 'givenName'],
  familyName: ['subject', 'familyName'],
  otherNames: ['subject', 'otherNames'],
  aliases: ['subject', 'aliases'],
  dateOfBirth: ['subject', 'dateOfBirth'],
  gender: ['subject', 'gender'],
  pnc: ['identifiers', 'pnc'],
  crn: ['identifiers', 'crn'],
  visor: ['identifiers', 'visor'],
  prisonNumber: ['identifiers', 'prisonNumber'],
  chi: ['identifiers', 'chi'],
  eligibilityFacts: ['eligibilityFacts', 'convicted'],
  qualifyingDisposal: ['eligibilityFacts', 'qualifyingDisposal'],
  roshToPublic: ['eligibilityFacts', 'roshToPublic'],
};

function withValue(base: object, path: readonly string[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(base) as Record<string, unknown>;
  let at = copy;
  for (const k of path.slice(0, -1)) at = (at[k] ??= {}) as Record<string, unknown>;
  at[path.at(-1)!] = value;
  return copy;
}

function errorsOf(raw: unknown): Record<string, string> {
  const parsed = NotificationForm.safeParse(raw);
  return parsed.success ? {} : notificationFieldErrors(parsed.error);
}

function expectPlainAndNamed(errors: Record<string, string | undefined>, names: Record<string, RegExp>) {
  for (const [key, message] of Object.entries(errors)) {
    expect({ key, message }).toEqual({ key, message: expect.not.stringMatching(RAW) });
    expect({ key, message }).toEqual({ key, message: expect.stringMatching(names[key] ?? /^$/) });
  }
}

describe('form errors a practitioner can act on', () => {
  it.each(NOTIFICATION_FIELDS)('names %s in plain words whatever the card sends for it', (field) => {
    for (const value of WRONG) {
      const errors = errorsOf({ ...validCard, [field]: value });
      expectPlainAndNamed(errors, NAMES);
    }
  });

  it.each(NOTIFICATION_FIELDS)('names %s in plain words whatever the API sends for it', (field) => {
    const path = JSON_PATHS[field] ?? [field];
    for (const value of WRONG) {
      const errors = errorsOf(withValue(validJson, path, value));
      expectPlainAndNamed(errors, NAMES);
    }
  });

  it('puts a wrong-typed value beside its own field, with an example of what fits', () => {
    expect(errorsOf({ ...validCard, dateOfBirth: 19900401 }).dateOfBirth).toMatch(
      /^Date of birth: .*\d{4}-\d{2}-\d{2}/,
    );
    expect(errorsOf({ ...validCard, category: 'cat9' }).category).toMatch(/MAPPA category/);
    expect(errorsOf({ ...validCard, pnc: 'ABC' }).pnc).toMatch(/^PNC: .*2001\/0123456X/);
  });

  it('reports a whole body that is not a form in words too', () => {
    expectPlainAndNamed(errorsOf('not a form'), NAMES);
    expectPlainAndNamed(errorsOf(null), NAMES);
  });

  const MEMBER_NAMES: Record<string, RegExp> = {
    aadObjectId: /Entra object id/i,
    displayName: /name/i,
    agencyId: /agency/i,
    roles: /role/i,
    form: /member/i,
  };
  const validMember = {
    aadObjectId: 'a2222222-2222-4222-8222-222222222222',
    displayName: 'Priya Okafor',
    agencyId: 'police',
    roles: 'practitioner',
  };

  it.each(['aadObjectId', 'displayName', 'agencyId', 'roles'])(
    'names the member form field %s in plain words whatever is sent',
    (field) => {
      for (const value of [...WRONG, 'Not An Agency', 'x'.repeat(300)]) {
        const parsed = MemberForm.safeParse({ ...validMember, [field]: value });
        if (!parsed.success) expectPlainAndNamed(fieldErrorsOf(parsed.error), MEMBER_NAMES);
      }
    },
  );

  it.each(['aadObjectId', 'roles'])('names the member picker field %s in plain words', (field) => {
    for (const value of [...WRONG, 'nonsense']) {
      const parsed = MemberPick.safeParse({ aadObjectId: validMember.aadObjectId, roles: 'chair', [field]: value });
      if (!parsed.success)
        expectPlainAndNamed(pickFieldErrorsOf(parsed.error), { ...MEMBER_NAMES, aadObjectId: /member/i });
    }
  });
});
