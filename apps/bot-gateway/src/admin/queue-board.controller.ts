import { All, Controller, Next, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { AdminAuthGuard } from './admin-auth.guard';
import { AdminAreaOf } from '../auth/admin-area';
import { QueueBoard } from './queue-board';

/**
 * GET/POST/PUT /admin/queues/...: Bull Board, for administrators only. The same guard as the admin
 * API decides who is signed in, so however that guard accepts an administrator (the bearer token,
 * a sign-in session) applies here too; without it every page and API call of the board is 401.
 * City administrators only: job payloads carry message text and phone numbers.
 */
@ApiExcludeController()
@UseGuards(AdminAuthGuard)
@AdminAreaOf('queues')
@Controller('admin/queues')
export class QueueBoardController {
  constructor(private readonly board: QueueBoard) {}

  @All(['', '*path'])
  async serve(@Req() req: Request, @Res() res: Response, @Next() next: NextFunction): Promise<void> {
    await this.board.handle(req, res, next);
  }
}
