import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Input, Modal, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { api, download, unwrap } from '../api/client';
import { useCan } from '../auth';
import { currentQuarter, fmtDate, fmtTime, RankingRowView, RankingViewShape } from '../api/views';

const BAND: Record<string, { color: string; word: string }> = {
  green: { color: 'green', word: '领先' },
  yellow: { color: 'gold', word: '滞后' },
  red: { color: 'red', word: '严重滞后' },
};

export function RankingTable({ rows, compact = false }: { rows: RankingRowView[]; compact?: boolean }) {
  return (
    <Table<RankingRowView>
      size="small"
      rowKey="unit"
      pagination={false}
      dataSource={rows}
      scroll={{ x: compact ? undefined : 600 }}
      columns={[
        { title: '名次', dataIndex: 'rank', width: 60, render: (r: number | null) => r ?? '—' },
        { title: '单位', dataIndex: 'unitName' },
        { title: '得分', dataIndex: 'score', width: 80, render: (s: number | null) => s ?? '—' },
        { title: '完成进度', dataIndex: 'progress', width: 100, render: (p: number | null) => (p === null ? '—' : `${p}%`) },
        { title: '时序进度', dataIndex: 'timeProgress', width: 100, render: (p: number) => `${p}%` },
        { title: '进度差', dataIndex: 'gap', width: 90, render: (g: number | null, r) => (g === null ? '—' : <Tag color={BAND[r.band ?? '']?.color}>{g > 0 ? `+${g}` : g}</Tag>) },
      ]}
    />
  );
}

function periodOptions(): { value: string; label: string }[] {
  const now = currentQuarter();
  const year = Number(now.slice(0, 4));
  const out: { value: string; label: string }[] = [];
  for (const y of [year, year - 1]) {
    for (const q of [4, 3, 2, 1]) if (`${y}-Q${q}` <= now) out.push({ value: `${y}-Q${q}`, label: `${y}年第${q}季度` });
    out.push({ value: String(y), label: `${y}年全年` });
  }
  return out;
}

interface AccountabilityRow {
  id: string;
  period: string;
  unit: string;
  unitName?: string;
  action: string;
  convener?: string;
  interviewee?: string;
  reason?: string;
  deadline?: string;
  status: string;
  heldAt?: string | null;
}

/** 排名与问责: rankings per period and group, publishing with a preview, accountability, rewards. */
export function RankingsPage() {
  const { message, modal } = App.useApp();
  const [period, setPeriod] = useState(currentQuarter());
  const [view, setView] = useState<RankingViewShape | null>(null);
  const [loading, setLoading] = useState(false);
  const [preview, setPreview] = useState<RankingViewShape | null>(null);
  const [publishing, setPublishing] = useState(false);
  const year = period.slice(0, 4);
  const writable = useCan('scoring');

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setView(await unwrap<RankingViewShape>(api.GET('/api/rankings/{period}', { params: { path: { period } } })));
    } catch (e) {
      setView(null);
      message.error((e as Error).message);
    } finally {
      setLoading(false);
    }
  }, [period, message]);
  useEffect(() => void load(), [load]);

  const openPreview = async () => {
    try {
      setPreview(await unwrap<RankingViewShape>(api.GET('/api/rankings/{period}', { params: { path: { period }, query: { live: 'true' } as never } })));
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  const publish = async () => {
    setPublishing(true);
    try {
      const r = await unwrap<{ version: number; created: boolean; changes: string[]; notices?: unknown; accountability?: unknown[] }>(
        api.POST('/api/rankings/{period}/publish', { params: { path: { period } } }),
      );
      setPreview(null);
      modal.success({
        title: r.created ? `已发布第 ${r.version} 版` : `数据无变化，仍为第 ${r.version} 版，未重复推送`,
        content: (
          <div>
            {r.changes?.length ? <p>变化：{r.changes.join('；')}</p> : null}
            {Array.isArray(r.accountability) && r.accountability.length ? <p>触发问责 {r.accountability.length} 项，见“问责”页签。</p> : null}
          </div>
        ),
      });
      await load();
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setPublishing(false);
    }
  };

  return (
    <Card
      title="排名与问责"
      extra={
        <Space wrap>
          <Select value={period} onChange={setPeriod} options={periodOptions()} style={{ width: 150 }} data-testid="ranking-period" />
          <Button onClick={() => download(`/api/rankings/${period}/sheet`, `排名-${period}.xlsx`).catch((e) => message.error(e.message))}>导出 Excel</Button>
          {writable && (
            <Button type="primary" onClick={openPreview} data-testid="ranking-publish">
              发布排名
            </Button>
          )}
        </Space>
      }
    >
      <Tabs
        items={[
          {
            key: 'ranking',
            label: '排名',
            children: (
              <>
                {view && (
                  <Space direction="vertical" style={{ width: '100%' }}>
                    <Space wrap>
                      <Typography.Text strong>{view.label}</Typography.Text>
                      {view.status === 'published' ? <Tag color="green">已发布 第{view.version}版（{fmtTime(view.publishedAt)}）</Tag> : <Tag>草稿（未发布）</Tag>}
                      {view.outdated && <Tag color="orange">数据已变化，可重新发布</Tag>}
                      <Typography.Text type="secondary">时序进度 {view.timeProgress}%</Typography.Text>
                    </Space>
                    {view.groups.map((g) => (
                      <div key={g.group}>
                        <Typography.Title level={5}>{g.groupName}</Typography.Title>
                        <RankingTable rows={g.rows} />
                      </div>
                    ))}
                  </Space>
                )}
                {!view && !loading && <Alert type="info" message="该期暂无排名" />}
              </>
            ),
          },
          { key: 'accountability', label: '问责', children: <AccountabilityTab year={year} /> },
          { key: 'rewards', label: '奖励', children: <RewardsTab year={year} /> },
        ]}
      />
      <Modal
        open={preview !== null}
        width={820}
        title={`发布预览：${preview?.label ?? period}`}
        okText="确认发布并推送"
        cancelText="取消"
        confirmLoading={publishing}
        onOk={publish}
        onCancel={() => setPreview(null)}
        okButtonProps={{ 'data-testid': 'ranking-publish-confirm' } as never}
      >
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          message="确认后将生成不可更改的新版本，并推送到各群机器人和应用消息；排名靠后的单位将按规则进入问责流程。数据与上次发布相同则不会重复推送。"
        />
        {preview?.groups.map((g) => (
          <div key={g.group}>
            <Typography.Title level={5}>{g.groupName}</Typography.Title>
            <RankingTable rows={g.rows} compact />
          </div>
        ))}
      </Modal>
    </Card>
  );
}

const ACTION_WORDS: Record<string, string> = { notice: '通报', interview: '约谈', 'written-explanation': '书面说明', warning: '提醒' };
const STATUS_WORDS: Record<string, string> = { pending: '待约谈', held: '已约谈', open: '待处理', closed: '已办结', overdue: '已逾期' };

function AccountabilityTab({ year }: { year: string }) {
  const { message } = App.useApp();
  const [rows, setRows] = useState<AccountabilityRow[]>([]);
  const [held, setHeld] = useState<AccountabilityRow | null>(null);
  const [heldAt, setHeldAt] = useState('');
  const load = useCallback(async () => {
    try {
      const r = await unwrap<AccountabilityRow[] | { items: AccountabilityRow[] }>(api.GET('/api/accountability', { params: { query: { year } as never } }));
      setRows(Array.isArray(r) ? r : r.items);
    } catch (e) {
      message.error((e as Error).message);
    }
  }, [year, message]);
  useEffect(() => void load(), [load]);
  const record = async () => {
    if (!held) return;
    try {
      await unwrap(api.POST('/api/accountability/{id}/held', { params: { path: { id: held.id } }, body: { heldAt } as never }));
      message.success('已记录');
      setHeld(null);
      await load();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  return (
    <>
      <Table<AccountabilityRow>
        size="small"
        rowKey="id"
        dataSource={rows}
        scroll={{ x: 800 }}
        locale={{ emptyText: `${year}年暂无问责事项` }}
        columns={[
          { title: '期', dataIndex: 'period', width: 90 },
          { title: '单位', render: (_, r) => r.unitName ?? r.unit },
          { title: '措施', dataIndex: 'action', render: (a: string) => ACTION_WORDS[a] ?? a },
          { title: '约谈人', dataIndex: 'convener' },
          { title: '被约谈人', dataIndex: 'interviewee' },
          { title: '原因', dataIndex: 'reason' },
          { title: '期限', dataIndex: 'deadline', render: fmtDate },
          { title: '状态', dataIndex: 'status', render: (s: string, r) => <Tag color={s === 'held' ? 'green' : 'orange'}>{STATUS_WORDS[s] ?? s}{r.heldAt ? ` ${fmtDate(r.heldAt)}` : ''}</Tag> },
          { title: '', width: 100, render: (_, r) => (r.status !== 'held' ? <Button size="small" onClick={() => { setHeld(r); setHeldAt(new Date().toISOString().slice(0, 10)); }}>记录已约谈</Button> : null) },
        ]}
      />
      <Modal open={held !== null} title="记录约谈已进行" onOk={record} onCancel={() => setHeld(null)}>
        <Input value={heldAt} onChange={(e) => setHeldAt(e.target.value)} placeholder="2026-04-12" addonBefore="约谈日期" />
      </Modal>
    </>
  );
}

function RewardsTab({ year }: { year: string }) {
  const { message } = App.useApp();
  const [data, setData] = useState<{ basis?: string; items: { unit: string; unitName: string; amountWan: number; reason: string }[]; totalWan?: number } | null>(null);
  useEffect(() => {
    void unwrap<typeof data>(api.GET('/api/rewards/{year}', { params: { path: { year } } }))
      .then(setData)
      .catch((e: Error) => message.error(e.message));
  }, [year, message]);
  return (
    <>
      {data?.basis && <Typography.Paragraph type="secondary">依据：{data.basis}</Typography.Paragraph>}
      <Table
        size="small"
        rowKey={(r) => `${r.unit}-${r.reason}`}
        dataSource={data?.items ?? []}
        pagination={false}
        locale={{ emptyText: `${year}年暂无奖励` }}
        columns={[
          { title: '单位', dataIndex: 'unitName' },
          { title: '奖励（万元）', dataIndex: 'amountWan', width: 120 },
          { title: '事由', dataIndex: 'reason' },
        ]}
        footer={() => `合计：${data?.totalWan ?? 0} 万元`}
      />
    </>
  );
}
