import { IntakeCommand } from '@zs/domain';
import { Decision, IntakeContext } from '../intake-context';

export type CommandKind = IntakeCommand['kind'];
export type CommandOf<K extends CommandKind> = Extract<IntakeCommand, { kind: K }>;

/** One chat command, decided inside the message's transaction. */
export interface CommandHandler<K extends CommandKind = CommandKind> {
  readonly kind: K;
  handle(ctx: IntakeContext, command: CommandOf<K>): Promise<Decision>;
}
