import {
  applyAnswer,
  applyCardAnswers,
  findQuestion,
  parseUkDate,
  type DraftSections,
  type FormContext,
} from '../../src/app/referrals/referral-form';
import { defaultAgencies } from '../../src/domain/agency-catalogue';
import type { Jurisdiction } from '../../src/domain/common.schema';
import { LEVEL_CRITERIA } from '../../src/domain/levels';

function formOf(sections: DraftSections = {}, jurisdiction: Jurisdiction = 'england-wales'): FormContext {
  return { jurisdiction, agencies: defaultAgencies(jurisdiction), sections, referrerHasVisorAccess: false };
}

function answer(section: string, id: string, typed: string, ctx: FormContext) {
  const question = findQuestion(section, id);
  if (!question) throw new Error(`no question ${section}.${id}`);
  return applyAnswer(question, typed, ctx);
}

describe('agency names typed in the referral', () => {
  it("accepts the agency as people say it: case, apostrophes, '&' and short names", () => {
    const res = answer(
      'agencies',
      'agencies',
      [
        "Children's services | Child in need plan | Share the plan",
        'YOT | Supervises a younger sibling | Attend meetings',
        'local housing authority | Housing options | An address away from the victim',
        'Department for work & pensions | Benefits | Tell us of a change of address',
      ].join('\n'),
      formOf(),
    );
    expect(res.ok && res.value.section.agencies).toEqual([
      expect.objectContaining({ agencyId: 'la-childrens-services' }),
      expect.objectContaining({ agencyId: 'yot' }),
      expect.objectContaining({ agencyId: 'housing-authority' }),
      expect.objectContaining({ agencyId: 'dwp' }),
    ]);
  });

  it('lists the candidates when a name fits several agencies, so the person can pick', () => {
    const res = answer('agencies', 'agencies', 'NHS | Mental health treatment | Share risk information', formOf());
    expect(res.ok).toBe(false);
    const message = res.ok ? '' : res.error;
    expect(message).toContain('"NHS" could be');
    expect(message).toContain('NHS England');
    expect(message).toContain('NHS Trust');
    expect(message).toContain('Integrated Care Board / Local Health Board');
    expect(message).not.toContain('Probation Service');
  });

  it('says which name it does not know, and what it would accept', () => {
    const res = answer('agencies', 'agencies', 'Fire service | Home safety visit | Fit alarms', formOf());
    expect(res.ok ? '' : res.error).toMatch(/I do not know the agency "Fire service"\. Use one of: Police, /);
  });

  it('matches the agency holding a document the same way', () => {
    const res = answer(
      'attachments',
      'documents',
      "OASys | probation | OASYS-1\nCIN plan | children's services",
      formOf(),
    );
    expect(res.ok && res.value.section.documents).toEqual([
      { title: 'OASys', heldByAgencyId: 'probation', reference: 'OASYS-1' },
      { title: 'CIN plan', heldByAgencyId: 'la-childrens-services' },
    ]);
    const several = answer('attachments', 'documents', 'Care plan | NHS', formOf());
    expect(several.ok ? '' : several.error).toContain('"NHS" could be');
  });
});

describe('eligibility feedback while the category questions are asked', () => {
  const cat2 = formOf({ category: { category: 'cat2' } });

  it('gives no verdict while the sentence question that decides Category 2 is still to come', () => {
    // 2 = convicted, 4 = murder or a Schedule 15 offence: Category 2 turns on the sentence, asked next.
    const facts = answer('category', 'eligibilityFacts', '2, 4', cat2);
    expect(facts.ok && facts.value.notes).toEqual([]);

    const withFacts = formOf({ category: facts.ok ? facts.value.section : {} });
    const sentence = answer('category', 'eligibilityFacts.qualifyingDisposal', '1', withFacts);
    expect(sentence.ok && sentence.value.notes).toEqual([expect.stringMatching(/^These answers support Category 2/)]);
  });

  it('still says at once when the answers meet no category and nothing else is to be asked', () => {
    const facts = answer('category', 'eligibilityFacts', '2', cat2);
    expect(facts.ok && facts.value.notes).toEqual([expect.stringContaining('do not meet any MAPPA category yet')]);
  });
});

describe('senior-oversight reasons', () => {
  const level3 = formOf({ reason: { levelRequested: 3 } });
  const domainWords = LEVEL_CRITERIA.filter((c) => c.id.startsWith('l3_') && c.kind === 'any' && c.id !== 'l3_other')
    .map((c) => c.text.replace(/^senior oversight needed: /, ''))
    .map((t) => t.charAt(0).toUpperCase() + t.slice(1));

  it('are offered in the words the Level 3 test records, so the walk and the decision agree', () => {
    const question = findQuestion('reason', 'levelFacts.senior')!;
    expect(question.choices?.(level3).map((c) => c.title)).toEqual(domainWords);
  });

  it('read back in the same words on review', () => {
    const question = findQuestion('reason', 'levelFacts.senior')!;
    const picked = applyAnswer(question, '1, 2, 3', level3);
    expect(picked.ok && question.show(picked.value.section, level3)).toBe(domainWords.join('; '));
  });
});

describe('dates as people write them', () => {
  it.each([
    ['2 February 2030', '2030-02-02'],
    ['2nd Feb 2030', '2030-02-02'],
    ['Sat 2 Feb 2030', '2030-02-02'],
    ['February 2, 2030', '2030-02-02'],
    ['02/02/2030', '2030-02-02'],
    ['4/3/2024', '2024-03-04'],
    ['2030-02-02', '2030-02-02'],
  ])('reads "%s" as %s', (typed, iso) => {
    expect(parseUkDate(typed)).toBe(iso);
  });

  it.each(['31/02/1990', '30 February 2030', 'Febtember 2 2030', 'soon'])('refuses "%s"', (typed) => {
    expect(parseUkDate(typed)).toBeNull();
  });

  it('says how to write one, with an example in words', () => {
    const res = answer('offence', 'sentenceDate', 'next Tuesday', formOf());
    expect(res.ok ? '' : res.error).toBe('Give a real date, for example 2 February 2030 or 02/02/2030.');
  });
});

describe('an empty list in words', () => {
  it.each(['None identified', 'none', 'None known', 'n/a', 'Not applicable'])('accepts "%s"', (typed) => {
    const res = answer('reason', 'levelFacts.level2', typed, formOf());
    expect(res.ok).toBe(true);
  });
});

describe('typed lines with more parts than are read', () => {
  it('refuses a five-part agency line, naming it, rather than dropping the rest', () => {
    const res = answer(
      'agencies',
      'agencies',
      'Housing | Housing options | An address away from the victim | Weekly | Named officer',
      formOf(),
    );
    expect(res.ok ? '' : res.error).toMatch(/has 5 parts separated by \|, but only 3 are read/);
  });
});

describe('a card of questions', () => {
  const ask = (section: string, ids: string[]) => ids.map((id) => findQuestion(section, id)!);

  it('reads a multi-select eligibility answer and the sentence beside it, and gives the verdict', () => {
    const res = applyCardAnswers(
      ask('category', ['category', 'eligibilityFacts', 'eligibilityFacts.qualifyingDisposal']),
      {
        category: 'cat2',
        eligibilityFacts: 'convicted,murderOrSchedule15Offence',
        'eligibilityFacts.qualifyingDisposal': 'custody_12m_plus',
      },
      formOf(),
    );
    expect(res.ok && res.value.section).toMatchObject({
      category: 'cat2',
      eligibilityFacts: { convicted: true, murderOrSchedule15Offence: true, qualifyingDisposal: 'custody_12m_plus' },
    });
    expect(res.ok && res.value.notes).toEqual([expect.stringMatching(/^These answers support Category 2/)]);
  });

  it('takes the date a date picker sends', () => {
    const res = applyCardAnswers(ask('offence', ['sentenceDate']), { sentenceDate: '2030-02-02' }, formOf());
    expect(res.ok && res.value.section.sentenceDate).toBe('2030-02-02');
  });

  it('reads agencies as rows, skipping empty ones, and names an incomplete row', () => {
    const rows = {
      'agencies.0.agencyId': 'housing-authority',
      'agencies.0.involvement': 'Housing options',
      'agencies.0.contributionRequired': 'An address away from the victim',
      'agencies.1.agencyId': '',
      'agencies.1.involvement': '',
      'agencies.1.contributionRequired': '',
      'agencies.2.agencyId': 'yot',
      'agencies.2.involvement': 'Supervises a younger sibling',
      'agencies.2.contributionRequired': 'Attend meetings',
    };
    const res = applyCardAnswers(ask('agencies', ['agencies']), rows, formOf());
    expect(res.ok && res.value.section.agencies).toEqual([
      {
        agencyId: 'housing-authority',
        involvement: 'Housing options',
        contributionRequired: 'An address away from the victim',
      },
      { agencyId: 'yot', involvement: 'Supervises a younger sibling', contributionRequired: 'Attend meetings' },
    ]);
    const half = applyCardAnswers(
      ask('agencies', ['agencies']),
      { ...rows, 'agencies.2.contributionRequired': '' },
      formOf(),
    );
    expect(half.ok ? [] : half.error).toEqual([
      {
        questionId: 'agencies',
        message: 'Agency 3: fill in what it must contribute, or clear the whole row.',
      },
    ]);
    const forged = applyCardAnswers(
      ask('agencies', ['agencies']),
      { ...rows, 'agencies.0.agencyId': 'fire' },
      formOf(),
    );
    expect(forged.ok ? [] : forged.error[0]?.message).toBe('Agency 1: choose the agency from the list.');
  });

  it('names every problem at once, each by its question, and applies nothing', () => {
    const res = applyCardAnswers(
      ask('subject', ['name', 'dateOfBirth', 'gender', 'address', 'identifiers']),
      {
        'name.given': 'Terry',
        'name.family': '',
        dateOfBirth: '31/02/1990',
        gender: 'Male',
        address: '',
        'address.nfa': 'false',
        'identifiers.pnc': '12345',
      },
      formOf(),
    );
    expect(res.ok ? [] : res.error.map((p) => p.message)).toEqual([
      'Name: give the family name.',
      'Date of birth: Give a real date of birth, for example 4 March 1985 or 04/03/1985.',
      'Address: give their current address, or tick "No fixed abode".',
      'Reference numbers (PNC): PNC id like 2001/0123456X',
    ]);
  });

  it('leaves a blank optional answer blank, and takes "No fixed abode" for the address', () => {
    const ctx = formOf({ subject: { aliases: ['TJ'], address: '1 Nowhere Street' } });
    const res = applyCardAnswers(
      ask('subject', ['aliases', 'address']),
      { aliases: '', address: '1 Nowhere Street', 'address.nfa': 'true' },
      ctx,
    );
    expect(res.ok && res.value.section).toEqual({ noFixedAbode: true });
  });
});
