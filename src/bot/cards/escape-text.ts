/**
 * Teams reads a bot message's text as markup, so a placeholder written `<case ref>` is taken for an
 * HTML tag and dropped ("type submit, edit , save"). Escaping the brackets of anything tag-like keeps
 * the words; a Teams mention (`<at>…</at>`) is left as it is.
 */
const TAG_LIKE = /<(\/?)(?!\/?at>)([A-Za-z][^<>\n]*)>/g;

export function escapeTagLikeText(text: string): string {
  return text.replace(TAG_LIKE, (_m, slash: string, inner: string) => `&lt;${slash}${inner}&gt;`);
}
