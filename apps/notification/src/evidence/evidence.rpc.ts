import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DataSource } from 'typeorm';
import { Rpc, RpcResult } from '@zs/contracts';
import { EvidenceFileMeta, PgEvidenceFileStore } from '@zs/persistence';

/** Largest slice one reply carries: base64 of it stays well under NATS's 1 MB max payload. */
export const EVIDENCE_SLICE_MAX_BYTES = 384 * 1024;

export interface EvidenceFileSlice {
  meta: EvidenceFileMeta;
  offset: number;
  base64: string;
}

/**
 * Evidence files for the admin API, served by the service that fetched and owns them (ADR 0026).
 * The gateway does not read these tables (its pool holds only the administrators' accounts): it asks for the description, then the bytes slice by slice, and
 * streams them to the HTTP client. That the evidence belongs to the lead asked for is checked
 * through lead-intake's view `evidence_refs_v`.
 */
@Controller()
export class EvidenceFileRpcController {
  private readonly store: PgEvidenceFileStore;

  constructor(ds: DataSource) {
    this.store = new PgEvidenceFileStore(ds);
  }

  @MessagePattern(Rpc.evidenceFileSlice)
  async evidence(@Payload() p: { code: string; id: string; offset?: number; length?: number }): Promise<RpcResult<EvidenceFileSlice>> {
    const meta = await this.store.meta(String(p?.code ?? ''), String(p?.id ?? ''));
    if (!meta) return { error: { status: 404, message: `no evidence ${p?.id} on lead ${p?.code}` } };
    if (meta.status !== 'stored') {
      const message =
        meta.status === 'pending'
          ? 'the file is still being fetched from the platform; try again shortly'
          : `the file could not be fetched (${meta.status}): ${meta.error ?? ''}`.trim();
      return { error: { status: 409, message } };
    }
    const offset = Math.max(0, Math.floor(Number(p.offset ?? 0)) || 0);
    const length = Math.min(EVIDENCE_SLICE_MAX_BYTES, Math.max(0, Math.floor(Number(p.length ?? EVIDENCE_SLICE_MAX_BYTES)) || 0));
    const bytes = length > 0 && offset < (meta.sizeBytes ?? 0) ? await this.store.slice(meta.id, offset, length) : Buffer.alloc(0);
    return { ok: { meta, offset, base64: bytes.toString('base64') } };
  }
}
