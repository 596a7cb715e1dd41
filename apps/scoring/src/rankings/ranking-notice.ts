import { RichBlock, RichMessage } from '@zs/contracts';
import { AssessmentPeriod, Band, GroupRanking, RankingRow, ScoredIndicator } from '@zs/domain';

/**
 * The ranking notice (排名通报) as a platform-neutral rich message: notification renders it as a
 * WeCom markdown_v2 table, a DingTalk markdown table or lists, per target. Pure.
 */
const BAND_LABEL: Record<Band, string> = { green: '绿（快于时序）', yellow: '黄（略慢）', red: '红（滞后）' };
const fmt = (n: number | null, suffix = '') => (n === null ? '—' : `${Number(n.toFixed(2))}${suffix}`);
const signed = (n: number | null) => (n === null ? '—' : `${n > 0 ? '+' : ''}${Number(n.toFixed(1))}`);

export function bandLabel(b: Band | null): string {
  return b ? BAND_LABEL[b] : '—';
}

function indicatorColumns(g: GroupRanking, indicators: ScoredIndicator[]): ScoredIndicator[] {
  return indicators.filter((i) => g.rows.some((r) => r.indicators[i.key])).slice(0, 12);
}

export function groupTable(g: GroupRanking, indicators: ScoredIndicator[]): RichBlock {
  const cols = indicatorColumns(g, indicators);
  return {
    kind: 'table',
    caption: g.groupName,
    columns: ['名次', '单位', '得分', '完成进度', '进度差', '状态', ...cols.map((c) => `${c.name}完成率`)],
    rows: g.rows.map((r) => [
      r.rank === null ? '—' : String(r.rank),
      r.unitName,
      r.unranked ? r.unranked.slice(0, 60) : fmt(r.score),
      fmt(r.progress, '%'),
      r.gap === null ? '—' : `${signed(r.gap)}个百分点`,
      bandLabel(r.band),
      ...cols.map((c) => {
        const cell = r.indicators[c.key];
        if (!cell) return '—';
        if (cell.completion !== null) return `${fmt(cell.completion)}%`;
        return cell.excluded ?? fmt(cell.value);
      }),
    ]),
    align: ['center', 'left', 'right', 'right', 'right', 'left', ...cols.map(() => 'right' as const)],
  };
}

export function cityNotice(args: {
  cityName: string;
  period: AssessmentPeriod;
  version: number;
  groups: GroupRanking[];
  indicators: ScoredIndicator[];
  changes: string[];
  timeProgress: number;
}): RichMessage {
  const blocks: RichBlock[] = [
    {
      kind: 'paragraph',
      text: `**${args.period.label}**各单位招商引资任务完成进度排名如下（时序进度 ${fmt(args.timeProgress, '%')}；进度差 = 完成进度 − 时序进度）。`,
    },
  ];
  if (args.version > 1) {
    blocks.push({ kind: 'paragraph', tone: 'warning', text: `本通报为第${args.version}版（数据更正后重新计算），以本版为准。` });
    if (args.changes.length) blocks.push({ kind: 'list', items: args.changes.slice(0, 50) });
  }
  for (const g of args.groups) blocks.push(groupTable(g, args.indicators));
  return { title: `${args.cityName}${args.period.label}招商引资排名通报`, blocks };
}

export function unitNotice(args: {
  cityName: string;
  period: AssessmentPeriod;
  version: number;
  group: GroupRanking;
  row: RankingRow;
  indicatorNames: Record<string, string>;
}): RichMessage {
  const { group, row } = args;
  const ranked = group.rows.filter((r) => r.rank !== null).length;
  const above = row.rank === null ? undefined : [...group.rows].reverse().find((r) => r.rank !== null && r.rank < (row.rank as number));
  const lines: string[] = [];
  if (row.rank === null) {
    lines.push(`**${row.unitName}**${args.period.label}未参与排名：${row.unranked ?? ''}`);
  } else {
    lines.push(`**${row.unitName}**在${group.groupName}${args.period.label}排名中列第 **${row.rank}** 名（共 ${ranked} 个单位），得分 ${fmt(row.score)}。`);
    lines.push(`完成进度 ${fmt(row.progress, '%')}，时序进度 ${fmt(row.timeProgress, '%')}，进度差 ${signed(row.gap)} 个百分点，状态：${bandLabel(row.band)}。`);
    lines.push(above ? `距上一名（第${above.rank}名 ${above.unitName}）相差 ${fmt(row.gapToAbove)} 分。` : '位列第一，请继续保持。');
  }
  const cells = Object.entries(row.indicators);
  const blocks: RichBlock[] = [{ kind: 'paragraph', text: lines.join('\n'), tone: row.band === 'red' ? 'warning' : 'normal' }];
  if (cells.length) {
    blocks.push({
      kind: 'table',
      caption: '分项指标',
      columns: ['指标', '累计完成', '年度目标', '完成率', '得分'],
      rows: cells.map(([key, c]) => [args.indicatorNames[key] ?? key, fmt(c.value), fmt(c.target), c.completion === null ? (c.excluded ?? '—') : `${fmt(c.completion)}%`, fmt(c.points)]),
    });
  }
  return { title: `${args.period.label}排名（${row.unitName}）${args.version > 1 ? `第${args.version}版` : ''}`, blocks };
}

/** Plain text of a rich message, for the `content` fallback. */
export function plainText(m: RichMessage): string {
  const out: string[] = m.title ? [m.title] : [];
  for (const b of m.blocks) {
    if (b.kind === 'paragraph') out.push(b.text.replace(/\*\*/g, ''));
    else if (b.kind === 'list') out.push(...b.items.map((i) => `· ${i}`));
    else {
      if (b.caption) out.push(`【${b.caption}】`);
      out.push(b.columns.join(' | '));
      out.push(...b.rows.map((r) => r.join(' | ')));
    }
  }
  return out.join('\n');
}
