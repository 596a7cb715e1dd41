import type { WecomAppApi } from '../wecom/wecom-api';
import { WECOM_TOKEN_EXPIRED } from '../wecom/wecom-api';
import type { DingtalkOpenApi } from '../dingtalk/dingtalk-openapi';

/** The bytes of one member's image or file, as the platform serves them. */
export interface FetchedMedia {
  bytes: Buffer;
  contentType: string;
  fileName?: string;
}

/** No retry can help: unknown or expired media id, no credentials for the platform, refused. */
export class MediaPermanentError extends Error {}
/** The file is over the configured limit; it is not kept. */
export class MediaTooLargeError extends Error {}

/** One platform's media download API. */
export interface EvidenceMediaSource {
  readonly platform: string;
  fetch(ref: { mediaId: string; botId: string | null }, maxBytes: number): Promise<FetchedMedia>;
}

/** Reads a body up to `maxBytes` (refusing early on a Content-Length over it). */
export async function readCapped(res: Response, maxBytes: number): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw new MediaTooLargeError(`${declared} bytes, over the limit of ${maxBytes}`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  if (res.body) {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      total += chunk.byteLength;
      if (total > maxBytes) throw new MediaTooLargeError(`over the limit of ${maxBytes} bytes`);
      chunks.push(Buffer.from(chunk));
    }
  }
  return Buffer.concat(chunks);
}

/** `filename="..."` or `filename*=UTF-8''...` of a Content-Disposition, decoded. */
export function fileNameOf(disposition: string | null): string | undefined {
  if (!disposition) return undefined;
  const star = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(disposition);
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition);
  const raw = (star?.[1] ?? plain?.[1])?.trim();
  if (!raw) return undefined;
  try {
    return decodeURIComponent(raw).slice(0, 256);
  } catch {
    return raw.slice(0, 256);
  }
}

/** WeCom errors of media/get after which the media cannot be had (invalid or expired media_id...). */
const WECOM_MEDIA_PERMANENT = new Set([40001, 40007, 41008, 40056, 60020, 48002]);

/**
 * WeCom self-built app: `GET /cgi-bin/media/get?access_token=&media_id=` answers the bytes
 * (Content-Type, Content-Disposition) or, on error, JSON with errcode (HTTP 200). Media a member
 * sent is kept by WeCom for three days.
 */
export class WecomMediaSource implements EvidenceMediaSource {
  readonly platform = 'wecom-app';

  constructor(
    private readonly api: WecomAppApi,
    private readonly base: string,
    private readonly timeoutMs: number,
  ) {}

  async fetch(ref: { mediaId: string }, maxBytes: number): Promise<FetchedMedia> {
    let token = await this.api.accessToken();
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(`${this.base}/cgi-bin/media/get?access_token=${encodeURIComponent(token)}&media_id=${encodeURIComponent(ref.mediaId)}`, {
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (!res.ok) throw new Error(`WeCom media/get HTTP ${res.status}`);
      const type = res.headers.get('content-type') ?? 'application/octet-stream';
      if (/^(application|text)\/(json|plain)/i.test(type)) {
        const json = (await res.json().catch(() => ({}))) as { errcode?: number; errmsg?: string };
        const code = Number(json.errcode ?? -1);
        if (WECOM_TOKEN_EXPIRED.has(code) && attempt === 0) {
          token = await this.api.accessToken(true);
          continue;
        }
        if (WECOM_MEDIA_PERMANENT.has(code)) throw new MediaPermanentError(`WeCom errcode ${code}: ${json.errmsg ?? ''}`);
        throw new Error(`WeCom media/get errcode ${code}: ${json.errmsg ?? ''}`);
      }
      const bytes = await readCapped(res, maxBytes);
      return { bytes, contentType: type, fileName: fileNameOf(res.headers.get('content-disposition')) };
    }
  }
}

/**
 * DingTalk app robot: `POST /v1.0/robot/messageFiles/download {downloadCode, robotCode}` answers a
 * short-lived `downloadUrl`, fetched at once. The robot is the one that received the message.
 */
export class DingtalkMediaSource implements EvidenceMediaSource {
  readonly platform = 'dingtalk';

  constructor(
    private readonly apis: DingtalkOpenApi[],
    private readonly timeoutMs: number,
  ) {}

  async fetch(ref: { mediaId: string; botId: string | null }, maxBytes: number): Promise<FetchedMedia> {
    const api = this.apis.find((a) => a.app.robotCode === ref.botId) ?? (ref.botId ? undefined : this.apis[0]);
    if (!api) throw new MediaPermanentError(`no DingTalk app configured for robot ${ref.botId}`);
    const r = await api.post('/v1.0/robot/messageFiles/download', { downloadCode: ref.mediaId, robotCode: api.app.robotCode });
    const url = typeof r.body.downloadUrl === 'string' ? r.body.downloadUrl : '';
    if (r.status >= 400 && r.status < 500 && r.status !== 429) {
      throw new MediaPermanentError(`DingTalk messageFiles/download HTTP ${r.status} ${typeof r.body.code === 'string' ? r.body.code : ''}`);
    }
    if (r.status !== 200 || !url) throw new Error(`DingTalk messageFiles/download HTTP ${r.status}`);
    const res = await fetch(url, { signal: AbortSignal.timeout(this.timeoutMs) });
    // A refused URL may have expired: the next attempt asks for a fresh one.
    if (!res.ok) throw new Error(`download URL answered HTTP ${res.status}`);
    const bytes = await readCapped(res, maxBytes);
    return { bytes, contentType: res.headers.get('content-type') ?? 'application/octet-stream', fileName: fileNameOf(res.headers.get('content-disposition')) };
  }
}
