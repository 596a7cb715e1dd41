import { Inject, OnApplicationShutdown, Provider } from '@nestjs/common';
import { ClientProxy, ClientProxyFactory, Transport } from '@nestjs/microservices';
import { natsConnectionOptionsFromEnv } from './nats-options';

/**
 * Providers for a NATS request/reply client of one service (the admin API's, the scheduler's calls to
 * scoring, lead-intake's to the scheduler): credentials, TLS and the service's own reply inbox come from
 * the environment exactly as for its JetStream connection, and the client closes with the application.
 */
export function meshClientProviders(token: symbol | string, opts: { natsUrl: string; namespace: string; service: string; purpose: string }): Provider[] {
  class MeshClientCloser implements OnApplicationShutdown {
    constructor(@Inject(token) private readonly client: ClientProxy) {}
    async onApplicationShutdown() {
      await this.client.close();
    }
  }
  return [
    {
      provide: token,
      useFactory: async () => {
        const client = ClientProxyFactory.create({
          transport: Transport.NATS,
          options: {
            ...natsConnectionOptionsFromEnv(opts.natsUrl, { namespace: opts.namespace, service: opts.service }),
            name: `${opts.namespace}-${opts.service}-${opts.purpose}`,
            maxReconnectAttempts: -1,
          },
        }) as ClientProxy;
        await client.connect();
        return client;
      },
    },
    MeshClientCloser,
  ];
}
