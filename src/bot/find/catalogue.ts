import type { Catalogue } from '../capability';

export const FIND_CATALOGUE = {
  commands: {
    find: {
      description:
        'Find a case you may see: type find and a PNC number, CRN, case reference, visor and the ViSOR reference, or a name with the date of birth',
      audience: 'practitioner',
      example: 'find 2015/0012345X',
      action: 'case.find',
      where: 'personal',
    },
  },
  verbs: {},
} as const satisfies Catalogue;
