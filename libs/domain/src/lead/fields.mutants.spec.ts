import { fieldOfAlias, keyRegExp, LeadFieldKey } from './fields';

/**
 * Cases that kill mutations the other specs let survive (found with `npm run mutation`):
 * every alias an official may type is recognised as its field, written out here so that a
 * dropped or emptied alias is noticed.
 */
const ALIASES: Array<[LeadFieldKey, string[]]> = [
  ['company', ['企业', '企业名称', '企业全称', '企业名', '公司', '公司名称', '公司全称', '投资方', '投资主体', '投资企业', '客商', '客商名称']],
  ['industry', ['行业', '产业', '产业链', '所属行业', '所属产业', '所属产业链']],
  ['amount', ['投资额', '投资', '计划投资', '拟投资', '计划投资额', '拟投资额', '投资金额', '投资规模', '总投资', '计划总投资', '总投资额', '投资总额', '项目总投资']],
  ['contact', ['联系人', '对接人', '企业联系人', '项目联系人', '对接联系人', '联系方式', '联系']],
  ['phone', ['联系电话', '电话', '电话号码', '手机', '手机号', '手机号码', '联系人电话', '联系人手机']],
  ['content', ['内容', '项目内容', '项目', '简介', '项目简介', '项目情况', '项目名称', '项目概况', '建设内容', '主要建设内容']],
  ['intendedArea', ['意向区县', '意向', '意向地', '意向落户地', '落户', '落户地', '拟落户', '拟落户地']],
  ['creditCode', ['信用代码', '统一社会信用代码', '社会信用代码']],
  ['originRegion', ['来源地', '所在地', '来源', '企业来源地']],
];

describe('lead field aliases', () => {
  it.each(ALIASES.flatMap(([field, aliases]) => aliases.map((a) => [a, field] as [string, LeadFieldKey])))(
    '%s：… is the %s field',
    (alias, field) => {
      expect(fieldOfAlias(alias)).toBe(field);
      const keys = [...`前文 ${alias}：值`.matchAll(keyRegExp())].map((m) => m[1]);
      expect(keys).toEqual([alias]);
    },
  );

  it('knows no other alias', () => {
    expect(fieldOfAlias('')).toBeUndefined();
    expect(fieldOfAlias('备注')).toBeUndefined();
  });

  it('takes the longest alias at a key', () => {
    const keys = [...'企业来源地：深圳 计划总投资：5亿 项目内容：x'.matchAll(keyRegExp())].map((m) => m[1]);
    expect(keys).toEqual(['企业来源地', '计划总投资', '项目内容']);
  });
});
