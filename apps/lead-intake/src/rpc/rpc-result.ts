import { RpcResult } from '@zs/contracts';
import { ConflictError } from '@zs/persistence';

/** Runs an RPC handler body and folds known failures into the shared error shape. */
export async function rpcResult<T>(work: () => Promise<T>): Promise<RpcResult<T>> {
  try {
    return { ok: await work() };
  } catch (e) {
    if (e instanceof ConflictError) return { error: { status: 409, message: e.message } };
    if (e instanceof RpcNotFound) return { error: { status: 404, message: e.message } };
    if (e instanceof RpcBadRequest) return { error: { status: 400, message: e.message } };
    if (e instanceof RpcConflict) return { error: { status: 409, message: e.message } };
    throw e;
  }
}

export class RpcNotFound extends Error {}
export class RpcBadRequest extends Error {}
export class RpcConflict extends Error {}
