import { SetMetadata } from '@nestjs/common';

/** Metadata key of routes that need no admin sign-in (health, metrics, platform callbacks, sign-in). */
export const PUBLIC_ROUTE_KEY = 'zs:public-route';

/**
 * Marks a controller or route as deliberately open: it authenticates by other means (platform
 * signatures) or carries no admin data. Every other HTTP route of the gateway must be guarded
 * (test: apps/bot-gateway/src/auth/route-coverage.spec.ts).
 */
export const Public = () => SetMetadata(PUBLIC_ROUTE_KEY, true);
