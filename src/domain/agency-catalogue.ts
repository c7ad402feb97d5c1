import type { Agency, AgencyRole } from './agency.schema';
import type { Jurisdiction } from './common.schema';

type Row = readonly [id: string, name: string, role: AgencyRole, visorAccess: boolean, note?: string];

const RA: AgencyRole = 'responsible_authority';
const DTC: AgencyRole = 'duty_to_cooperate';

/*
 * Statutory lists from the domain brief, section 8. Areas start from a copy and edit it (rename,
 * add local providers, deactivate), because the lists change by statutory instrument and local
 * arrangements differ.
 *
 * The Ministry of Defence was checked and stays on the E&W list. The national MAPPA Guidance lists
 * it among the s.325(6) agencies (ch.3 "Duty to Co-operate Agencies", updated 2022, para 3.4) and
 * says "The Ministry of Defence (MoD) is a Duty to Co-operate agency" (ch.16 "Armed Forces", updated
 * 2021, para 16.1), both published at mappa.justice.gov.uk. The Act does not use the name: the
 * nearest words are s.325(6)(b), "the Ministers of the Crown exercising functions in relation to
 * social security, child support, war pensions, employment and training", and war pensions have been
 * an MoD function since the War Pensions Agency moved there in 2001 (MoD memorandum to the Defence
 * Committee, 6 November 2001). Reading the MoD in through paragraph (b) is ours; the Guidance
 * footnote giving its statutory wording could not be read.
 */
const CATALOGUE: Readonly<Record<Jurisdiction, readonly Row[]>> = {
  'england-wales': [
    ['police', 'Police', RA, true],
    ['probation', 'Probation Service', RA, true],
    ['prisons', 'Prison Service', RA, true],
    ['yot', 'Youth Offending Team', DTC, false],
    ['dwp', 'Department for Work and Pensions (Jobcentre Plus)', DTC, false],
    [
      'mod',
      'Ministry of Defence',
      DTC,
      false,
      'CJA 2003 s.325(6)(b) (Ministers with functions for war pensions, which the MoD has held since 2001); listed as a DTC agency in MAPPA Guidance ch.3 para 3.4 (2022) and ch.16 para 16.1 (2021)',
    ],
    ['la-education', 'Local authority education', DTC, false],
    ['la-childrens-services', "Local authority children's social care", DTC, false],
    ['la-adult-services', 'Local authority adult social care', DTC, false],
    ['la-health', 'Local authority health', DTC, false],
    ['nhs-england', 'NHS England', DTC, false],
    ['icb', 'Integrated Care Board / Local Health Board', DTC, false, 'Formerly CCG'],
    ['nhs-trust', 'NHS Trust', DTC, false],
    ['housing-authority', 'Local housing authority', DTC, false],
    [
      'registered-provider',
      'Private registered provider / registered social landlord',
      DTC,
      false,
      'Only those housing MAPPA offenders',
    ],
    ['em-provider', 'Electronic monitoring provider', DTC, false],
    ['home-office-immigration', 'UK Visas and Immigration, Border Force and Immigration Enforcement', DTC, false],
  ],
  scotland: [
    ['police-scotland', 'Police Scotland', RA, true],
    ['local-authority', 'Local authority (justice social work)', RA, true],
    [
      'health-board',
      'Health Board / Special Health Board',
      RA,
      false,
      'RA for restricted patients; duty to co-operate for all other cases',
    ],
    ['sps', 'Scottish Prison Service', RA, true],
    ['rsl', 'Registered social landlord', DTC, false],
    ['principal-reporter', "Principal Reporter (Children's Reporter)", DTC, false],
    ['em-provider', 'Electronic monitoring provider', DTC, false],
    ['ra-service-provider', 'Service provider acting for a Responsible Authority', DTC, false],
    ['social-security-scotland', 'Social Security Scotland', DTC, false, 'Duty to co-operate from 8 January 2021'],
    ['dwp', 'Department for Work and Pensions', DTC, false],
  ],
};

/** A fresh, editable copy of the default agency list for a jurisdiction. */
export function defaultAgencies(jurisdiction: Jurisdiction): Agency[] {
  return CATALOGUE[jurisdiction].map(([id, name, role, visorAccess, note]) => ({
    id,
    name,
    role,
    visorAccess,
    active: true,
    ...(note === undefined ? {} : { note }),
  }));
}

/**
 * An agency's statutory name by its catalogue id, for records that crossed from another area (whose
 * local renames are not known here); an id outside the catalogue is shown as it is.
 */
export function catalogueAgencyName(jurisdiction: Jurisdiction, id: string): string {
  return CATALOGUE[jurisdiction].find(([rowId]) => rowId === id)?.[1] ?? id;
}
