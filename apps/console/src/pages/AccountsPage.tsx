import { useCallback, useEffect, useState } from 'react';
import { App, Button, Card, Form, Input, Modal, Select, Space, Switch, Table, Tabs, Tag, Typography } from 'antd';
import { api, unwrap } from '../api/client';
import { fmtTime, PageOf } from '../api/views';
import { ROLE_WORDS, useAuth } from '../auth';
import { useUnits } from './LeadsPage';

interface AccountRow {
  id: string;
  username: string;
  displayName: string;
  role: string;
  unit: { id: string; name: string } | string | null;
  disabled?: boolean;
}
interface AuditRow {
  id: string;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  status: number;
}
const unitName = (u: AccountRow['unit']) => (u && typeof u === 'object' ? u.name : u ?? '—');

/** 账号 (city administrators) and 审计日志; 我的令牌 for everyone (personal API tokens for scripts). */
export function AccountsPage() {
  const { account } = useAuth();
  const cityAdmin = account?.role === 'city-admin' || account?.role === 'super';
  return (
    <Card title="账号与审计">
      <Tabs
        items={[
          ...(cityAdmin ? [{ key: 'accounts', label: '账号', children: <AccountsTab /> }, { key: 'audit', label: '审计日志', children: <AuditTab /> }] : []),
          { key: 'tokens', label: '我的 API 令牌', children: <TokensTab /> },
        ]}
      />
    </Card>
  );
}

function AccountsTab() {
  const { message } = App.useApp();
  const units = useUnits();
  const [rows, setRows] = useState<AccountRow[]>([]);
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm();
  const role = Form.useWatch('role', form);
  const load = useCallback(async () => {
    try {
      const r = await unwrap<PageOf<AccountRow>>(api.GET('/api/accounts' as never, { params: { query: { limit: 500 } } } as never));
      setRows(r.items);
    } catch (e) {
      message.error((e as Error).message);
    }
  }, [message]);
  useEffect(() => void load(), [load]);
  const create = async () => {
    const v = await form.validateFields();
    try {
      await unwrap(api.POST('/api/accounts' as never, { body: v } as never));
      message.success('账号已创建');
      setCreating(false);
      form.resetFields();
      await load();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  const setDisabled = async (a: AccountRow, disabled: boolean) => {
    try {
      await unwrap(api.PATCH('/api/accounts/{id}' as never, { params: { path: { id: a.id } }, body: { disabled } } as never));
      message.success(disabled ? '已停用' : '已启用');
      await load();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  return (
    <>
      <Button type="primary" style={{ marginBottom: 12 }} onClick={() => setCreating(true)}>新建账号</Button>
      <Table<AccountRow> size="small" rowKey="id" dataSource={rows} scroll={{ x: 600 }} columns={[
        { title: '用户名', dataIndex: 'username' },
        { title: '姓名', dataIndex: 'displayName' },
        { title: '角色', dataIndex: 'role', render: (r: string) => ROLE_WORDS[r] ?? r },
        { title: '单位', dataIndex: 'unit', render: unitName },
        { title: '启用', dataIndex: 'disabled', render: (d: boolean | undefined, a) => <Switch checked={!d} onChange={(on) => setDisabled(a, !on)} /> },
      ]} />
      <Modal open={creating} title="新建账号" okText="创建" cancelText="取消" onOk={create} onCancel={() => setCreating(false)}>
        <Form form={form} layout="vertical" initialValues={{ role: 'unit-admin' }}>
          <Form.Item name="username" label="用户名" rules={[{ required: true, pattern: /^[A-Za-z0-9][A-Za-z0-9._-]{1,31}$/, message: '2–32位字母、数字或 . _ -' }]}><Input autoComplete="off" /></Form.Item>
          <Form.Item name="displayName" label="姓名/称呼" rules={[{ required: true }]}><Input /></Form.Item>
          <Form.Item name="role" label="角色" rules={[{ required: true }]}>
            <Select options={['city-admin', 'unit-admin', 'leader'].map((r) => ({ value: r, label: ROLE_WORDS[r] }))} />
          </Form.Item>
          {role === 'unit-admin' && (
            <Form.Item name="unit" label="所属单位" rules={[{ required: true, message: '单位管理员须选择单位' }]}>
              <Select showSearch options={units.map((u) => ({ value: u.name, label: u.name }))} />
            </Form.Item>
          )}
          <Form.Item name="password" label="初始密码（至少8位）" rules={[{ required: true, min: 8, message: '至少8位' }]}><Input.Password autoComplete="new-password" /></Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function AuditTab() {
  const { message } = App.useApp();
  const [data, setData] = useState<PageOf<AuditRow>>({ items: [], total: 0 });
  const [page, setPage] = useState(1);
  const [filter, setFilter] = useState<{ actor?: string; action?: string }>({});
  useEffect(() => {
    void unwrap<PageOf<AuditRow>>(api.GET('/api/audit' as never, { params: { query: { ...filter, limit: 20, offset: (page - 1) * 20 } } } as never))
      .then(setData)
      .catch((e: Error) => message.error(e.message));
  }, [page, filter, message]);
  return (
    <>
      <Form layout="inline" style={{ marginBottom: 12, rowGap: 8 }} onFinish={(v) => { setPage(1); setFilter(v); }}>
        <Form.Item name="actor"><Input placeholder="操作人" allowClear /></Form.Item>
        <Form.Item name="action"><Input placeholder="操作（如 transfer）" allowClear /></Form.Item>
        <Button htmlType="submit">查询</Button>
      </Form>
      <Table<AuditRow> size="small" rowKey="id" dataSource={data.items} scroll={{ x: 700 }}
        pagination={{ current: page, pageSize: 20, total: data.total, onChange: setPage, showTotal: (t) => `共 ${t} 条` }}
        columns={[
          { title: '时间', dataIndex: 'at', width: 150, render: fmtTime },
          { title: '操作人', dataIndex: 'actor' },
          { title: '操作', dataIndex: 'action' },
          { title: '对象', dataIndex: 'target', render: (t) => t ?? '—' },
          { title: '结果', dataIndex: 'status', width: 80, render: (s: number) => <Tag color={s < 400 ? 'green' : 'red'}>{s < 400 ? '成功' : `失败 ${s}`}</Tag> },
        ]} />
    </>
  );
}

function TokensTab() {
  const { message } = App.useApp();
  const [rows, setRows] = useState<{ id: string; name: string; createdAt?: string; lastUsedAt?: string | null }[]>([]);
  const [created, setCreated] = useState<string | null>(null);
  const [name, setName] = useState('');
  const load = useCallback(async () => {
    try {
      setRows(await unwrap(api.GET('/api/auth/tokens' as never, {} as never)));
    } catch {
      setRows([]);
    }
  }, []);
  useEffect(() => void load(), [load]);
  const create = async () => {
    try {
      const r = await unwrap<{ token: string }>(api.POST('/api/auth/tokens' as never, { body: { name: name || '脚本' } } as never));
      setCreated(r.token);
      await load();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  const revoke = async (id: string) => {
    try {
      await unwrap(api.DELETE('/api/auth/tokens/{id}' as never, { params: { path: { id } } } as never));
      await load();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <Input placeholder="令牌用途" value={name} onChange={(e) => setName(e.target.value)} />
        <Button type="primary" onClick={create}>生成个人令牌</Button>
      </Space>
      {created && (
        <Typography.Paragraph copyable={{ text: created }} type="warning">
          新令牌（只显示这一次，请立即保存）：<Typography.Text code>{created}</Typography.Text>
        </Typography.Paragraph>
      )}
      <Table size="small" rowKey="id" dataSource={rows} pagination={false} columns={[
        { title: '用途', dataIndex: 'name' },
        { title: '创建时间', dataIndex: 'createdAt', render: fmtTime },
        { title: '最近使用', dataIndex: 'lastUsedAt', render: fmtTime },
        { title: '', render: (_: unknown, r) => <Button size="small" danger onClick={() => revoke(r.id)}>撤销</Button> },
      ]} />
    </>
  );
}
