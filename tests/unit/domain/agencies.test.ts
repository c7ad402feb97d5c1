import { defaultAgencies } from '../../../src/domain/agency-catalogue';
import { type Agency, canLeadCases, leadAgencyChoices, leadAgencyStatus } from '../../../src/domain/agency.schema';

// The co-ordination unit as area set-up seeds it: co-ordinators and admins belong to it, but it owns no case.
const unit: Agency = {
  id: 'mappa-unit',
  name: 'MAPPA co-ordination unit',
  role: 'other',
  visorAccess: true,
  active: true,
};
const agencies: Agency[] = [unit, ...defaultAgencies('england-wales')];

describe('which agencies can lead a case', () => {
  test('the co-ordination unit is never offered or accepted as a lead agency', () => {
    expect(canLeadCases(unit)).toBe(false);
    expect(leadAgencyChoices(agencies).map((a) => a.id)).not.toContain('mappa-unit');
    expect(leadAgencyStatus(agencies, 'mappa-unit')).toBe('cannot_lead');
  });

  test('a unit marked explicitly as unable to lead stays out even with a statutory role', () => {
    expect(canLeadCases({ ...unit, role: 'responsible_authority', canLead: false })).toBe(false);
  });

  test('Responsible Authority and Duty to Co-operate agencies can lead; associates and others only when the area says so', () => {
    expect(leadAgencyStatus(agencies, 'probation')).toBe('ok');
    expect(leadAgencyStatus(agencies, 'yot')).toBe('ok');
    const partner: Agency = { id: 'charity', name: 'A local charity', role: 'other', visorAccess: false, active: true };
    expect(canLeadCases(partner)).toBe(false);
    expect(canLeadCases({ ...partner, canLead: true })).toBe(true);
  });

  test('an inactive or unlisted agency is unknown, not merely unable to lead', () => {
    const inactive = agencies.map((a) => (a.id === 'police' ? { ...a, active: false } : a));
    expect(leadAgencyStatus(inactive, 'police')).toBe('unknown');
    expect(leadAgencyStatus(agencies, 'fire-service')).toBe('unknown');
    expect(leadAgencyChoices(inactive).map((a) => a.id)).not.toContain('police');
  });
});

describe('England and Wales duty-to-co-operate list', () => {
  test('the Ministry of Defence stays, with the source that puts it there', () => {
    const mod = defaultAgencies('england-wales').find((a) => a.id === 'mod');
    expect(mod).toMatchObject({ role: 'duty_to_cooperate' });
    expect(mod?.note).toMatch(/s\.325\(6\)\(b\)/);
    expect(mod?.note).toMatch(/MAPPA Guidance/);
  });
});
