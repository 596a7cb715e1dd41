/**
 * The field names (keys) an official may use when submitting a lead by chat.
 */

export type LeadFieldKey =
  | 'company'
  | 'industry'
  | 'amount'
  | 'contact'
  | 'phone'
  | 'content'
  | 'intendedArea'
  | 'creditCode'
  | 'originRegion';

/** Recognised keys per field. The first alias is the Chinese name used in messages. */
export const LEAD_FIELD_ALIASES: Readonly<Record<LeadFieldKey, readonly string[]>> = {
  company: ['企业', '企业名称', '企业全称', '企业名', '公司', '公司名称', '公司全称', '投资方', '投资主体', '投资企业', '客商', '客商名称'],
  industry: ['行业', '产业', '产业链', '所属行业', '所属产业', '所属产业链'],
  amount: ['投资额', '投资', '计划投资', '拟投资', '计划投资额', '拟投资额', '投资金额', '投资规模', '总投资', '计划总投资', '总投资额', '投资总额', '项目总投资'],
  contact: ['联系人', '对接人', '企业联系人', '项目联系人', '对接联系人', '联系方式', '联系'],
  // A separate phone key is merged into the contact field (联系人：王经理 电话：139…).
  phone: ['联系电话', '电话', '电话号码', '手机', '手机号', '手机号码', '联系人电话', '联系人手机'],
  content: ['内容', '项目内容', '项目', '简介', '项目简介', '项目情况', '项目名称', '项目概况', '建设内容', '主要建设内容'],
  intendedArea: ['意向区县', '意向', '意向地', '意向落户地', '落户', '落户地', '拟落户', '拟落户地'],
  creditCode: ['信用代码', '统一社会信用代码', '社会信用代码'],
  originRegion: ['来源地', '所在地', '来源', '企业来源地'],
};

/** Chinese names of the required fields, in the order they are reported as missing. */
export const REQUIRED_FIELD_NAMES: Readonly<Record<'company' | 'industry' | 'amount' | 'content', string>> = {
  company: '企业',
  industry: '行业',
  amount: '投资额',
  content: '内容',
};

const ALIAS_TO_FIELD: ReadonlyMap<string, LeadFieldKey> = new Map(
  (Object.keys(LEAD_FIELD_ALIASES) as LeadFieldKey[]).flatMap((field) =>
    LEAD_FIELD_ALIASES[field].map((alias) => [alias, field] as [string, LeadFieldKey]),
  ),
);

/** Characters that may separate one `key：value` pair from the next. */
export const PAIR_SEPARATORS = '\\s;；,，。、|/';

/** All aliases, longest first so that 项目内容 wins over 内容 and 计划投资额 over 投资. */
export const ALIAS_PATTERN = [...ALIAS_TO_FIELD.keys()]
  .sort((a, b) => b.length - a.length)
  .join('|');

/**
 * A key is an alias followed by a colon (full- or half-width, spaces allowed before it)
 * at the start of the text or right after a separator. Requiring the separator keeps
 * "拟建项目：…" inside a value from being read as the key 项目.
 */
export function keyRegExp(): RegExp {
  return new RegExp(`(?<![^${PAIR_SEPARATORS}])(${ALIAS_PATTERN})\\s*[:：]`, 'g');
}

export function fieldOfAlias(alias: string): LeadFieldKey | undefined {
  return ALIAS_TO_FIELD.get(alias);
}
