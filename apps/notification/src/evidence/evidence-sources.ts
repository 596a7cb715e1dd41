import { NotificationConfig } from '../config';
import type { NotificationApiClients } from '../channels/platform-api-clients';
import { DingtalkMediaSource, EvidenceMediaSource, WecomMediaSource } from './media-sources';

/** The media APIs this deployment has credentials for (the same API clients as the senders). */
export function evidenceMediaSources(config: NotificationConfig, clients: NotificationApiClients): EvidenceMediaSource[] {
  const out: EvidenceMediaSource[] = [];
  if (clients.wecomApp) out.push(new WecomMediaSource(clients.wecomApp, config.WECOM_API_BASE, config.HTTP_TIMEOUT_MS));
  if (clients.dingtalkApps.length) out.push(new DingtalkMediaSource(clients.dingtalkApps, config.HTTP_TIMEOUT_MS));
  return out;
}
