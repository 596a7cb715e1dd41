import { SetMetadata } from '@nestjs/common';
import type { AdminArea } from '@zs/domain';

/** Metadata key: the access area (libs/domain admin-access) a controller or route belongs to. */
export const ADMIN_AREA_KEY = 'zs:admin-area';

/**
 * Names the area of the admin API a controller (or one route, overriding its controller) belongs
 * to; AdminAuthGuard asks the access policy about (role, area, read|write) with it. A guarded
 * route without an area is refused (fail closed).
 */
export const AdminAreaOf = (area: AdminArea) => SetMetadata(ADMIN_AREA_KEY, area);
