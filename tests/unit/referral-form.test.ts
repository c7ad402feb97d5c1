import { applyAnswer, findQuestion, type DraftSections, type FormContext } from '../../src/app/referrals/referral-form';
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
