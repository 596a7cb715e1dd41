import { Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, Query, UnprocessableEntityException, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DeadLetterItemView, ListDeadLettersQuery, Names, pageArgs } from '@zs/contracts';
import { DeadLetterStore, DeadLetterView, JetStreamBus } from '@zs/platform';
import { NAMES } from '../tokens';
import { AdminAuthGuard } from './admin-auth.guard';
import { AdminAreaOf } from '../auth/admin-area';
import { validated, validId } from './validation';

const view = (d: DeadLetterView): DeadLetterItemView => ({
  id: d.id,
  durable: d.durable,
  subject: d.subject,
  reason: d.reason,
  kind: d.kind,
  attempts: d.attempts,
  deadAt: new Date(d.deadAt).toISOString(),
  data: d.data,
});

/**
 * Messages a service gave up on (they failed for a reason retrying could not fix, or every
 * redelivery was used up). An administrator fixes the cause, then replays them; a replayed
 * message is processed like a new one and leaves the list.
 */
@ApiTags('dead-letters')
@ApiBearerAuth()
@ApiCookieAuth()
@UseGuards(AdminAuthGuard)
@AdminAreaOf('dead-letters')
@Controller('api/dead-letters')
export class DeadLettersController {
  private readonly store: DeadLetterStore;

  constructor(
    private readonly bus: JetStreamBus,
    @Inject(NAMES) names: Names,
  ) {
    this.store = new DeadLetterStore(bus.jsm, names.streams.deadLetter.name);
  }

  @Get()
  @ApiOkResponse({ description: '{ items: DeadLetterItemView[], total }, newest first', type: [DeadLetterItemView] })
  async list(@Query() query: ListDeadLettersQuery) {
    const q = validated(ListDeadLettersQuery, query);
    const page = await this.store.list(...pageArgs(q));
    return { items: page.items.map(view), total: page.total };
  }

  /** Publishes the original message again on its subject and removes the dead letter. */
  @Post(':id/replay')
  @HttpCode(200)
  @ApiOkResponse({ description: '{ replayed: id, subject }' })
  async replay(@Param('id') id: string) {
    const seq = Number(validId(id, 'id'));
    if (!Number.isSafeInteger(seq) || seq < 1) throw new NotFoundException('no such dead letter');
    const letter = await this.store.get(seq);
    if (!letter) throw new NotFoundException('no such dead letter');
    let payload: unknown;
    try {
      payload = JSON.parse(letter.data);
    } catch {
      throw new UnprocessableEntityException('this dead letter is not JSON and cannot be replayed');
    }
    await this.bus.publish(letter.subject, payload, `replay:${letter.stream}:${letter.seq}:${seq}`);
    await this.store.remove(seq);
    return { replayed: seq, subject: letter.subject };
  }
}
