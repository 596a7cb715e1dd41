import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Drawer, Form, Input, InputNumber, Modal, Select, Space, Switch, Table, Tag, TimePicker, Typography } from 'antd';
import dayjs from 'dayjs';
import cronstrue from 'cronstrue';
// only the Chinese locale (the i18n entry bundles every language)
import 'cronstrue/locales/zh_CN';
import { cronFromScheduleForm, scheduleCronWords, scheduleFormFromCron, type ScheduleFrequency } from '@zs/cron-words';
import { api, unwrap } from '../api/client';
import type { components } from '../api/schema';
import { fmtTime, ScheduleRow } from '../api/views';
import { RecordList } from './common';
import { useCan } from '../auth';

/** A schedule in words: 每月5日 09:00，遇节假日顺延 (our own words), else cronstrue's Chinese. */
export function scheduleWords(s: Pick<ScheduleRow, 'cron' | 'workingDaysOnly'>): string {
  const own = scheduleCronWords(s.cron, s.workingDaysOnly);
  if (own) return own;
  try {
    const words = cronstrue.toString(s.cron, { locale: 'zh_CN', use24HourTimeFormat: true });
    return s.workingDaysOnly ? `${words}，遇节假日顺延` : words;
  } catch {
    return s.cron;
  }
}

const KIND_WORDS: Record<string, string> = {
  'weekly-report': '周报提醒',
  'monthly-report': '月报提醒',
  'data-due': '数据报送提醒',
  ranking: '排名发布',
  custom: '自定义',
};
const WEEKDAYS = ['一', '二', '三', '四', '五', '六', '日'].map((w, i) => ({ value: i + 1, label: `星期${w}` }));
const FREQUENCIES: { value: ScheduleFrequency; label: string }[] = [
  { value: 'daily', label: '每天' },
  { value: 'weekly', label: '每周' },
  { value: 'monthly', label: '每月' },
  { value: 'quarterly', label: '每季度首月' },
  { value: 'quarter-end', label: '每季度末月' },
  { value: 'yearly', label: '每年' },
];
const MONTHS = Array.from({ length: 12 }, (_, i) => ({ value: i + 1, label: `${i + 1}月` }));

const AUDIENCE_ROLE_WORDS: Record<string, string> = { official: '工作人员', head: '单位负责人', deputy: '分管负责人', admin: '管理员', leader: '市领导' };
const AUDIENCE_POST_WORDS: Record<string, string> = { mayor: '市长', 'executive-vice-mayor': '常务副市长', 'vice-mayor-in-charge': '分管副市长' };

/** Whom a schedule reaches, in words: 角色：单位负责人、分管负责人；单位：3个；群机器人：2个. */
export function audienceWords(a: Record<string, unknown> | null | undefined): string {
  const list = (k: string) => (Array.isArray(a?.[k]) ? (a![k] as string[]) : []);
  const parts: string[] = [];
  if (list('roles').length) parts.push(`角色：${list('roles').map((r) => AUDIENCE_ROLE_WORDS[r] ?? r).join('、')}`);
  if (list('posts').length) parts.push(`职务：${list('posts').map((r) => AUDIENCE_POST_WORDS[r] ?? r).join('、')}`);
  if (list('units').length) parts.push(`单位：${list('units').length}个`);
  if (list('members').length) parts.push(`指定人员：${list('members').length}人`);
  if (list('robots').length) parts.push(`群机器人：${list('robots').length}个`);
  return parts.length ? parts.join('；') : '按日程类型的默认对象';
}

interface EditValues {
  name: string;
  frequency: ScheduleFrequency;
  weekday?: number;
  month?: number;
  monthDay?: number;
  time: dayjs.Dayjs;
  workingDaysOnly: boolean;
  message?: string;
}

/** 日程: every schedule with its next firing in words, edited through a form, paused, run now, its history. */
export function SchedulesPage() {
  const { message } = App.useApp();
  const [rows, setRows] = useState<ScheduleRow[]>([]);
  const [loading, setLoading] = useState(false);
  const [editing, setEditing] = useState<ScheduleRow | null>(null);
  const [running, setRunning] = useState<ScheduleRow | null>(null);
  const [runPreview, setRunPreview] = useState<{ data?: SchedulePreview; error?: string } | null>(null);
  const [history, setHistory] = useState<{ s: ScheduleRow; runs: unknown[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<EditValues>();
  const frequency = Form.useWatch('frequency', form);
  const writable = useCan('schedules');

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setRows(await unwrap<ScheduleRow[]>(api.GET('/api/schedules')));
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setLoading(false);
    }
  }, [message]);
  useEffect(() => void load(), [load]);

  const patch = async (s: ScheduleRow, body: Record<string, unknown>, done: string) => {
    try {
      await unwrap(api.PATCH('/api/schedules/{id}', { params: { path: { id: s.id } }, body: body as never }));
      message.success(done);
      await load();
      return true;
    } catch (e) {
      message.error((e as Error).message);
      return false;
    }
  };

  const openEdit = (s: ScheduleRow) => {
    const f = scheduleFormFromCron(s.cron);
    form.setFieldsValue({
      name: s.name,
      frequency: f?.frequency ?? 'monthly',
      weekday: f?.weekday ?? 1,
      monthDay: f?.monthDay ?? 1,
      month: f?.month ?? 1,
      time: dayjs().hour(f?.hour ?? 9).minute(f?.minute ?? 0),
      workingDaysOnly: s.workingDaysOnly,
      message: s.message ?? undefined,
    });
    setEditing(s);
  };
  const saveEdit = async () => {
    if (!editing) return;
    const v = await form.validateFields();
    const cron = cronFromScheduleForm({ frequency: v.frequency, weekday: v.weekday, month: v.month, monthDay: v.monthDay, hour: v.time.hour(), minute: v.time.minute() });
    setBusy(true);
    const body: Record<string, unknown> = { name: v.name, cron, workingDaysOnly: v.workingDaysOnly };
    if (v.message !== undefined && (editing.message !== null || v.message)) body.message = v.message;
    if (await patch(editing, body, '日程已保存')) setEditing(null);
    setBusy(false);
  };
  const openRun = async (s: ScheduleRow) => {
    setRunning(s);
    setRunPreview(null);
    try {
      const data = await unwrap<SchedulePreview>(api.POST('/api/schedules/{id}/preview', { params: { path: { id: s.id } }, body: { limit: 50 } }));
      setRunPreview({ data });
    } catch (e) {
      setRunPreview({ error: (e as Error).message });
    }
  };
  const runNow = async () => {
    if (!running) return;
    setBusy(true);
    try {
      const r = await unwrap<{ status?: string; reason?: string }>(api.POST('/api/schedules/{id}/run', { params: { path: { id: running.id } }, body: {} as never }));
      // The API answers 202 at once; the run goes on durably and shows in 执行记录.
      message.success(r?.status === 'running' ? '已开始执行，结果见执行记录' : `已执行${r?.reason ? `（${r.reason}）` : ''}`);
      setRunning(null);
      await load();
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const openRuns = async (s: ScheduleRow) => {
    try {
      const runs = await unwrap<unknown[] | { items: unknown[] }>(api.GET('/api/schedules/{id}/runs', { params: { path: { id: s.id } } }));
      setHistory({ s, runs: Array.isArray(runs) ? runs : runs.items });
    } catch (e) {
      message.error((e as Error).message);
    }
  };

  const preview = editing && form.getFieldValue('time')
    ? (() => {
        try {
          const v = form.getFieldsValue();
          return scheduleWords({ cron: cronFromScheduleForm({ frequency: v.frequency, weekday: v.weekday, month: v.month, monthDay: v.monthDay, hour: v.time.hour(), minute: v.time.minute() }), workingDaysOnly: v.workingDaysOnly });
        } catch {
          return '';
        }
      })()
    : '';

  return (
    <Card title="日程">
      <Table<ScheduleRow>
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 900 }}
        columns={[
          { title: '名称', dataIndex: 'name', render: (n: string, s) => <Space direction="vertical" size={0}><span>{n}</span><Typography.Text type="secondary" style={{ fontSize: 12 }}>{KIND_WORDS[s.kind] ?? s.kind}</Typography.Text></Space> },
          { title: '时间', render: (_, s) => <span data-testid={`schedule-words-${s.id}`}>{scheduleWords(s)}</span> },
          { title: '下次执行', dataIndex: 'nextFireAt', width: 150, render: (t: string | null, s) => (s.enabled ? fmtTime(t) : <Tag>已暂停</Tag>) },
          { title: '上次执行', dataIndex: 'lastFiredAt', width: 150, render: fmtTime },
          { title: '启用', dataIndex: 'enabled', width: 70, render: (e: boolean, s) => <Switch checked={e} disabled={!writable} onChange={(on) => patch(s, { enabled: on }, on ? '已恢复' : '已暂停')} /> },
          {
            title: '操作',
            width: 220,
            render: (_, s) => (
              <Space wrap size="small">
                {writable && <Button size="small" onClick={() => openEdit(s)} data-testid={`schedule-edit-${s.id}`}>编辑</Button>}
                {writable && <Button size="small" onClick={() => void openRun(s)} data-testid={`schedule-run-${s.id}`}>立即执行</Button>}
                <Button size="small" onClick={() => openRuns(s)}>执行记录</Button>
              </Space>
            ),
          },
        ]}
      />
      <Modal open={editing !== null} title={`编辑日程：${editing?.name ?? ''}`} okText="保存" cancelText="取消" onOk={saveEdit} confirmLoading={busy} onCancel={() => setEditing(null)} okButtonProps={{ 'data-testid': 'schedule-save' } as never}>
        <Form form={form} layout="vertical" onValuesChange={() => setEditing((e) => (e ? { ...e } : e))}>
          <Form.Item name="name" label="名称" rules={[{ required: true, message: '请填写名称' }]}>
            <Input />
          </Form.Item>
          <Space wrap align="start">
            <Form.Item name="frequency" label="频率" rules={[{ required: true }]}>
              <Select options={FREQUENCIES} style={{ width: 140 }} data-testid="schedule-frequency" />
            </Form.Item>
            {frequency === 'weekly' && (
              <Form.Item name="weekday" label="星期" rules={[{ required: true }]}>
                <Select options={WEEKDAYS} style={{ width: 110 }} />
              </Form.Item>
            )}
            {frequency === 'yearly' && (
              <Form.Item name="month" label="月份" rules={[{ required: true }]}>
                <Select options={MONTHS} style={{ width: 90 }} />
              </Form.Item>
            )}
            {frequency && frequency !== 'daily' && frequency !== 'weekly' && (
              <Form.Item name="monthDay" label="日期（几号）" rules={[{ required: true, message: '1–31' }]}>
                <InputNumber min={1} max={31} style={{ width: 100 }} data-testid="schedule-monthday" />
              </Form.Item>
            )}
            <Form.Item name="time" label="时间" rules={[{ required: true }]}>
              <TimePicker format="HH:mm" minuteStep={5} needConfirm={false} allowClear={false} />
            </Form.Item>
          </Space>
          <Form.Item name="workingDaysOnly" label="遇节假日顺延到下一个工作日" valuePropName="checked">
            <Switch />
          </Form.Item>
          {editing?.message !== null && (
            <Form.Item name="message" label="消息内容">
              <Input.TextArea rows={3} />
            </Form.Item>
          )}
          {preview && <Alert type="info" showIcon message={`保存后：${preview}`} data-testid="schedule-preview" />}
        </Form>
      </Modal>
      <Modal open={running !== null} title={`立即执行：${running?.name ?? ''}`} okText="确认执行" cancelText="取消" onOk={runNow} confirmLoading={busy} onCancel={() => setRunning(null)}>
        <Typography.Paragraph>将立即按当前时间执行一次，向以下对象发送：</Typography.Paragraph>
        <Typography.Paragraph>
          <Typography.Text strong>{audienceWords(running?.audience)}</Typography.Text>
        </Typography.Paragraph>
        <RunPreviewPanel preview={runPreview} />
      </Modal>
      <Drawer open={history !== null} title={`执行记录：${history?.s.name ?? ''}`} width={Math.min(640, window.innerWidth)} onClose={() => setHistory(null)}>
        <RecordList items={history?.runs} empty="暂无执行记录" />
      </Drawer>
    </Card>
  );
}

type SchedulePreview = components['schemas']['ConsoleSchedulePreview'];

const CHANNEL_WORDS: Record<string, string> = { 'wecom-app': '企业微信', 'dingtalk-oto': '钉钉' };

/** The run-now dialog's preview: computed by the scheduler as a run would be, sending nothing. */
function RunPreviewPanel({ preview }: { preview: { data?: SchedulePreview; error?: string } | null }) {
  if (!preview) return <Alert type="info" showIcon message="正在计算预览（不会发送任何消息）…" />;
  if (preview.error) return <Alert type="warning" showIcon message={`无法预览：${preview.error}`} />;
  const p = preview.data!;
  const shown = p.recipients.length;
  return (
    <div data-testid="schedule-run-preview">
      <Alert
        type={p.total || p.robots.length ? 'success' : 'warning'}
        showIcon
        message={`按当前数据，将发送给 ${p.total} 人（共 ${p.items} 条）${p.robots.length ? `、${p.robots.length} 个群机器人` : ''}`}
        description={[
          p.noChannel ? `其中 ${p.noChannel} 人未绑定企业微信或钉钉，无法送达。` : '',
          p.heldUntil ? `当前处于免打扰时段，消息将于 ${fmtTime(p.heldUntil)} 后送达。` : '',
          p.summary && (p.summary as { wouldPublish?: boolean }).wouldPublish ? `执行时将发布 ${String((p.summary as { period?: string }).period ?? '')} 的排名通报。` : '',
        ]
          .filter(Boolean)
          .join(' ') || undefined}
      />
      {p.messages.length > 0 && (
        <>
          <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>消息预览{p.messages.length > 1 ? `（${p.messages.length} 种不同内容）` : ''}：</Typography.Paragraph>
          {p.messages.slice(0, 3).map((m, i) => (
            <Card key={i} size="small" title={m.title} extra={<Tag>{m.recipients} 人</Tag>} style={{ marginBottom: 8 }}>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }} ellipsis={{ rows: 6, expandable: true, symbol: '展开' }}>
                {m.text}
              </Typography.Paragraph>
            </Card>
          ))}
        </>
      )}
      {p.robots.map((r) => (
        <Card key={r.robotId} size="small" title={`群机器人 ${r.robotId}（${r.platform === 'dingtalk' ? '钉钉' : '企业微信'}）：${r.title}`} style={{ marginBottom: 8 }}>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }} ellipsis={{ rows: 4, expandable: true, symbol: '展开' }}>
            {r.text}
          </Typography.Paragraph>
        </Card>
      ))}
      {shown > 0 && (
        <>
          <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
            接收人{p.total > shown ? `（显示前 ${shown} 人，共 ${p.total} 人）` : ''}：
          </Typography.Paragraph>
          <Table
            size="small"
            rowKey="memberId"
            pagination={shown > 10 ? { pageSize: 10, size: 'small' } : false}
            dataSource={p.recipients}
            columns={[
              { title: '姓名', dataIndex: 'name' },
              { title: '单位', dataIndex: 'unitName' },
              { title: '渠道', dataIndex: 'channel', render: (c: string | null) => (c ? CHANNEL_WORDS[c] ?? c : <Tag color="red">无法送达</Tag>) },
              { title: '条数', dataIndex: 'items' },
            ]}
          />
        </>
      )}
    </div>
  );
}
