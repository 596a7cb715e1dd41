import { CallHandler, ExecutionContext, HttpException, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import type { Logger } from 'pino';
import { Observable, catchError, mergeMap, from, throwError } from 'rxjs';
import { adminActionOf } from '@zs/domain';
import { LOGGER } from '@zs/platform';
import { AuditLogStore } from './audit-log.store';
import { actorName, AdminRequest } from './principal';

/** `POST /api/leads/:number/transfer`: the route as declared, so the log groups by action. */
export function auditAction(req: AdminRequest): string {
  const route = (req as { route?: { path?: string } }).route?.path ?? req.path;
  return `${req.method} ${route}`;
}

export function auditTarget(req: AdminRequest): string | null {
  if (req.adminAudit?.target) return req.adminAudit.target;
  const params = Object.values(req.params ?? {}).filter((v) => typeof v === 'string' && v !== '');
  return params.length ? params.join('/') : null;
}

/** The status Nest will answer with (@HttpCode, else 201 for POST and 200 otherwise). */
function successStatus(ctx: ExecutionContext, method: string): number {
  const declared = Reflect.getMetadata(HTTP_CODE_METADATA, ctx.getHandler()) as number | undefined;
  return declared ?? (method === 'POST' ? 201 : 200);
}

/**
 * Writes every administrative change (any signed-in request other than GET/HEAD/OPTIONS) to the
 * audit log with its outcome: who, when, which route, the target and, where the handler set them
 * (req.adminAudit), the state before and after; else the request body as `after`. Secrets in
 * bodies are masked (auditable()). Sign-in and sign-out are written by AuthController itself.
 */
@Injectable()
export class AdminAuditInterceptor implements NestInterceptor {
  constructor(
    private readonly audit: AuditLogStore,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const req = ctx.switchToHttp().getRequest<AdminRequest>();
    if (!req.adminPrincipal || adminActionOf(req.method) === 'read' || req.adminAudit?.target === '-') return next.handle();
    const record = async (status: number, result: unknown) => {
      const p = req.adminPrincipal!;
      const body = Buffer.isBuffer(req.body) ? { bytes: req.body.length } : req.body;
      try {
        await this.audit.write({
          actorId: p.accountId,
          actor: actorName(p),
          action: auditAction(req),
          target: auditTarget(req),
          status,
          before: req.adminAudit?.before,
          after: req.adminAudit && 'after' in req.adminAudit ? req.adminAudit.after : status < 400 ? (result ?? body) : body,
        });
      } catch (e) {
        this.logger.error({ err: { message: (e as Error).message }, action: auditAction(req) }, 'audit log write failed');
      }
    };
    return next.handle().pipe(
      mergeMap((result) => from(record(successStatus(ctx, req.method), result).then(() => result))),
      catchError((e) => from(record(e instanceof HttpException ? e.getStatus() : 500, undefined)).pipe(mergeMap(() => throwError(() => e)))),
    );
  }
}
