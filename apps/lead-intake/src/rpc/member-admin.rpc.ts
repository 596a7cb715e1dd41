import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DataSource } from 'typeorm';
import { Rpc } from '@zs/contracts';
import { ConflictError, DirectoryRepository } from '@zs/persistence';
import { rpcResult, RpcBadRequest, RpcNotFound } from './rpc-result';

const ROLE_WORDS: Record<string, string> = {
  official: 'official', 干部: 'official', 招商干部: 'official', 工作人员: 'official',
  head: 'head', 主要负责人: 'head', 局长: 'head', 主任: 'head',
  deputy: 'deputy', 分管负责人: 'deputy', 副局长: 'deputy', 副主任: 'deputy',
  leader: 'leader', 市领导: 'leader',
  admin: 'admin', 管理员: 'admin',
};

/** Members: change, deactivate (history kept), bulk import from the city's address book. */
@Controller()
export class MemberAdminRpcController {
  private readonly repo: DirectoryRepository;
  constructor(private readonly ds: DataSource) {
    this.repo = new DirectoryRepository(ds);
  }

  @MessagePattern(Rpc.membersUpdate)
  update(@Payload() p: { id: string; body: { name?: string; unitId?: string; unitName?: string; role?: string; wecomUserId?: string; dingtalkStaffId?: string; mobile?: string; active?: boolean } }) {
    return rpcResult(async () => {
      const { unitName, ...rest } = p.body ?? {};
      if (unitName !== undefined || rest.unitId !== undefined) {
        const unit = await this.repo.findUnit({ id: rest.unitId, name: unitName });
        if (!unit) throw new RpcBadRequest(`no unit ${unitName ?? rest.unitId}`);
        rest.unitId = unit.id;
      }
      const row = await this.repo.updateMember(p.id, rest);
      if (!row) throw new RpcNotFound(`no member ${p.id}`);
      return row;
    });
  }

  @MessagePattern(Rpc.membersDeactivate)
  deactivate(@Payload() p: { id: string }) {
    return rpcResult(async () => {
      const row = await this.repo.deactivateMember(p.id);
      if (!row) throw new RpcNotFound(`no member ${p.id}`);
      return row;
    });
  }

  /** Creates or updates members row by row (matched by WeCom userid, then DingTalk id); reports each row. */
  @MessagePattern(Rpc.membersImport)
  import(@Payload() p: { rows: Array<{ row: number; values: Record<string, string> }>; commit: boolean }) {
    return rpcResult(async () => {
      const units = new Map((await this.repo.listUnits()).map((u) => [u.name, u]));
      const existing = await this.repo.listMembers();
      const results: Array<{ row: number; name: string; status: 'created' | 'updated' | 'error'; errors?: string[] }> = [];
      await this.ds.transaction(async (em) => {
        const repo = new DirectoryRepository(em);
        for (const { row, values: v } of p.rows ?? []) {
          const errors: string[] = [];
          const name = (v.name ?? '').trim();
          if (name.length < 2) errors.push('缺少姓名');
          const unit = units.get((v.unitName ?? '').trim());
          if (!unit) errors.push(`未知单位“${v.unitName ?? ''}”`);
          const role = ROLE_WORDS[(v.role ?? '').trim()] ?? (v.role ? null : 'official');
          if (!role) errors.push(`未知角色“${v.role}”`);
          const mobile = (v.mobile ?? '').replace(/\D/g, '') || undefined;
          if (mobile && !/^1[3-9]\d{9}$/.test(mobile)) errors.push(`手机号“${v.mobile}”格式不正确`);
          const wecomUserId = v.wecomUserId?.trim() || undefined;
          const dingtalkStaffId = v.dingtalkStaffId?.trim() || undefined;
          if (!wecomUserId && !dingtalkStaffId) errors.push('缺少企业微信账号或钉钉ID');
          if (errors.length) {
            results.push({ row, name, status: 'error', errors });
            continue;
          }
          const match = existing.find((m) => (wecomUserId && m.wecomUserId === wecomUserId) || (dingtalkStaffId && m.dingtalkStaffId === dingtalkStaffId));
          if (!p.commit) {
            results.push({ row, name, status: match ? 'updated' : 'created' });
            continue;
          }
          try {
            await em.query('SAVEPOINT member_row');
            if (match) await repo.updateMember(match.id, { name, unitId: unit!.id, role: role!, wecomUserId, dingtalkStaffId, mobile, active: true });
            else await repo.createMember({ name, unitId: unit!.id, role: role!, wecomUserId, dingtalkStaffId, mobile });
            await em.query('RELEASE SAVEPOINT member_row');
            results.push({ row, name, status: match ? 'updated' : 'created' });
          } catch (e) {
            await em.query('ROLLBACK TO SAVEPOINT member_row');
            if (!(e instanceof ConflictError)) throw e;
            results.push({ row, name, status: 'error', errors: [e.message] });
          }
        }
      });
      return {
        commit: !!p.commit,
        created: results.filter((r) => r.status === 'created').length,
        updated: results.filter((r) => r.status === 'updated').length,
        errors: results.filter((r) => r.status === 'error').length,
        rows: results,
      };
    });
  }
}
