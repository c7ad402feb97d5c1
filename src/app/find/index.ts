// Finding a case by an identifier, within the searcher's need-to-know, every search audited as a
// keyed hash of its terms.
export {
  findCase,
  nameMatches,
  MAX_RESULTS,
  type FindDeps,
  type FindError,
  type FindResult,
  type FoundCase,
} from './find-case';
export { readSearchTerms, canonicalTerms, FIND_EXAMPLES, type FindQuery, type SearchTermError } from './search-terms';
