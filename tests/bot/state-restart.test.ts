import { ConversationState, TestAdapter, type TurnContext } from 'botbuilder';
import { DialogSet, DialogTurnStatus, TextPrompt, WaterfallDialog } from 'botbuilder-dialogs';
import { MongoClient } from 'mongodb';
import { MongoBotStorage } from '../../src/store/bot-state.storage';
import { freshDbName, testMongoUri } from '../support/mongo';

/**
 * A whole bot "process" — its own MongoClient, storage, state and dialogs — built from nothing, as
 * after a restart. Nothing in memory is shared between two instances.
 */
async function bootInstance(dbName: string) {
  const client = await new MongoClient(testMongoUri()).connect();
  const conversationState = new ConversationState(new MongoBotStorage(client.db(dbName)));
  const dialogs = new DialogSet(conversationState.createProperty('dialogState'));
  dialogs.add(new TextPrompt('text'));
  dialogs.add(
    new WaterfallDialog('two-questions', [
      async (step) => step.prompt('text', 'First question?'),
      async (step) => {
        (step.values as Record<string, unknown>).first = step.result;
        return step.prompt('text', 'Second question?');
      },
      async (step) => {
        await step.context.sendActivity(
          `Done: ${String((step.values as Record<string, unknown>).first)} / ${String(step.result)}`,
        );
        return step.endDialog();
      },
    ]),
  );
  const logic = async (context: TurnContext) => {
    const dc = await dialogs.createContext(context);
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog('two-questions');
    await conversationState.saveChanges(context);
  };
  return { client, logic };
}

describe('conversation state survives a restart', () => {
  const dbName = freshDbName('restart');

  it('continues a dialog after every in-memory object was thrown away', async () => {
    const first = await bootInstance(dbName);
    await new TestAdapter(first.logic)
      .send('start')
      .assertReply('First question?')
      .send('answer one')
      .assertReply('Second question?')
      .startTest();
    await first.client.close();

    const second = await bootInstance(dbName);
    await new TestAdapter(second.logic).send('answer two').assertReply('Done: answer one / answer two').startTest();
    await second.client.db(dbName).dropDatabase();
    await second.client.close();
  });
});
