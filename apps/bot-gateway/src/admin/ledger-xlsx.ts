import ExcelJS from 'exceljs';

/** Columns of the lead export, in the order a city ledger (台账) lists them. */
const COLUMNS: Array<{ header: string; key: string; width: number }> = [
  { header: '线索编号', key: 'code', width: 18 },
  { header: '企业名称', key: 'companyName', width: 36 },
  { header: '统一社会信用代码', key: 'creditCode', width: 22 },
  { header: '行业', key: 'industry', width: 14 },
  { header: '计划投资（万元）', key: 'amountWanCny', width: 16 },
  { header: '项目等级', key: 'tierLabel', width: 10 },
  { header: '阶段', key: 'stageLabel', width: 10 },
  { header: '签约金额（万元）', key: 'signedAmountWan', width: 16 },
  { header: '到位资金（万元）', key: 'capitalInPlaceWan', width: 16 },
  { header: '跟进单位', key: 'ownerUnitName', width: 16 },
  { header: '首谈首报单位', key: 'firstContactUnitName', width: 16 },
  { header: '报送人', key: 'reporterName', width: 10 },
  { header: '联系人', key: 'contactName', width: 10 },
  { header: '联系电话', key: 'contactPhone', width: 16 },
  { header: '项目内容', key: 'content', width: 40 },
  { header: '登记时间', key: 'registeredAt', width: 22 },
];

export async function leadsWorkbook(rows: Record<string, unknown>[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('线索台账');
  ws.columns = COLUMNS;
  ws.getRow(1).font = { bold: true };
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Header aliases of an imported city ledger, mapped to our fields. */
const IMPORT_HEADERS: Record<string, string[]> = {
  companyName: ['企业名称', '企业', '公司名称', '投资方'],
  creditCode: ['统一社会信用代码', '信用代码'],
  industry: ['行业', '产业', '产业链'],
  amountWan: ['计划投资（万元）', '计划投资(万元)', '投资额（万元）', '投资额(万元)', '总投资（万元）', '计划投资', '投资额'],
  unit: ['跟进单位', '首谈首报单位', '报送单位', '单位'],
  contactName: ['联系人', '对接人'],
  contactPhone: ['联系电话', '电话', '手机'],
  content: ['项目内容', '项目简介', '内容'],
  registeredAt: ['登记时间', '登记日期', '首谈日期', '报送日期'],
  stage: ['阶段', '项目阶段', '进展'],
  signedAmountWan: ['签约金额（万元）', '签约金额(万元)', '签约金额'],
  capitalInPlaceWan: ['到位资金（万元）', '到位资金(万元)', '到位资金'],
};

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') {
    const o = v as { text?: string; result?: unknown; richText?: Array<{ text: string }> };
    if (o.richText) return o.richText.map((t) => t.text).join('');
    if (o.text !== undefined) return String(o.text);
    if (o.result !== undefined) return String(o.result);
  }
  return String(v).trim();
}

/** Reads the first worksheet: a header row with known names, then one lead per row. */
export async function readLedgerWorkbook(data: Buffer, maxRows = 5000): Promise<Array<{ row: number; values: Record<string, string> }>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(data as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  if (!ws) throw new Error('the workbook has no worksheet');
  const header = ws.getRow(1);
  const columnOf: Record<string, number> = {};
  header.eachCell((cell, col) => {
    const name = cellText(cell.value).replace(/\s+/g, '');
    for (const [key, aliases] of Object.entries(IMPORT_HEADERS)) {
      if (columnOf[key] === undefined && aliases.some((a) => a.replace(/\s+/g, '') === name)) columnOf[key] = col;
    }
  });
  if (columnOf.companyName === undefined) throw new Error('no 企业名称 column in the first row');
  const out: Array<{ row: number; values: Record<string, string> }> = [];
  for (let r = 2; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const values: Record<string, string> = {};
    for (const [key, col] of Object.entries(columnOf)) values[key] = cellText(row.getCell(col).value);
    if (Object.values(values).every((v) => !v)) continue;
    out.push({ row: r, values });
    if (out.length > maxRows) throw new Error(`more than ${maxRows} rows; split the workbook`);
  }
  return out;
}

/** Member address book: 姓名, 单位, 角色, 企业微信账号, 钉钉ID, 手机. */
const MEMBER_HEADERS: Record<string, string[]> = {
  name: ['姓名', '名字'],
  unitName: ['单位', '所在单位', '部门'],
  role: ['角色', '身份'],
  wecomUserId: ['企业微信账号', '企业微信userid', '企业微信ID', 'userid', '账号'],
  dingtalkStaffId: ['钉钉ID', '钉钉userid', '钉钉账号', 'staffId'],
  mobile: ['手机', '手机号', '电话', '联系电话'],
};

export async function readMembersWorkbook(data: Buffer, maxRows = 5000): Promise<Array<{ row: number; values: Record<string, string> }>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(data as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  if (!ws) throw new Error('the workbook has no worksheet');
  const columnOf: Record<string, number> = {};
  ws.getRow(1).eachCell((cell, col) => {
    const name = cellText(cell.value).replace(/\s+/g, '').toLowerCase();
    for (const [key, aliases] of Object.entries(MEMBER_HEADERS)) {
      if (columnOf[key] === undefined && aliases.some((a) => a.toLowerCase() === name)) columnOf[key] = col;
    }
  });
  if (columnOf.name === undefined || columnOf.unitName === undefined) throw new Error('the first row needs 姓名 and 单位 columns');
  const out: Array<{ row: number; values: Record<string, string> }> = [];
  for (let r = 2; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const values: Record<string, string> = {};
    for (const [key, col] of Object.entries(columnOf)) values[key] = cellText(row.getCell(col).value);
    if (Object.values(values).every((v) => !v)) continue;
    out.push({ row: r, values });
    if (out.length > maxRows) throw new Error(`more than ${maxRows} rows; split the workbook`);
  }
  return out;
}
