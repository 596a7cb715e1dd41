import { CanActivate, ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { timingSafeEqual, createHash } from 'crypto';
import { ADMIN_TOKEN } from '../tokens';

/** Bearer-token guard for the admin API (`Authorization: Bearer <token>`, strictly); compares digests in constant time. */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(@Inject(ADMIN_TOKEN) token: string) {
    this.expected = createHash('sha256').update(token).digest();
  }

  canActivate(ctx: ExecutionContext): boolean {
    const header = ctx.switchToHttp().getRequest().headers['authorization'];
    // Exactly `Bearer <token>`: one space, the scheme as written, nothing around it.
    const m = typeof header === 'string' ? /^Bearer ([\x21-\x7e]+)$/.exec(header) : null;
    if (!m) throw new UnauthorizedException('missing bearer token');
    const given = createHash('sha256').update(m[1]).digest();
    if (!timingSafeEqual(given, this.expected)) throw new UnauthorizedException('invalid token');
    return true;
  }
}
