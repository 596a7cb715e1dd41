import { Inject, Injectable } from '@nestjs/common';
import { IntakeCommand, parseIntakeCommand, PolicyProfile } from '@zs/domain';
import { POLICY } from '../tokens';
import { Decision, IntakeContext } from './intake-context';
import { CommandHandler, CommandKind } from './handlers/command-handler';
import { CancelHandler, ConfirmHandler, ConfirmNewCompanyHandler, SubmitHandler, TextHandler } from './handlers/conversation.handlers';
import {
  CapitalHandler,
  CorrectHandler,
  HelpHandler,
  MyLeadsHandler,
  NeedsCodeHandler,
  QueryHandler,
  RequestTransferHandler,
  ShowHandler,
  StageHandler,
  TransferHandler,
} from './handlers/ledger.handlers';

/** Recognises the command of a text message (with the profile's stage vocabulary) and hands it to its one handler. */
@Injectable()
export class CommandRouter {
  private readonly handlers = new Map<CommandKind, CommandHandler>();

  constructor(@Inject(POLICY) private readonly policy: PolicyProfile) {
    const all: CommandHandler[] = [
      new HelpHandler(),
      new SubmitHandler(),
      new ConfirmHandler(),
      new ConfirmNewCompanyHandler(),
      new CancelHandler(),
      new TextHandler(),
      new StageHandler(),
      new CapitalHandler(),
      new MyLeadsHandler(),
      new QueryHandler(),
      new ShowHandler(),
      new CorrectHandler(),
      new TransferHandler(),
      new RequestTransferHandler(),
      new NeedsCodeHandler(),
    ] as CommandHandler[];
    for (const h of all) this.handlers.set(h.kind, h);
  }

  parse(text: string): IntakeCommand {
    return parseIntakeCommand(text, this.policy.ledger);
  }

  async route(ctx: IntakeContext, command: IntakeCommand): Promise<Decision> {
    const handler = this.handlers.get(command.kind);
    if (!handler) throw new Error(`no handler for command ${command.kind}`);
    return handler.handle(ctx, command as never);
  }
}
