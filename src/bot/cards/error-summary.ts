/**
 * The line beside a form's submit button after a refused submit, naming each field to fix in the
 * card's own words and in the card's order: "2 fields need attention: Given name, PNC." The message
 * for each field sits under its input; this says where to look.
 */
export function errorSummary(
  errors: Readonly<Record<string, string>>,
  labels: Readonly<Record<string, string>>,
): string {
  const named = Object.keys(labels).filter((k) => (errors[k] ?? '') !== '');
  if (named.length === 0) return '';
  const n = named.length;
  return `${n} ${n === 1 ? 'field needs' : 'fields need'} attention: ${named.map((k) => labels[k]).join(', ')}. Each says what is needed below it.`;
}
