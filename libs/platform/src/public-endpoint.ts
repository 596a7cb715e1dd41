import { SetMetadata } from '@nestjs/common';

/** Metadata key under which `@PublicEndpoint` keeps its reason. */
export const PUBLIC_ENDPOINT_REASON = 'zs:public-endpoint';

/**
 * Marks a controller (or one HTTP handler) as deliberately open without a guard, and says why
 * (e.g. "WeCom callback: authenticated by its message signature"). The lint rule
 * `zs/controller-guarded` (eslint-rules/controller-guarded.mjs) fails any HTTP route that has
 * neither this nor `@UseGuards(...)`, so a new admin endpoint cannot ship unguarded by accident.
 */
export function PublicEndpoint(reason: string): ClassDecorator & MethodDecorator {
  if (!reason || !reason.trim()) throw new Error('@PublicEndpoint needs a reason');
  return SetMetadata(PUBLIC_ENDPOINT_REASON, reason);
}
