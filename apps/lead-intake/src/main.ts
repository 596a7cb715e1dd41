import 'reflect-metadata';
import { bootstrapService, loadConfigOrExit } from '@zs/platform';
import { namesFor } from '@zs/contracts';
import { leadIntakeConfigSchema } from './config';
import { LeadIntakeModule } from './lead-intake.module';

const config = loadConfigOrExit(leadIntakeConfigSchema, 'lead-intake');
void bootstrapService({
  service: 'lead-intake',
  module: LeadIntakeModule.register(config),
  port: config.LEAD_INTAKE_PORT,
  logLevel: config.LOG_LEVEL,
  rpc: { natsUrl: config.NATS_URL, queue: namesFor(config.NAMESPACE).queues.leadIntake },
});
