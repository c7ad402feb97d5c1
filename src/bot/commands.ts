/**
 * The bot's text commands. One catalogue feeds the router, the help card and the manifest's command
 * list, so a command cannot exist in one place and be missing from another.
 */
export const COMMANDS = [{ name: 'help', description: 'Show what I can do' }] as const;

export type CommandName = (typeof COMMANDS)[number]['name'];

/** Teams prefixes channel messages with the @mention and may add non-breaking spaces. */
export function normaliseCommandText(text: string | undefined): string {
  return (text ?? '')
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/\u00a0/g, ' ')
    .trim()
    .replace(/\s+/g, ' ')
    .toLowerCase();
}

export function matchCommand(text: string): CommandName | undefined {
  const found = COMMANDS.find((c) => text === c.name || text.startsWith(`${c.name} `));
  return found?.name;
}
