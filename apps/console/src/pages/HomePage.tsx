import { useEffect, useState } from 'react';
import { Alert, App, Card, Col, List, Row, Statistic, Typography } from 'antd';
import { useNavigate } from 'react-router-dom';
import { api, unwrap } from '../api/client';
import { currentQuarter, fmtTime, PageOf, LeadRow, RankingViewShape, ScheduleRow } from '../api/views';
import { RankingTable } from './RankingsPage';
import { scheduleWords } from './SchedulesPage';

function monthStart(): string {
  const cn = new Date(Date.now() + 8 * 3600 * 1000);
  return new Date(Date.UTC(cn.getUTCFullYear(), cn.getUTCMonth(), 1) - 8 * 3600 * 1000).toISOString();
}

/** 首页: this quarter's progress by unit, leads this month, what is due next. */
export function HomePage() {
  const { message } = App.useApp();
  const nav = useNavigate();
  const [monthLeads, setMonthLeads] = useState<number | null>(null);
  const [allLeads, setAllLeads] = useState<number | null>(null);
  const [ranking, setRanking] = useState<RankingViewShape | null>(null);
  const [next, setNext] = useState<ScheduleRow[]>([]);
  useEffect(() => {
    const period = currentQuarter();
    void unwrap<PageOf<LeadRow>>(api.GET('/api/leads', { params: { query: { from: monthStart(), limit: 1 } as never } })).then((p) => setMonthLeads(p.total)).catch((e: Error) => message.error(e.message));
    void unwrap<PageOf<LeadRow>>(api.GET('/api/leads', { params: { query: { limit: 1 } as never } })).then((p) => setAllLeads(p.total)).catch(() => undefined);
    void unwrap<RankingViewShape>(api.GET('/api/rankings/{period}', { params: { path: { period }, query: { live: 'true' } as never } })).then(setRanking).catch(() => setRanking(null));
    void unwrap<ScheduleRow[]>(api.GET('/api/schedules'))
      .then((s) => setNext(s.filter((x) => x.enabled && x.nextFireAt).sort((a, b) => String(a.nextFireAt).localeCompare(String(b.nextFireAt))).slice(0, 5)))
      .catch(() => setNext([]));
  }, [message]);
  return (
    <Row gutter={[16, 16]}>
      <Col xs={12} md={6}>
        <Card onClick={() => nav('/leads')} hoverable>
          <Statistic title="本月新增线索" value={monthLeads ?? '—'} suffix="条" />
        </Card>
      </Col>
      <Col xs={12} md={6}>
        <Card onClick={() => nav('/leads')} hoverable>
          <Statistic title="台账线索总数" value={allLeads ?? '—'} suffix="条" />
        </Card>
      </Col>
      <Col xs={24} md={12}>
        <Card title="即将执行" size="small">
          <List
            size="small"
            dataSource={next}
            locale={{ emptyText: '暂无待执行日程' }}
            renderItem={(s) => (
              <List.Item>
                <Typography.Text>{s.name}</Typography.Text>
                <Typography.Text type="secondary">{fmtTime(s.nextFireAt)}（{scheduleWords(s)}）</Typography.Text>
              </List.Item>
            )}
          />
        </Card>
      </Col>
      <Col span={24}>
        <Card title={`${ranking?.label ?? currentQuarter()} 各单位进度（实时）`}>
          {!ranking && <Alert type="info" message="本季度暂无排名数据" />}
          {ranking?.groups.map((g) => (
            <div key={g.group} style={{ marginBottom: 16 }}>
              <Typography.Title level={5}>{g.groupName}</Typography.Title>
              <RankingTable rows={g.rows} />
            </div>
          ))}
        </Card>
      </Col>
    </Row>
  );
}
