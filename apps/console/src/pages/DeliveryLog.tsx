import { useCallback, useEffect, useState } from 'react';
import { App, DatePicker, Input, Select, Space, Table, Tag, Tooltip } from 'antd';
import type { Dayjs } from 'dayjs';
import { api, unwrap } from '../api/client';
import type { components, operations } from '../api/schema';
import { fmtTime } from '../api/views';

type Delivery = components['schemas']['DeliveryLogView'];
type DeliveryPage = components['schemas']['DeliveryLogPage'];
type DeliveryQuery = NonNullable<operations['DeliveriesController_list']['parameters']['query']>;

const STATUS_WORDS: Record<string, { text: string; color: string }> = {
  sent: { text: '已送达', color: 'green' },
  partial: { text: '部分送达', color: 'orange' },
  failed: { text: '失败', color: 'red' },
};
/** The channels notification sends through (NotifyTarget.channel), in words. */
export const DELIVERY_CHANNEL_WORDS: Record<string, string> = {
  'wecom-app': '企业微信应用消息',
  'wecom-group-robot': '企业微信群机器人',
  'wecom-aibot-response': '企业微信智能机器人（回复）',
  'wecom-aibot-push': '企业微信智能机器人（推送）',
  'wecom-aibot-stream': '企业微信智能机器人（长连接）',
  'dingtalk-custom-robot': '钉钉自定义机器人',
  'dingtalk-session': '钉钉会话回复',
  'dingtalk-group': '钉钉群消息',
  'dingtalk-oto': '钉钉单聊消息',
};
const PAGE_SIZE = 20;

/** 投递记录: every message the system sent, to whom, and how it ended (never the text). */
export function DeliveryLog() {
  const { message } = App.useApp();
  const [filter, setFilter] = useState<Omit<DeliveryQuery, 'limit' | 'offset'>>({});
  const [page, setPage] = useState(1);
  const [data, setData] = useState<DeliveryPage>({ items: [], total: 0 });
  const [loading, setLoading] = useState(false);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const query: DeliveryQuery = { ...filter, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE };
      setData(await unwrap<DeliveryPage>(api.GET('/api/deliveries', { params: { query } })));
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setLoading(false);
    }
  }, [filter, page, message]);
  useEffect(() => void load(), [load]);

  const change = (f: Partial<typeof filter>) => {
    setFilter((old) => ({ ...old, ...f }));
    setPage(1);
  };
  const range = (r: [Dayjs | null, Dayjs | null] | null) =>
    change({ from: r?.[0]?.startOf('day').toISOString(), to: r?.[1]?.add(1, 'day').startOf('day').toISOString() });

  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          placeholder="状态"
          style={{ width: 120 }}
          options={Object.entries(STATUS_WORDS).map(([value, w]) => ({ value, label: w.text }))}
          onChange={(v?: DeliveryQuery['status']) => change({ status: v })}
        />
        <Select
          allowClear
          placeholder="渠道"
          style={{ width: 200 }}
          options={Object.entries(DELIVERY_CHANNEL_WORDS).map(([value, label]) => ({ value, label }))}
          onChange={(v?: string) => change({ channel: v })}
        />
        <DatePicker.RangePicker placeholder={['发送起', '发送止']} onChange={(r) => range(r as [Dayjs | null, Dayjs | null] | null)} />
        <Input.Search allowClear placeholder="接收人（账号、机器人、群）" style={{ width: 240 }} onSearch={(v) => change({ q: v.trim() || undefined })} />
      </Space>
      <Table<Delivery>
        size="small"
        rowKey="id"
        loading={loading}
        dataSource={data.items}
        scroll={{ x: 900 }}
        locale={{ emptyText: '暂无投递记录' }}
        pagination={{ current: page, pageSize: PAGE_SIZE, total: data.total, showSizeChanger: false, showTotal: (t) => `共 ${t} 条`, onChange: setPage }}
        columns={[
          { title: '时间', dataIndex: 'createdAt', width: 150, render: fmtTime },
          { title: '渠道', dataIndex: 'channel', width: 160, render: (c: string) => DELIVERY_CHANNEL_WORDS[c] ?? c },
          { title: '接收人', dataIndex: 'target', ellipsis: true },
          {
            title: '状态',
            dataIndex: 'status',
            width: 100,
            render: (s: string) => <Tag color={STATUS_WORDS[s]?.color}>{STATUS_WORDS[s]?.text ?? s}</Tag>,
          },
          { title: '分段', dataIndex: 'parts', width: 60 },
          { title: '尝试次数', dataIndex: 'attempts', width: 80 },
          { title: '限流等待', dataIndex: 'rateLimitedWaits', width: 80 },
          {
            title: '错误',
            width: 220,
            ellipsis: true,
            render: (_, r) =>
              r.status === 'sent' && !r.errmsg ? '—' : (
                <Tooltip title={r.errmsg ?? ''}>
                  {r.errcode ? `${r.errcode} ` : ''}
                  {r.errmsg ?? ''}
                </Tooltip>
              ),
          },
          { title: '业务标识', dataIndex: 'dedupKey', width: 200, ellipsis: true },
        ]}
      />
    </>
  );
}
