import { LeadFieldKey } from './fields';
import { findLabels } from './report-labels';

/**
 * Cases that kill mutations the other specs let survive (found with `npm run mutation`): which
 * labels an official may write without a colon, and what must follow them for the report reader
 * to take them as labels rather than prose.
 */
const fields = (t: string) => findLabels(t).map((l) => `${l.field}${l.colon ? ':' : ''}`);

/** Every alias that may be glued to its value, with a value that fits it. */
const GLUED: Array<[string, LeadFieldKey, string]> = [
  ...['企业名称', '企业全称', '企业名', '公司名称', '公司全称', '投资方', '投资主体', '投资企业', '客商', '客商名称', '企业', '公司'].map(
    (a) => [a, 'company', '星河新能源有限公司'] as [string, LeadFieldKey, string],
  ),
  ...['行业', '产业', '产业链', '所属行业', '所属产业', '所属产业链'].map((a) => [a, 'industry', '新能源'] as [string, LeadFieldKey, string]),
  ...['投资额', '投资', '计划投资', '拟投资', '计划投资额', '拟投资额', '投资金额', '投资规模', '总投资', '计划总投资', '总投资额', '投资总额', '项目总投资'].map(
    (a) => [a, 'amount', '3亿'] as [string, LeadFieldKey, string],
  ),
  ...['联系人', '对接人', '企业联系人', '项目联系人', '对接联系人'].map((a) => [a, 'contact', '王总'] as [string, LeadFieldKey, string]),
  ['联系方式', 'contact', '13800002222'],
  ...['联系电话', '电话', '电话号码', '手机', '手机号', '手机号码', '联系人电话', '联系人手机'].map(
    (a) => [a, 'phone', '13800002222'] as [string, LeadFieldKey, string],
  ),
  ...['内容', '项目内容', '项目简介', '简介', '项目情况', '项目概况', '建设内容', '主要建设内容'].map(
    (a) => [a, 'content', '建设厂房'] as [string, LeadFieldKey, string],
  ),
  ...['统一社会信用代码', '信用代码', '社会信用代码'].map((a) => [a, 'creditCode', '91430100MA4L0XXXXX'] as [string, LeadFieldKey, string]),
];

describe('labels written without a colon', () => {
  it.each(GLUED)('%s glued to its value is the %s label', (alias, field, value) => {
    expect(findLabels(`${alias}${value}`)).toEqual([{ field, alias, index: 0, valueStart: alias.length, colon: false }]);
    expect(findLabels(`备注 ${alias}${value}`)).toEqual([{ field, alias, index: 3, valueStart: 3 + alias.length, colon: false }]);
  });

  it('投资额待定，预计明年3亿 is not an amount label: the value must start with a figure', () => {
    expect(fields('投资额待定，预计明年3亿')).toEqual([]);
  });

  it('联系人 must be followed by a name, not by a number', () => {
    expect(fields('联系人13800002222 王总')).toEqual([]);
  });

  it('a phone label must be followed by the number itself (or +, a bracket)', () => {
    expect(fields('手机号待补充，预计3天内')).toEqual([]);
    expect(fields('电话是13800002222')).toEqual([]);
    expect(fields('手机+8613800002222')).toEqual(['phone']);
    expect(fields('电话（0731）84561234')).toEqual(['phone']);
  });

  it('产业 followed by a long clause (more than 20 characters, no separator) is prose, not an industry', () => {
    expect(fields('产业升级改造提升项目需要大量资金和技术人才支持配套')).toEqual([]);
    expect(fields('产业新能源汽车零部件')).toEqual(['industry']);
  });
});

describe('labels after a comma inside a content value', () => {
  it('a person then a phone closes the content', () => {
    expect(fields('内容：建设厂房，联系人王总13800001111')).toEqual(['content:', 'contact']);
    expect(fields('内容：建设厂房，联系人王总 13800001111')).toEqual(['content:', 'contact']);
    expect(fields('内容：建设厂房，联系人王总：13800001111')).toEqual(['content:', 'contact']);
    expect(fields('内容：建设厂房，联系人王总8613800001111')).toEqual(['content:', 'contact']);
    expect(fields('内容：建设厂房，联系人王总+8613800001111')).toEqual(['content:', 'contact']);
  });

  it('a contact word not followed at once by a person and a full mobile number stays content', () => {
    expect(fields('内容：建设厂房，联系人不变，王总13800001111')).toEqual(['content:']);
    expect(fields('内容：建设厂房，联系人王总138号办公室面谈')).toEqual(['content:']);
  });

  it('a phone number closes the content; 手机10万台 (a product) does not', () => {
    expect(fields('内容：建设厂房，电话13800001111')).toEqual(['content:', 'phone']);
    expect(fields('内容：建设厂房，电话0731-8456 1234')).toEqual(['content:', 'phone']);
    expect(fields('内容：建设厂房，电话+8613800001111')).toEqual(['content:', 'phone']);
    expect(fields('内容：年产电池，手机10万台及配套设备')).toEqual(['content:']);
    expect(fields('内容：年产电池，手机2部 13800001111')).toEqual(['content:']);
  });

  it('the content ends at its line: a later line does not stop prose on the content line', () => {
    expect(fields('内容：建设厂房，投资5亿元用于购置设备\n企业：星河有限公司')).toEqual(['content:', 'company:']);
    expect(fields('企业：星河有限公司\n内容：建设厂房，投资5亿元用于购置设备')).toEqual(['company:', 'content:']);
  });
});
