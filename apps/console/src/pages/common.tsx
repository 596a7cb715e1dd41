import { Empty, List, Typography } from 'antd';
import { fmtTime } from '../api/views';

/** Words for fields the API answers in history, transfers, audit and run records. */
const FIELD_WORDS: Record<string, string> = {
  action: '操作',
  actor: '操作人',
  by: '操作人',
  at: '时间',
  date: '日期',
  from: '原阶段',
  to: '新阶段',
  fromUnitName: '原单位',
  toUnitName: '新单位',
  reason: '原因',
  note: '备注',
  status: '状态',
  slot: '时段',
  reached: '送达',
  delivered: '已送达',
  fields: '字段',
  changes: '改动',
  memberName: '上报人',
  unitName: '单位',
  text: '内容',
  url: '链接',
  kind: '类型',
};
const HIDDEN = new Set(['id', 'leadId', 'scheduleId']);

function cell(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v)) return fmtTime(v);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** An array of records the API answers (history, transfers, evidence, audit…) as a readable list. */
export function RecordList({ items, empty = '暂无记录' }: { items: unknown; empty?: string }) {
  if (!Array.isArray(items) || items.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} />;
  return (
    <List
      size="small"
      dataSource={items as Record<string, unknown>[]}
      renderItem={(r) => (
        <List.Item>
          <Typography.Text style={{ fontSize: 13 }}>
            {Object.entries(typeof r === 'object' && r ? r : { 内容: r })
              .filter(([k]) => !HIDDEN.has(k))
              .map(([k, v]) => `${FIELD_WORDS[k] ?? k}：${cell(v)}`)
              .join('；')}
          </Typography.Text>
        </List.Item>
      )}
    />
  );
}
