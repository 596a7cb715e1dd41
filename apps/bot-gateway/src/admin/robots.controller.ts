import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CreateRobotDto, RobotView, Rpc } from '@zs/contracts';
import { AdminAuthGuard } from './admin-auth.guard';
import { AdminAreaOf } from '../auth/admin-area';
import { MeshClient } from './mesh-client';
import { validated, validId } from './validation';

/**
 * Group robots (WeCom group robot webhooks, DingTalk custom robots). Kept by notification;
 * the key and signing secret go in and never come out (only a masked hint).
 */
@ApiTags('robots')
@ApiBearerAuth()
@ApiCookieAuth()
@UseGuards(AdminAuthGuard)
@AdminAreaOf('robots')
@Controller('api/robots')
export class RobotsController {
  constructor(private readonly mesh: MeshClient) {}

  @Get()
  @ApiOkResponse({ type: [RobotView] })
  list() {
    return this.mesh.request<RobotView[]>(Rpc.robotsList, {});
  }

  @Post()
  @ApiCreatedResponse({ type: RobotView })
  create(@Body() body: CreateRobotDto) {
    return this.mesh.request<RobotView>(Rpc.robotsCreate, validated(CreateRobotDto, body));
  }

  /** The robot was fixed (new key registered elsewhere, robot re-added to its group): use it again. */
  @Post(':id/reset')
  @HttpCode(200)
  @ApiOkResponse({ type: RobotView })
  reset(@Param('id') id: string) {
    return this.mesh.request<RobotView>(Rpc.robotsReset, { id: validId(id, 'id') });
  }
}
