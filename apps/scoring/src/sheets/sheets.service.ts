import { Inject, Injectable } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { AssessmentPeriod, indicatorApplies, PolicyProfile } from '@zs/domain';
import { DirectoryReader } from '../directory/directory.reader';
import { FigureRow, FiguresService, RowProblem } from '../figures/figures.service';
import { RankingView } from '../rankings/ranking.service';
import { RpcBadRequest } from '../rpc/rpc-result';
import { POLICY } from '../tokens';

export type SheetKind = 'targets' | 'actuals';

/**
 * Excel templates and uploads for targets and results (exceljs; docs/adr). A template lists the
 * units an indicator applies to, one row per unit, one column per indicator, the indicator key in
 * a hidden second header row so a renamed column still reads right. An upload is checked row by
 * row and taken whole or not at all.
 */
@Injectable()
export class SheetsService {
  constructor(
    private readonly directory: DirectoryReader,
    private readonly figures: FiguresService,
    @Inject(POLICY) private readonly policy: PolicyProfile,
  ) {}

  private indicatorsFor(kind: SheetKind) {
    return this.policy.indicators.filter((i) => (kind === 'targets' ? true : !i.computed));
  }

  async template(kind: SheetKind, label: string, periodKey: string): Promise<{ fileName: string; base64: string }> {
    const units = (await this.directory.units()).filter((u) => u.ranked || this.policy.indicators.some((i) => indicatorApplies(i, u) && !i.computed));
    const indicators = this.indicatorsFor(kind);
    const existing = kind === 'targets' ? await this.figures.targets(Number(periodKey.slice(0, 4))) : new Map<string, Map<string, number>>();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet(kind === 'targets' ? '年度目标' : '累计完成');
    ws.addRow(['单位编号', '单位', ...indicators.map((i) => `${i.name}（${i.unit}）`)]);
    ws.addRow(['id', 'unit', ...indicators.map((i) => i.key)]);
    ws.getRow(2).hidden = true;
    ws.getRow(1).font = { bold: true };
    for (const u of units) {
      const applicable = indicators.filter((i) => indicatorApplies(i, u));
      if (!applicable.length) continue;
      const row = ws.addRow([Number(u.id), u.name, ...indicators.map((i) => (indicatorApplies(i, u) ? (existing.get(u.id)?.get(i.key) ?? null) : '—'))]);
      row.getCell(1).protection = { locked: true };
    }
    ws.columns.forEach((c, i) => (c.width = i < 2 ? 14 : 18));
    const info = wb.addWorksheet('说明');
    info.addRow([`${this.policy.cityName}${label}${kind === 'targets' ? '年度目标' : '累计完成（自年初起累计）'}填报模板`]);
    info.addRow(['请只填写数字；“—”表示该指标不适用于本单位；留空表示不报送。由项目台账自动计算的指标不在完成表中。']);
    const buf = await wb.xlsx.writeBuffer();
    return { fileName: `${kind}-${periodKey}.xlsx`, base64: Buffer.from(buf as ArrayBuffer).toString('base64') };
  }

  /** Reads an uploaded sheet into figure rows; a cell that is not a number is a row problem. */
  async read(kind: SheetKind, base64: string): Promise<{ rows: FigureRow[]; problems: RowProblem[] }> {
    const wb = new ExcelJS.Workbook();
    try {
      await wb.xlsx.load(Buffer.from(base64, 'base64') as unknown as ArrayBuffer);
    } catch {
      throw new RpcBadRequest('无法读取上传的文件：请上传由模板填写的 .xlsx 文件');
    }
    const ws = wb.worksheets[0];
    if (!ws) throw new RpcBadRequest('上传的文件没有工作表');
    const keys = (ws.getRow(2).values as unknown[]).slice(1).map((v) => String(v ?? ''));
    if (keys[0] !== 'id' || keys[1] !== 'unit') throw new RpcBadRequest('文件不是本系统的模板（第 2 行隐藏的指标编码缺失），请重新下载模板');
    const known = new Set(this.indicatorsFor(kind).map((i) => i.key));
    const rows: FigureRow[] = [];
    const problems: RowProblem[] = [];
    ws.eachRow((row, n) => {
      if (n <= 2) return;
      const id = row.getCell(1).value;
      const name = row.getCell(2).value;
      const unit = id !== null && id !== undefined && id !== '' ? String(id) : String(name ?? '').trim();
      if (!unit) return;
      keys.slice(2).forEach((key, i) => {
        if (!known.has(key)) return;
        let v = row.getCell(i + 3).value as unknown;
        if (v && typeof v === 'object' && 'result' in (v as object)) v = (v as { result: unknown }).result; // formula cells
        if (v === null || v === undefined || v === '' || v === '—') return;
        const num = typeof v === 'number' ? v : Number(String(v).replace(/,/g, '').trim());
        if (!Number.isFinite(num)) problems.push({ row: n, problem: `${String(name ?? unit)}的“${key}”不是数字：“${String(v)}”` });
        else rows.push({ unit, indicator: key, value: num });
      });
    });
    if (!rows.length && !problems.length) problems.push({ row: 3, problem: '文件中没有填写任何数值' });
    return { rows, problems };
  }

  async upload(kind: SheetKind, period: AssessmentPeriod | null, year: number, base64: string, by: string) {
    const { rows, problems } = await this.read(kind, base64);
    if (problems.length) {
      throw new RpcBadRequest(`数据未保存，请修改后重新上传：${problems.slice(0, 20).map((p) => `第${p.row}行：${p.problem}`).join('；')}`);
    }
    if (kind === 'targets') return this.figures.putTargets(year, { targets: rows }, by);
    return this.figures.putActuals(period as AssessmentPeriod, { values: rows }, by);
  }

  /** The ranking as an Excel sheet (the attachment of the notice, and a download). */
  async rankingSheet(view: RankingView): Promise<{ fileName: string; base64: string }> {
    const names = Object.fromEntries(this.policy.indicators.map((i) => [i.key, i.name]));
    const wb = new ExcelJS.Workbook();
    for (const g of view.groups) {
      const ws = wb.addWorksheet(g.groupName.slice(0, 31));
      const keys = [...new Set(g.rows.flatMap((r) => Object.keys(r.indicators)))];
      ws.addRow([`${this.policy.cityName}${view.label}排名（${view.status === 'published' ? `第${view.version}版` : '草稿'}），时序进度 ${view.timeProgress}%`]);
      ws.addRow(['名次', '单位', '得分', '完成进度%', '进度差（百分点）', '状态', ...keys.map((k) => `${names[k] ?? k}完成率%`), '备注']);
      ws.getRow(2).font = { bold: true };
      for (const r of g.rows) {
        ws.addRow([r.rank, r.unitName, r.score, r.progress, r.gap, r.band, ...keys.map((k) => r.indicators[k]?.completion ?? null), r.unranked ?? '']);
      }
    }
    const buf = await wb.xlsx.writeBuffer();
    return { fileName: `ranking-${view.period}${view.version ? `-v${view.version}` : ''}.xlsx`, base64: Buffer.from(buf as ArrayBuffer).toString('base64') };
  }
}
