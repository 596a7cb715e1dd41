import { DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import Redis from 'ioredis';
import type { Logger } from 'pino';
import { namesFor } from '@zs/contracts';
import { LOGGER, meshClientProviders, PlatformModule, postgresHealthProvider } from '@zs/platform';
import { dataSourceOptions, DB_POOL_SIZES } from '@zs/persistence';
import { WecomCrypto } from '@zs/channels';
import { GatewayConfig, wecomAppEnabled } from './config';
import { ADMIN_AUTH_SETTINGS, ADMIN_LOGIN_THROTTLE, ADMIN_REDIS, ADMIN_TOKEN, MESH_CLIENT, NAMES, RPC_TIMEOUT_MS, WECOM_APP_CRYPTO } from './tokens';
import { AdminAccountStore } from './auth/admin-account.store';
import { AuditLogStore } from './auth/audit-log.store';
import { ApiTokenStore, SessionStore } from './auth/session.store';
import { LoginThrottle } from './auth/login-throttle';
import { AdminAuditInterceptor } from './auth/audit.interceptor';
import { AuthController } from './auth/auth.controller';
import { AccountsController, AuditController } from './auth/accounts.controller';
import { AdminAuthSettings } from './auth/auth-settings';
import { InboundPublisher } from './inbound/inbound-publisher';
import { WecomCallbackController } from './wecom/wecom-callback.controller';
import { MeshClient } from './admin/mesh-client';
import { UnitsController } from './admin/units.controller';
import { MembersController } from './admin/members.controller';
import { LeadsController } from './admin/leads.controller';
import { LedgerController } from './admin/ledger.controller';
import { MemberAdminController } from './admin/member-admin.controller';
import { AdminAuthGuard } from './admin/admin-auth.guard';
import { RobotsController } from './admin/robots.controller';
import { DeliveriesController } from './admin/deliveries.controller';
import { DeadLettersController } from './admin/dead-letters.controller';
import { ScoringController } from './admin/scoring.controller';
import { SchedulesController } from './admin/schedules.controller';
import { TripsController } from './admin/trips.controller';
import { QueueBoardController } from './admin/queue-board.controller';
import { QueueBoard } from './admin/queue-board';
import { DingtalkModule } from './dingtalk/dingtalk.module';
import { WecomAibotModule } from './wecom-aibot/wecom-aibot.module';

/** Closes the admin Redis connection (login throttle) on shutdown. */
class AdminRedisCloser implements OnApplicationShutdown {
  constructor(@Inject(ADMIN_REDIS) private readonly redis: Redis) {}
  async onApplicationShutdown() {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

@Module({})
export class GatewayModule {
  static register(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        PlatformModule.forRoot('bot-gateway', config),
        // Console accounts, sessions, API tokens and the audit log (ADR 0021): a small pool of its own.
        TypeOrmModule.forRoot(dataSourceOptions(config.DATABASE_URL, `${config.NAMESPACE}-bot-gateway`, DB_POOL_SIZES['bot-gateway'])),
        DingtalkModule.register(config),
        WecomAibotModule.register(config),
      ],
      controllers: [AuthController, AccountsController, AuditController, WecomCallbackController, UnitsController, MemberAdminController, MembersController, LedgerController, LeadsController, RobotsController, DeliveriesController, DeadLettersController, ScoringController, SchedulesController, TripsController, QueueBoardController],
      providers: [
        { provide: NAMES, useValue: namesFor(config.NAMESPACE) },
        { provide: ADMIN_TOKEN, useValue: config.ADMIN_TOKEN },
        { provide: RPC_TIMEOUT_MS, useValue: config.NATS_REQUEST_TIMEOUT_MS },
        {
          provide: WECOM_APP_CRYPTO,
          useValue: wecomAppEnabled(config)
            ? { crypto: new WecomCrypto(config.WECOM_TOKEN!, config.WECOM_ENCODING_AES_KEY!, config.WECOM_CORP_ID!), agentId: config.WECOM_AGENT_ID }
            : null,
        },
        ...meshClientProviders(MESH_CLIENT, { natsUrl: config.NATS_URL, namespace: config.NAMESPACE, service: 'bot-gateway', purpose: 'client' }),
        MeshClient,
        InboundPublisher,
        AdminAuthGuard,
        {
          provide: ADMIN_AUTH_SETTINGS,
          useValue: {
            sessionTtlMs: config.ADMIN_SESSION_TTL_MIN * 60_000,
            cookieSecure: config.ADMIN_COOKIE_SECURE,
            wecomLogin:
              config.WECOM_CORP_ID && config.WECOM_AGENT_ID && config.WECOM_SECRET
                ? {
                    corpId: config.WECOM_CORP_ID,
                    agentId: config.WECOM_AGENT_ID,
                    secret: config.WECOM_SECRET,
                    apiBase: config.WECOM_API_BASE,
                    ssoBase: config.WECOM_SSO_BASE ?? 'https://login.work.weixin.qq.com',
                  }
                : null,
            dingtalkLogin:
              config.DINGTALK_LOGIN_CLIENT_ID && config.DINGTALK_LOGIN_CLIENT_SECRET
                ? {
                    clientId: config.DINGTALK_LOGIN_CLIENT_ID,
                    clientSecret: config.DINGTALK_LOGIN_CLIENT_SECRET,
                    apiBase: config.DINGTALK_API_BASE,
                    loginBase: config.DINGTALK_LOGIN_BASE,
                  }
                : null,
          } satisfies AdminAuthSettings,
        },
        {
          provide: ADMIN_REDIS,
          inject: [LOGGER],
          useFactory: (logger: Logger) => {
            const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, connectTimeout: 3000 });
            redis.on('error', (e) => logger.debug({ err: { message: e.message } }, 'gateway admin redis error'));
            return redis;
          },
        },
        {
          provide: ADMIN_LOGIN_THROTTLE,
          inject: [ADMIN_REDIS],
          useFactory: (redis: Redis) =>
            new LoginThrottle(redis, {
              namespace: config.NAMESPACE,
              maxAccountFailures: config.ADMIN_LOGIN_MAX_FAILURES,
              maxAddressFailures: config.ADMIN_LOGIN_MAX_ADDRESS_FAILURES,
              windowSeconds: config.ADMIN_LOGIN_WINDOW_S,
            }),
        },
        AdminRedisCloser,
        AdminAccountStore,
        SessionStore,
        ApiTokenStore,
        AuditLogStore,
        { provide: APP_INTERCEPTOR, useClass: AdminAuditInterceptor },
        postgresHealthProvider(),
        QueueBoard,
      ],
    };
  }
}
