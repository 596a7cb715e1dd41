import 'reflect-metadata';
import { bootstrapService, loadConfigOrExit } from '@zs/platform';
import { namesFor } from '@zs/contracts';
import { notificationConfigSchema } from './config';
import { NotificationModule } from './notification.module';

const config = loadConfigOrExit(notificationConfigSchema, 'notification');
void bootstrapService({
  service: 'notification',
  module: NotificationModule.register(config),
  port: config.NOTIFICATION_PORT,
  logLevel: config.LOG_LEVEL,
  rpc: { natsUrl: config.NATS_URL, queue: namesFor(config.NAMESPACE).queues.notification },
});
