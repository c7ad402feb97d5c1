// Cases: one open case per person (shared by notifications and referrals), and a case's access log.
export {
  CaseBusyError,
  conflictingOpenCaseIds,
  ensureOpenCase,
  ensurePerson,
  findOpenCase,
  matchPerson,
  type IdentityMatches,
  type OpenCaseDeps,
  type OpenCaseTiming,
} from './open-case';
export { caseAccessLog, type CaseAuditDeps } from './case-audit';
