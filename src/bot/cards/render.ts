import * as ACData from 'adaptivecards-templating';
import type { Attachment } from 'botbuilder';
import { CardFactory } from 'botbuilder';
import { z } from 'zod';
import helpTemplate from '../../../cards/help.json';
import welcomeTemplate from '../../../cards/welcome.json';

/** Data each template binds; the sample `cards/<name>.data.json` files must satisfy these too. */
export const cardDataSchemas = {
  welcome: z.object({ areaName: z.string().min(1) }),
  help: z.object({ commands: z.array(z.object({ name: z.string(), description: z.string() })).min(1) }),
} as const;

export type CardName = keyof typeof cardDataSchemas;
export type CardData<N extends CardName> = z.infer<(typeof cardDataSchemas)[N]>;

const templates: Record<CardName, object> = { welcome: welcomeTemplate, help: helpTemplate };

export interface AdaptiveCardJson {
  type: 'AdaptiveCard';
  version: string;
  body: unknown[];
  [key: string]: unknown;
}

/**
 * Binds a template and frames it with the protective marking at top and bottom. The marking is added
 * here rather than in each template so no card can be posted without it.
 */
export function renderCard<N extends CardName>(name: N, data: CardData<N>, marking: string): AdaptiveCardJson {
  const bound = cardDataSchemas[name].parse(data);
  const card = new ACData.Template(templates[name]).expand({ $root: bound }) as AdaptiveCardJson;
  const banner = (id: string) => ({
    type: 'TextBlock',
    id,
    text: marking,
    weight: 'Bolder',
    color: 'Attention',
    size: 'Small',
    horizontalAlignment: 'Center',
    wrap: true,
  });
  return { ...card, body: [banner('marking-top'), ...card.body, banner('marking-bottom')] };
}

export function cardAttachment(card: AdaptiveCardJson): Attachment {
  return CardFactory.adaptiveCard(card);
}
