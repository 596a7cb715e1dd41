import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DataSource } from 'typeorm';
import { Rpc } from '@zs/contracts';
import { EvidenceFileMeta, PgEvidenceFileStore } from '@zs/persistence';
import { rpcResult, RpcConflict, RpcNotFound } from './rpc-result';

/** Largest slice one reply carries: base64 of it stays well under NATS's 1 MB max payload. */
export const EVIDENCE_SLICE_MAX_BYTES = 384 * 1024;

/**
 * Evidence files for the admin API. The gateway has no database: it asks for the description,
 * then the bytes slice by slice, and streams them to the HTTP client.
 */
@Controller()
export class EvidenceRpcController {
  private readonly store: PgEvidenceFileStore;

  constructor(ds: DataSource) {
    this.store = new PgEvidenceFileStore(ds);
  }

  @MessagePattern(Rpc.leadsEvidence)
  evidence(@Payload() p: { code: string; id: string; offset?: number; length?: number }) {
    return rpcResult(async (): Promise<{ meta: EvidenceFileMeta; offset: number; base64: string }> => {
      const meta = await this.store.meta(String(p?.code ?? ''), String(p?.id ?? ''));
      if (!meta) throw new RpcNotFound(`no evidence ${p?.id} on lead ${p?.code}`);
      if (meta.status !== 'stored') {
        throw meta.status === 'pending'
          ? new RpcConflict('the file is still being fetched from the platform; try again shortly')
          : new RpcConflict(`the file could not be fetched (${meta.status}): ${meta.error ?? ''}`.trim());
      }
      const offset = Math.max(0, Math.floor(Number(p.offset ?? 0)) || 0);
      const length = Math.min(EVIDENCE_SLICE_MAX_BYTES, Math.max(0, Math.floor(Number(p.length ?? EVIDENCE_SLICE_MAX_BYTES)) || 0));
      const bytes = length > 0 && offset < (meta.sizeBytes ?? 0) ? await this.store.slice(meta.id, offset, length) : Buffer.alloc(0);
      return { meta, offset, base64: bytes.toString('base64') };
    });
  }
}
