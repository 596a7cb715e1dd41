import { useCallback, useEffect, useState } from 'react';
import { App, Button, Card, Table, Tabs, Tag } from 'antd';
import { api, unwrap } from '../api/client';
import { fmtTime, PageOf } from '../api/views';
import { DeliveryLog } from './DeliveryLog';

interface RobotRow {
  id: string;
  platform: string;
  name: string;
  unitName: string | null;
  keyHint?: string;
  status: string;
  brokenReason: string | null;
  brokenAt: string | null;
}
interface InboxRow {
  id: string;
  platform: string;
  senderId: string;
  text: string;
  outcome: string;
  receivedAt: string;
}
type DeadLetter = Record<string, unknown> & { id: string };

const PLATFORM_WORDS: Record<string, string> = { wecom: '企业微信', dingtalk: '钉钉' };

/** 群机器人与消息: robots and their status, the delivery log, messages that could not be delivered, the unknown-sender inbox. */
export function RobotsPage() {
  const { message } = App.useApp();
  const [robots, setRobots] = useState<RobotRow[]>([]);
  const [inbox, setInbox] = useState<InboxRow[]>([]);
  const [dead, setDead] = useState<DeadLetter[]>([]);
  const load = useCallback(async () => {
    const list = <T,>(r: T[] | PageOf<T>) => (Array.isArray(r) ? r : r.items);
    try {
      const [r, i, d] = await Promise.all([
        unwrap<RobotRow[] | PageOf<RobotRow>>(api.GET('/api/robots')),
        unwrap<PageOf<InboxRow>>(api.GET('/api/inbox', { params: { query: { limit: 100 } as never } })),
        unwrap<DeadLetter[] | PageOf<DeadLetter>>(api.GET('/api/dead-letters', { params: { query: {} as never } })).catch(() => [] as DeadLetter[]),
      ]);
      setRobots(list(r));
      setInbox(list(i));
      setDead(list(d));
    } catch (e) {
      message.error((e as Error).message);
    }
  }, [message]);
  useEffect(() => void load(), [load]);

  const reset = async (id: string) => {
    try {
      await unwrap(api.POST('/api/robots/{id}/reset', { params: { path: { id } } }));
      message.success('已恢复');
      await load();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  const replay = async (id: string) => {
    try {
      await unwrap(api.POST('/api/dead-letters/{id}/replay', { params: { path: { id } } }));
      message.success('已重新投递');
      await load();
    } catch (e) {
      message.error((e as Error).message);
    }
  };

  return (
    <Card title="群机器人与消息">
      <Tabs
        items={[
          {
            key: 'robots',
            label: '群机器人',
            children: (
              <Table<RobotRow> size="small" rowKey="id" dataSource={robots} scroll={{ x: 700 }} columns={[
                { title: '名称', dataIndex: 'name' },
                { title: '平台', dataIndex: 'platform', render: (p: string) => PLATFORM_WORDS[p] ?? p },
                { title: '所属单位', dataIndex: 'unitName', render: (u) => u ?? '全市' },
                { title: '状态', dataIndex: 'status', render: (s: string, r) => (s === 'ok' ? <Tag color="green">正常</Tag> : <Tag color="red" title={r.brokenReason ?? ''}>异常 {fmtTime(r.brokenAt)}</Tag>) },
                { title: '', render: (_, r) => (r.status === 'broken' ? <Button size="small" onClick={() => reset(r.id)}>恢复</Button> : null) },
              ]} />
            ),
          },
          {
            key: 'deliveries',
            label: '投递记录',
            children: <DeliveryLog />,
          },
          {
            key: 'dead',
            label: '投递失败',
            children: (
              <Table<DeadLetter> size="small" rowKey="id" dataSource={dead} scroll={{ x: 700 }} locale={{ emptyText: '没有投递失败的消息' }} columns={[
                { title: '时间', render: (_, r) => fmtTime((r.failedAt ?? r.createdAt ?? r.at) as string) },
                { title: '主题', render: (_, r) => String(r.subject ?? r.kind ?? '') },
                { title: '原因', render: (_, r) => String(r.reason ?? r.error ?? '') },
                { title: '', render: (_, r) => <Button size="small" onClick={() => replay(r.id)}>重新投递</Button> },
              ]} />
            ),
          },
          {
            key: 'inbox',
            label: '未登记发送人',
            children: (
              <Table<InboxRow> size="small" rowKey="id" dataSource={inbox} scroll={{ x: 700 }} locale={{ emptyText: '暂无消息' }} columns={[
                { title: '时间', dataIndex: 'receivedAt', width: 150, render: fmtTime },
                { title: '平台', dataIndex: 'platform', width: 90, render: (p: string) => PLATFORM_WORDS[p] ?? p },
                { title: '发送人', dataIndex: 'senderId', width: 140 },
                { title: '内容', dataIndex: 'text' },
                { title: '处理', dataIndex: 'outcome', width: 100 },
              ]} />
            ),
          },
        ]}
      />
    </Card>
  );
}
