import { useCallback, useEffect, useState } from 'react';
import { App, Button, Card, Modal, Select, Space, Table, Tabs, Tag, Upload } from 'antd';
import { api, unwrap, uploadFile } from '../api/client';
import { fmtDate, UnitRow } from '../api/views';
import { useUnits } from './LeadsPage';

const KIND_WORDS: Record<string, string> = { county: '区县', park: '园区', department: '市直部门', city: '市级' };
const ROLE_WORDS: Record<string, string> = { official: '工作人员', head: '负责人', deputy: '分管负责人', admin: '管理员', leader: '领导' };

interface MemberRow {
  id: string;
  name: string;
  unitName: string;
  role: string;
  wecomUserId: string | null;
  dingtalkStaffId: string | null;
  mobile: string | null;
  active?: boolean;
}

/** 单位与成员: units, members with their chat identities, importing the address book from Excel. */
export function UnitsPage() {
  const { message } = App.useApp();
  const units = useUnits();
  const [unitId, setUnitId] = useState<string | undefined>();
  const [members, setMembers] = useState<MemberRow[]>([]);
  const [importOpen, setImportOpen] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<{ commit: boolean; created: number; updated: number; errors: number; rows?: { row: number; status: string; name?: string; errors?: string[] }[] } | null>(null);

  const load = useCallback(async () => {
    try {
      const r = await unwrap<MemberRow[] | { items: MemberRow[] }>(api.GET('/api/members', { params: { query: { unitId } as never } }));
      setMembers(Array.isArray(r) ? r : r.items);
    } catch (e) {
      message.error((e as Error).message);
    }
  }, [unitId, message]);
  useEffect(() => void load(), [load]);

  const send = async (commit: boolean) => {
    if (!file) return;
    try {
      const r = await uploadFile<NonNullable<typeof report>>(`/api/members/import${commit ? '?commit=true' : ''}`, file);
      setReport(r);
      if (commit) {
        message.success(`新增 ${r.created} 人，更新 ${r.updated} 人`);
        await load();
      }
    } catch (e) {
      message.error((e as Error).message);
    }
  };

  return (
    <Card title="单位与成员" extra={<Button onClick={() => setImportOpen(true)}>导入通讯录</Button>}>
      <Tabs
        items={[
          {
            key: 'members',
            label: '成员',
            children: (
              <>
                <Select allowClear placeholder="按单位筛选" style={{ width: 200, marginBottom: 12 }} value={unitId} onChange={setUnitId} options={units.map((u) => ({ value: u.id, label: u.name }))} />
                <Table<MemberRow>
                  size="small"
                  rowKey="id"
                  dataSource={members}
                  scroll={{ x: 700 }}
                  columns={[
                    { title: '姓名', dataIndex: 'name' },
                    { title: '单位', dataIndex: 'unitName' },
                    { title: '职务', dataIndex: 'role', render: (r: string) => ROLE_WORDS[r] ?? r },
                    { title: '企业微信', dataIndex: 'wecomUserId', render: (v) => v ?? '—' },
                    { title: '钉钉', dataIndex: 'dingtalkStaffId', render: (v) => v ?? '—' },
                    { title: '手机', dataIndex: 'mobile', render: (v) => v ?? '—' },
                    { title: '状态', dataIndex: 'active', render: (a?: boolean) => (a === false ? <Tag>已停用</Tag> : <Tag color="green">在岗</Tag>) },
                  ]}
                />
              </>
            ),
          },
          {
            key: 'units',
            label: '单位',
            children: (
              <Table<UnitRow>
                size="small"
                rowKey="id"
                dataSource={units}
                pagination={false}
                columns={[
                  { title: '单位', dataIndex: 'name' },
                  { title: '类型', dataIndex: 'kind', render: (k: string) => KIND_WORDS[k] ?? k },
                  { title: '参与排名', dataIndex: 'ranked', render: (r: boolean) => (r ? '是' : '否') },
                  { title: '成员数', dataIndex: 'memberCount' },
                  { title: '创建时间', dataIndex: 'createdAt', render: (t: string) => fmtDate(t) },
                ]}
              />
            ),
          },
        ]}
      />
      <Modal open={importOpen} title="导入通讯录（Excel）" onCancel={() => { setImportOpen(false); setReport(null); setFile(null); }} footer={
        <Space>
          <Button disabled={!file} onClick={() => send(false)}>试导入（不保存）</Button>
          <Button type="primary" disabled={!report || report.commit} onClick={() => send(true)}>确认导入</Button>
        </Space>
      }>
        <Upload accept=".xlsx" maxCount={1} beforeUpload={(f) => { setFile(f); setReport(null); return false; }}>
          <Button>选择 .xlsx 文件</Button>
        </Upload>
        {report && (
          <>
            <p style={{ marginTop: 12 }}>{report.commit ? '已导入' : '试导入结果'}：新增 {report.created}，更新 {report.updated}，错误 {report.errors}。</p>
            <Table size="small" rowKey="row" dataSource={report.rows ?? []} pagination={{ pageSize: 6 }} columns={[
              { title: '行', dataIndex: 'row', width: 50 },
              { title: '姓名', dataIndex: 'name' },
              { title: '结果', dataIndex: 'status' },
              { title: '说明', render: (_: unknown, r) => r.errors?.join('；') ?? '' },
            ]} />
          </>
        )}
      </Modal>
    </Card>
  );
}
