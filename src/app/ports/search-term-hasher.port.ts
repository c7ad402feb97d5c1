/**
 * Turns what someone searched for into a keyed hash for the audit log: the log can show that two
 * searches were for the same thing, and someone holding the key can check a given term, but the
 * log alone gives back no PNC or name, even to a dictionary of them.
 */
export interface SearchTermHasher {
  hash(terms: string): string;
}
