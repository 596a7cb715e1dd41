import { z, ZodTypeAny } from 'zod';
import { natsAuthSchema } from './nats-options';

/**
 * Settings every service shares. Each service extends this with its own keys and
 * validates once at boot; a bad value stops the process with a message that names
 * the variable, never its value (values can be secrets).
 */
export const baseConfigSchema = z.object({
  NODE_ENV: z.string().default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/zhaoshang'),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
  /** Prefix for NATS subjects, JetStream streams and Redis keys, so deployments (and test runs) sharing engines never see each other. */
  NAMESPACE: z
    .string()
    .regex(/^[a-z][a-z0-9]{0,15}$/, 'lowercase letters and digits, starting with a letter, at most 16')
    .default('zs'),
  POLICY_PROFILE: z.string().default('yiyang'),
  /** Path of a city's own profile (JSON, the shipped profiles' schema); when set it is used instead of POLICY_PROFILE. */
  POLICY_PROFILE_FILE: z.string().min(1).optional(),
  /** Timeout for every NATS request/reply call. */
  NATS_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(60000).default(5000),
  /** Replicas the mesh's JetStream streams must have (3 on a 3-node cluster). New streams are created with it. */
  JETSTREAM_REPLICAS: z.coerce.number().int().min(1).max(5).optional(),
  /** Older name of JETSTREAM_REPLICAS, still honoured when JETSTREAM_REPLICAS is not set. */
  NATS_STREAM_REPLICAS: z.coerce.number().int().min(1).max(5).optional(),
  /** `true`: a stream with fewer replicas makes the service not ready (always logged as an error). */
  NATS_REQUIRE_STREAM_REPLICAS: z.enum(['true', 'false']).default('false'),
}).merge(natsAuthSchema);

export type BaseConfig = z.infer<typeof baseConfigSchema>;

/** Replicas of every stream the services ensure: JETSTREAM_REPLICAS, else its older name NATS_STREAM_REPLICAS, else 1. */
export function jetStreamReplicas(config: Pick<BaseConfig, 'JETSTREAM_REPLICAS' | 'NATS_STREAM_REPLICAS'>): number {
  return config.JETSTREAM_REPLICAS ?? config.NATS_STREAM_REPLICAS ?? 1;
}

/** The stream durability the deployment asks for (the JetStream bus's StreamDurability). */
export function streamDurability(config: Pick<BaseConfig, 'JETSTREAM_REPLICAS' | 'NATS_STREAM_REPLICAS' | 'NATS_REQUIRE_STREAM_REPLICAS'>) {
  return {
    replicas: jetStreamReplicas(config),
    required: config.NATS_REQUIRE_STREAM_REPLICAS === 'true',
    explicit: (config.JETSTREAM_REPLICAS ?? config.NATS_STREAM_REPLICAS) !== undefined,
  };
}

export class ConfigError extends Error {}

export function loadConfig<S extends ZodTypeAny>(schema: S, service: string, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  - ${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new ConfigError(`${service}: invalid configuration, refusing to start:\n${lines.join('\n')}`);
}

/** A port given by the environment. */
export const portSchema = z.coerce.number().int().min(0).max(65535);

/**
 * Cross-field check for a config schema's superRefine: the keys configure one thing together, so
 * either none is set or all are. When some but not all are set, each missing key gets `message`.
 */
export function requireTogether<C extends object>(ctx: z.RefinementCtx, config: C, keys: readonly (keyof C & string)[], message: string): void {
  const missing = keys.filter((k) => !config[k]);
  if (missing.length === 0 || missing.length === keys.length) return;
  for (const k of missing) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [k], message });
}
