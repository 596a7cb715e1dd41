import { useCallback, useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { Alert, App, Button, Card, DatePicker, Descriptions, Drawer, Form, Input, InputNumber, Modal, Select, Space, Table, Tabs, Tag, Upload } from 'antd';
import type { Dayjs } from 'dayjs';
import { api, download, unwrap, uploadFile } from '../api/client';
import { fmtDate, fmtTime, LeadRow, PageOf, SETTABLE_STAGE_KEYS, STAGE_WORDS, UnitRow } from '../api/views';
import { RecordList } from './common';
import { useCan } from '../auth';

interface Filters {
  q?: string;
  unit?: string;
  stage?: string;
  range?: [Dayjs, Dayjs] | null;
}

function query(f: Filters, page: number, size: number) {
  return {
    q: f.q || undefined,
    unit: f.unit || undefined,
    stage: f.stage || undefined,
    from: f.range?.[0]?.startOf('day').toISOString(),
    to: f.range?.[1]?.endOf('day').toISOString(),
    limit: size,
    offset: (page - 1) * size,
  };
}

export function useUnits(): UnitRow[] {
  const [units, setUnits] = useState<UnitRow[]>([]);
  useEffect(() => {
    void unwrap<UnitRow[] | PageOf<UnitRow>>(api.GET('/api/units'))
      .then((u) => setUnits(Array.isArray(u) ? u : u.items))
      .catch(() => setUnits([]));
  }, []);
  return units;
}

/** 线索台账: search and filter, open a lead, change its stage, transfer, correct, export, import. */
export function LeadsPage() {
  const { message } = App.useApp();
  const nav = useNavigate();
  const { code } = useParams();
  const units = useUnits();
  const [filters, setFilters] = useState<Filters>({});
  const [page, setPage] = useState(1);
  const [size, setSize] = useState(20);
  const [data, setData] = useState<PageOf<LeadRow>>({ items: [], total: 0 });
  const [loading, setLoading] = useState(false);
  const [importOpen, setImportOpen] = useState(false);
  const writable = useCan('leads');

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const q = query(filters, page, size);
      setData(await unwrap<PageOf<LeadRow>>(api.GET('/api/leads', { params: { query: q as never } })));
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setLoading(false);
    }
  }, [filters, page, size, message]);
  useEffect(() => void load(), [load]);

  const exportXlsx = async () => {
    const q = Object.entries(query(filters, 1, 1)).filter(([k, v]) => v !== undefined && k !== 'limit' && k !== 'offset');
    try {
      await download(`/api/leads/export?${new URLSearchParams(q as [string, string][])}`, '线索台账.xlsx');
    } catch (e) {
      message.error((e as Error).message);
    }
  };

  return (
    <Card title="线索台账" extra={<Space wrap><Button onClick={exportXlsx}>导出 Excel</Button>{writable && <Button onClick={() => setImportOpen(true)}>导入台账</Button>}</Space>}>
      <Form layout="inline" style={{ marginBottom: 16, rowGap: 8 }} onFinish={(v: Filters) => { setPage(1); setFilters(v); }}>
        <Form.Item name="q">
          <Input.Search placeholder="企业名称或线索编号" allowClear style={{ width: 240 }} data-testid="lead-search" onSearch={() => undefined} enterButton={false} />
        </Form.Item>
        <Form.Item name="unit">
          <Select placeholder="跟进单位" allowClear style={{ width: 160 }} options={units.map((u) => ({ value: u.name, label: u.name }))} showSearch />
        </Form.Item>
        <Form.Item name="stage">
          <Select placeholder="阶段" allowClear style={{ width: 120 }} options={Object.entries(STAGE_WORDS).map(([value, label]) => ({ value, label }))} />
        </Form.Item>
        <Form.Item name="range">
          <DatePicker.RangePicker placeholder={['登记起', '登记止']} />
        </Form.Item>
        <Button type="primary" htmlType="submit" data-testid="lead-search-submit">
          查询
        </Button>
      </Form>
      <Table<LeadRow>
        rowKey="code"
        size="middle"
        loading={loading}
        dataSource={data.items}
        scroll={{ x: 900 }}
        onRow={(r) => ({ onClick: () => nav(`/leads/${r.code}`), style: { cursor: 'pointer' } })}
        pagination={{ current: page, pageSize: size, total: data.total, showTotal: (t) => `共 ${t} 条`, onChange: (p, s) => { setPage(p); setSize(s); } }}
        columns={[
          { title: '编号', dataIndex: 'code', width: 150 },
          { title: '企业名称', dataIndex: 'companyName', render: (n: string, r) => (r.restricted ? <Space size={4} wrap><span>{n}</span><Tag>他单位</Tag></Space> : n) },
          { title: '跟进单位', dataIndex: 'ownerUnitName', width: 120 },
          { title: '阶段', dataIndex: 'stage', width: 80, render: (s: string) => <Tag color={s === 'terminated' ? 'default' : s === 'lead' ? 'blue' : 'green'}>{STAGE_WORDS[s] ?? s}</Tag> },
          { title: '计划投资', dataIndex: 'amountWan', width: 130, render: (a: number, r) => `${a?.toLocaleString('zh-CN') ?? '—'} 万${r.currency === 'USD' ? '美元' : '元'}` },
          { title: '级别', dataIndex: 'tierLabel', width: 80 },
          { title: '重复上报', dataIndex: 'duplicateReports', width: 90, render: (n: number) => (n ? <Tag color="orange">{n}</Tag> : '—') },
          { title: '登记时间', dataIndex: 'registeredAt', width: 120, render: fmtDate },
        ]}
      />
      {code && <LeadDrawer code={code} units={units} onClose={() => nav('/leads')} onChanged={load} />}
      <ImportModal open={importOpen} onClose={() => setImportOpen(false)} onDone={load} />
    </Card>
  );
}

type LeadDetail = LeadRow & Record<string, unknown>;

function LeadDrawer({ code, units, onClose, onChanged }: { code: string; units: UnitRow[]; onClose: () => void; onChanged: () => void }) {
  const { message } = App.useApp();
  const [lead, setLead] = useState<LeadDetail | null>(null);
  const [action, setAction] = useState<'stage' | 'transfer' | 'correct' | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm();
  const writable = useCan('leads');

  const load = useCallback(async () => {
    try {
      setLead(await unwrap<LeadDetail>(api.GET('/api/leads/{number}', { params: { path: { number: code } } })));
    } catch (e) {
      message.error((e as Error).message);
      onClose();
    }
  }, [code, message, onClose]);
  useEffect(() => void load(), [load]);

  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      if (action === 'stage') {
        const body = { ...v, date: v.date ? (v.date as Dayjs).format('YYYY-MM-DD') : undefined };
        await unwrap(api.POST('/api/leads/{number}/stage', { params: { path: { number: code } }, body }));
        message.success('阶段已更新');
      } else if (action === 'transfer') {
        await unwrap(api.POST('/api/leads/{number}/transfer', { params: { path: { number: code } }, body: v }));
        message.success(`已转交${v.toUnit}`);
      } else if (action === 'correct') {
        const body = Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined && x !== '' && x !== null));
        await unwrap(api.PATCH('/api/leads/{number}', { params: { path: { number: code } }, body }));
        message.success('已更正');
      }
      setAction(null);
      form.resetFields();
      await load();
      onChanged();
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const open = (a: 'stage' | 'transfer' | 'correct') => {
    form.resetFields();
    if (a === 'correct' && lead) form.setFieldsValue({ companyName: lead.companyName, industry: lead.industry, amountWan: lead.amountWan, contactName: lead.contactName ?? undefined, contactPhone: lead.contactPhone ?? undefined, content: lead.content, intendedArea: lead.intendedArea ?? undefined });
    setAction(a);
  };

  return (
    <Drawer open title={lead ? `${lead.code} ${lead.companyName}` : code} width={Math.min(720, window.innerWidth)} onClose={onClose}
      extra={writable && lead && !lead.restricted && <Space wrap><Button onClick={() => open('stage')}>变更阶段</Button><Button onClick={() => open('transfer')} data-testid="lead-transfer">转交</Button><Button onClick={() => open('correct')}>更正</Button></Space>}>
      {lead?.restricted && <Alert type="info" showIcon message={lead.registeredNotice ?? `该线索由${lead.ownerUnitName}跟进`} description="其他单位的线索只显示登记信息。" data-testid="lead-restricted" />}
      {lead && !lead.restricted && (
        <>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label="阶段">{STAGE_WORDS[lead.stage] ?? lead.stage}</Descriptions.Item>
            <Descriptions.Item label="跟进单位">{lead.ownerUnitName}</Descriptions.Item>
            {typeof lead.firstContactUnitName === 'string' && <Descriptions.Item label="首次接洽单位">{lead.firstContactUnitName}</Descriptions.Item>}
            <Descriptions.Item label="行业">{lead.industry || '—'}</Descriptions.Item>
            <Descriptions.Item label="计划投资">{lead.amountWan} 万{lead.currency === 'USD' ? '美元' : '元'}（{lead.tierLabel}）</Descriptions.Item>
            <Descriptions.Item label="联系人">{[lead.contactName, lead.contactPhone].filter(Boolean).join(' ') || '—'}</Descriptions.Item>
            <Descriptions.Item label="项目内容">{lead.content || '—'}</Descriptions.Item>
            <Descriptions.Item label="上报人">{lead.reporterName ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="登记时间">{fmtTime(lead.registeredAt)}</Descriptions.Item>
          </Descriptions>
          <Tabs
            style={{ marginTop: 16 }}
            items={[
              { key: 'history', label: '阶段历史', children: <RecordList items={lead.history} /> },
              { key: 'evidence', label: '佐证材料', children: <RecordList items={lead.evidence} /> },
              { key: 'reports', label: '重复上报', children: <RecordList items={lead.reReports ?? lead.duplicates} /> },
              { key: 'transfers', label: '转交记录', children: <RecordList items={lead.transfers} /> },
              { key: 'audit', label: '操作记录', children: <RecordList items={lead.audit} /> },
            ]}
          />
        </>
      )}
      <Modal open={action !== null} title={action === 'stage' ? '变更阶段' : action === 'transfer' ? '转交线索' : '更正线索'} onOk={submit} confirmLoading={busy} onCancel={() => setAction(null)} okText="确定" destroyOnHidden>
        <Form form={form} layout="vertical">
          {action === 'stage' && (
            <>
              <Form.Item name="stage" label="新阶段" rules={[{ required: true, message: '请选择阶段' }]}>
                <Select options={SETTABLE_STAGE_KEYS.map((k) => ({ value: k, label: STAGE_WORDS[k] }))} />
              </Form.Item>
              <Form.Item name="date" label="日期（默认今天）">
                <DatePicker />
              </Form.Item>
              <Form.Item name="amountWan" label="签约金额（万元，签约时必填）">
                <InputNumber min={0.01} style={{ width: '100%' }} />
              </Form.Item>
              <Form.Item name="capitalInPlaceWan" label="累计到位资金（万元）">
                <InputNumber min={0} style={{ width: '100%' }} />
              </Form.Item>
              <Form.Item name="note" label="备注（终止时填写原因）">
                <Input.TextArea rows={2} />
              </Form.Item>
            </>
          )}
          {action === 'transfer' && (
            <>
              <Form.Item name="toUnit" label="转交给" rules={[{ required: true, message: '请选择承接单位' }]}>
                <Select showSearch data-testid="transfer-unit" options={units.filter((u) => u.name !== lead?.ownerUnitName).map((u) => ({ value: u.name, label: u.name }))} />
              </Form.Item>
              <Form.Item name="reason" label="转交原因" rules={[{ required: true, min: 2, message: '请填写原因（至少2个字）' }]}>
                <Input.TextArea rows={2} data-testid="transfer-reason" />
              </Form.Item>
            </>
          )}
          {action === 'correct' && (
            <>
              <Form.Item name="companyName" label="企业名称"><Input /></Form.Item>
              <Form.Item name="industry" label="行业"><Input /></Form.Item>
              <Form.Item name="amountWan" label="计划投资（万）"><InputNumber min={0.01} style={{ width: '100%' }} /></Form.Item>
              <Form.Item name="contactName" label="联系人"><Input /></Form.Item>
              <Form.Item name="contactPhone" label="联系电话"><Input /></Form.Item>
              <Form.Item name="intendedArea" label="意向落户地"><Input /></Form.Item>
              <Form.Item name="content" label="项目内容"><Input.TextArea rows={3} /></Form.Item>
            </>
          )}
        </Form>
      </Modal>
    </Drawer>
  );
}

interface ImportReport {
  commit: boolean;
  accepted: number;
  duplicates: number;
  errors: number;
  rows: { row: number; status: string; companyName?: string; errors?: string[]; duplicateOf?: { row?: number; code?: string; unitName?: string } }[];
}

function ImportModal({ open, onClose, onDone }: { open: boolean; onClose: () => void; onDone: () => void }) {
  const { message } = App.useApp();
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [busy, setBusy] = useState(false);
  const send = async (commit: boolean) => {
    if (!file) return;
    setBusy(true);
    try {
      const r = await uploadFile<ImportReport>(`/api/leads/import${commit ? '?commit=true' : ''}`, file);
      setReport(r);
      if (commit) {
        message.success(`已导入 ${r.accepted} 条`);
        onDone();
      }
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const close = () => {
    setFile(null);
    setReport(null);
    onClose();
  };
  return (
    <Modal open={open} title="导入台账（Excel）" onCancel={close} width={760} footer={
      <Space>
        <Button onClick={close}>关闭</Button>
        <Button disabled={!file} loading={busy} onClick={() => send(false)}>试导入（不保存）</Button>
        <Button type="primary" disabled={!report || report.commit || report.accepted === 0} loading={busy} onClick={() => send(true)}>确认导入 {report && !report.commit ? report.accepted : ''} 条</Button>
      </Space>
    }>
      <Upload accept=".xlsx" maxCount={1} beforeUpload={(f) => { setFile(f); setReport(null); return false; }} onRemove={() => { setFile(null); setReport(null); }}>
        <Button>选择 .xlsx 文件</Button>
      </Upload>
      <p style={{ color: '#888', marginTop: 8 }}>第一行为表头：企业名称、跟进单位、登记时间、计划投资（万元）、行业、阶段、联系人、联系电话。先试导入查看逐行结果，再确认导入。</p>
      {report && (
        <>
          <p>{report.commit ? '已导入' : '试导入结果'}：可导入 {report.accepted} 条，重复 {report.duplicates} 条，错误 {report.errors} 条。</p>
          <Table size="small" rowKey="row" pagination={{ pageSize: 8 }} dataSource={report.rows} columns={[
            { title: '行', dataIndex: 'row', width: 50 },
            { title: '企业名称', dataIndex: 'companyName' },
            { title: '结果', dataIndex: 'status', width: 90, render: (s: string) => <Tag color={s === 'error' ? 'red' : s === 'duplicate' ? 'orange' : 'green'}>{({ error: '错误', duplicate: '重复', accepted: '可导入', ok: '可导入', created: '已导入' } as Record<string, string>)[s] ?? s}</Tag> },
            { title: '说明', render: (_: unknown, r) => r.errors?.join('；') || (r.duplicateOf ? `与${r.duplicateOf.code ?? `第${r.duplicateOf.row}行`}（${r.duplicateOf.unitName ?? ''}）重复` : '') },
          ]} />
        </>
      )}
    </Modal>
  );
}
