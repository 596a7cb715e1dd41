/**
 * Company-name normalisation: the key of the first-contact (首谈首报) registry.
 *
 * Two reports name the same company when their normalised names are equal; a database
 * unique index is built on the result, so the function must be deterministic and
 * idempotent (`normalizeCompanyName(normalizeCompanyName(x)) === normalizeCompanyName(x)`).
 *
 * Steps, in order:
 *  1. drop invisible characters (zero-width spaces, BOM…) and pictographs (emoji);
 *  2. Unicode NFKC (full-width letters, digits, brackets and spaces become half-width);
 *  3. lowercase;
 *  4. unify brackets: （）【】〔〕〖〗［］[] all become ( );
 *  5. remove a parenthesised qualifier anywhere in the name, when it is
 *     - 中国 / 中国区 / 大中华区 / 集团 (see the 集团 decision below), or
 *     - a legal-form remark for partnerships: 有限合伙 / 普通合伙 / 特殊普通合伙, or
 *     - a place: a province-level or prefecture-level city name of China, a macro
 *       region (华南, 亚太…, and 国际 which is used the same way), or a common foreign
 *       country / offshore jurisdiction, with
 *       or without 省/市/自治区/特别行政区, or any 1–5 CJK characters ending in
 *       省/市/区/县/州/盟/旗 (e.g. (南山区), (浦东新区), (株洲市)), 2–6 CJK characters in all, or
 *     - an English qualifier such as (China), (PRC), (Hong Kong), (Shanghai);
 *     any other parenthesised text, e.g. (研发), is kept with its brackets;
 *  6. strip trailing legal-form suffixes repeatedly: 股份有限公司, 有限责任公司, 有限公司,
 *     股份公司, 总公司, 公司, 集团, and English Co., Ltd. / Limited / Inc. / Corp. /
 *     Corporation / LLC / LLP / Company / Group / GmbH / AG / PLC / Pte / Pty… (an English
 *     suffix is only stripped when it does not continue a Latin word: "tesco" keeps its "co");
 *  7. drop the administrative word after a leading province or city name (深圳市… → 深圳…,
 *     湖南省… → 湖南…, 广西壮族自治区… → 广西…, and any 2–3 characters + 市 for county-level
 *     cities: 浏阳市… → 浏阳…), and a leading province right before a city (广东省深圳市… →
 *     深圳…): officials write the registered 深圳市星河智能科技有限公司 as 深圳星河智能科技有限公司
 *     as often as not;
 *  8. drop all whitespace; repeat the whole procedure until nothing changes.
 *
 * Decisions:
 *  - 集团 is treated as a legal-form suffix and stripped (so is "(集团)" and English "group"):
 *    深圳市星河智能科技集团有限公司, 深圳市星河智能科技(集团)有限公司 and 深圳市星河智能科技有限公司
 *    share one key. The registry exists so that several units do not chase one investor
 *    (Zhangye §17); a group and the same-named company are one investor for that purpose.
 *    A wrong match is cheaper (the second unit is told to contact 市商务局) than a miss.
 *  - A branch keeps its own key: "公司" is not stripped after "分", so
 *    星河智能科技有限公司长沙分公司 does not collide with its head office.
 *  - The city prefix (深圳市…) is part of the name and is not removed, only its 市: in
 *    registered names it is the 行政区划 element and distinguishes companies (深圳 vs 广州),
 *    while 深圳市星河 and 深圳星河 are the same company written two ways. A 市 that begins a
 *    word (中山市政工程) is dropped too; the key only has to be the same for both spellings.
 *  - 股份 alone at the end (同方股份) is a legal form like 股份有限公司.
 *  - When nothing remains (e.g. "有限公司", "", "（中国）"), the result is '' rather than an
 *    exception; the lead parser rejects an empty key with a problem message.
 */

import { stripInvisible } from './text';

const PROVINCES = [
  '北京', '天津', '上海', '重庆', '河北', '山西', '辽宁', '吉林', '黑龙江', '江苏', '浙江', '安徽', '福建',
  '江西', '山东', '河南', '湖北', '湖南', '广东', '海南', '四川', '贵州', '云南', '陕西', '甘肃', '青海',
  '台湾', '内蒙古', '广西', '西藏', '宁夏', '新疆', '香港', '澳门',
];

/** Prefecture-level cities and well-known development areas, short names. */
const CITIES = [
  // 河北 山西 内蒙古
  '石家庄', '唐山', '秦皇岛', '邯郸', '邢台', '保定', '张家口', '承德', '沧州', '廊坊', '衡水', '雄安',
  '太原', '大同', '阳泉', '长治', '晋城', '朔州', '晋中', '运城', '忻州', '临汾', '吕梁',
  '呼和浩特', '包头', '乌海', '赤峰', '通辽', '鄂尔多斯', '呼伦贝尔', '巴彦淖尔', '乌兰察布',
  // 辽宁 吉林 黑龙江
  '沈阳', '大连', '鞍山', '抚顺', '本溪', '丹东', '锦州', '营口', '阜新', '辽阳', '盘锦', '铁岭', '朝阳', '葫芦岛',
  '长春', '四平', '辽源', '通化', '白山', '松原', '白城', '延边',
  '哈尔滨', '齐齐哈尔', '鸡西', '鹤岗', '双鸭山', '大庆', '伊春', '佳木斯', '七台河', '牡丹江', '黑河', '绥化',
  // 江苏 浙江 安徽
  '南京', '无锡', '徐州', '常州', '苏州', '南通', '连云港', '淮安', '盐城', '扬州', '镇江', '泰州', '宿迁',
  '昆山', '江阴', '张家港', '常熟',
  '杭州', '宁波', '温州', '嘉兴', '湖州', '绍兴', '金华', '衢州', '舟山', '台州', '丽水', '义乌',
  '合肥', '芜湖', '蚌埠', '淮南', '马鞍山', '淮北', '铜陵', '安庆', '黄山', '滁州', '阜阳', '宿州', '六安',
  '亳州', '池州', '宣城',
  // 福建 江西 山东
  '福州', '厦门', '莆田', '三明', '泉州', '漳州', '南平', '龙岩', '宁德', '平潭',
  '南昌', '景德镇', '萍乡', '九江', '新余', '鹰潭', '赣州', '吉安', '宜春', '抚州', '上饶',
  '济南', '青岛', '淄博', '枣庄', '东营', '烟台', '潍坊', '济宁', '泰安', '威海', '日照', '临沂', '德州',
  '聊城', '滨州', '菏泽',
  // 河南 湖北 湖南
  '郑州', '开封', '洛阳', '平顶山', '安阳', '鹤壁', '新乡', '焦作', '濮阳', '许昌', '漯河', '三门峡', '南阳',
  '商丘', '信阳', '周口', '驻马店', '济源',
  '武汉', '黄石', '十堰', '宜昌', '襄阳', '鄂州', '荆门', '孝感', '荆州', '黄冈', '咸宁', '随州', '恩施',
  '仙桃', '潜江', '天门',
  '长沙', '株洲', '湘潭', '衡阳', '邵阳', '岳阳', '常德', '张家界', '益阳', '郴州', '永州', '怀化', '娄底', '湘西',
  // 广东 广西 海南
  '广州', '韶关', '深圳', '珠海', '汕头', '佛山', '江门', '湛江', '茂名', '肇庆', '惠州', '梅州', '汕尾',
  '河源', '阳江', '清远', '东莞', '中山', '潮州', '揭阳', '云浮', '前海', '横琴', '南沙',
  '南宁', '柳州', '桂林', '梧州', '北海', '防城港', '钦州', '贵港', '玉林', '百色', '贺州', '河池', '来宾', '崇左',
  '海口', '三亚', '三沙', '儋州', '洋浦',
  // 四川 贵州 云南 西藏
  '成都', '自贡', '攀枝花', '泸州', '德阳', '绵阳', '广元', '遂宁', '内江', '乐山', '南充', '眉山', '宜宾',
  '广安', '达州', '雅安', '巴中', '资阳', '天府',
  '贵阳', '六盘水', '遵义', '安顺', '毕节', '铜仁', '贵安',
  '昆明', '曲靖', '玉溪', '保山', '昭通', '丽江', '普洱', '临沧', '大理', '红河', '西双版纳', '德宏', '楚雄', '文山',
  '拉萨', '日喀则', '昌都', '林芝', '山南', '那曲', '阿里',
  // 陕西 甘肃 青海 宁夏 新疆
  '西安', '铜川', '宝鸡', '咸阳', '渭南', '延安', '汉中', '榆林', '安康', '商洛', '杨凌', '西咸',
  '兰州', '嘉峪关', '金昌', '白银', '天水', '武威', '张掖', '平凉', '酒泉', '庆阳', '定西', '陇南', '临夏', '甘南',
  '西宁', '海东', '格尔木', '海西',
  '银川', '石嘴山', '吴忠', '固原', '中卫',
  '乌鲁木齐', '克拉玛依', '吐鲁番', '哈密', '昌吉', '库尔勒', '阿克苏', '喀什', '和田', '伊犁', '石河子', '霍尔果斯',
  // districts often used as qualifiers
  '浦东', '滨海', '两江', '南山', '福田', '海淀', '朝阳', '中关村', '张江', '临港',
];

const REGIONS_AND_COUNTRIES = [
  '中国', '中华', '华北', '华东', '华南', '华中', '华西', '西南', '西北', '东北', '亚太', '亚洲', '大中华', '亚太区',
  '中国区', '大中华区', '华南区', '华东区', '华北区', '国际',
  '美国', '英国', '德国', '法国', '日本', '韩国', '新加坡', '意大利', '荷兰', '瑞士', '瑞典', '加拿大', '澳大利亚',
  '澳洲', '欧洲', '马来西亚', '泰国', '越南', '印度', '印尼', '以色列', '丹麦', '芬兰', '挪威', '西班牙', '比利时',
  '奥地利', '新西兰', '俄罗斯', '巴西', '开曼', '维尔京', '百慕大', '卢森堡', '爱尔兰',
];

/** Non-place parenthesised remarks that carry no identity: removed like a place. */
const OTHER_QUALIFIERS = ['集团', '有限合伙', '普通合伙', '特殊普通合伙'];

// Every name + suffix entry ends in 省/市/区, so ADMIN_DIVISION_RE already matches each one short
// enough to pass the 2–6 character gate of isRemovableQualifier, and the longer ones never reach the
// set lookup (company-name.mutants.spec.ts shows 香港特别行政区 kept): the entries change no result.
// Stryker disable next-line StringLiteral,ArrayDeclaration: equivalent, see above
const PLACE_SUFFIXES = ['省', '市', '自治区', '特别行政区', '地区'];

const CJK_QUALIFIERS: ReadonlySet<string> = (() => {
  const set = new Set<string>(OTHER_QUALIFIERS);
  for (const name of [...PROVINCES, ...CITIES, ...REGIONS_AND_COUNTRIES]) {
    set.add(name);
    // Stryker disable next-line ArithmeticOperator: equivalent, the name + suffix entries change no result (see PLACE_SUFFIXES)
    for (const suffix of PLACE_SUFFIXES) set.add(name + suffix);
  }
  return set;
})();

/** Province and city short names (深圳, 湖南…), longest first: where a company name usually begins. */
export const PLACE_NAMES: readonly string[] = [...new Set([...PROVINCES, ...CITIES])].sort((a, b) => b.length - a.length);

// Longest first guards future additions; today no place name is a prefix of another (asserted in
// company-name.mutants.spec.ts), so the order of the alternatives cannot change a match.
// Stryker disable next-line ArrowFunction,ArithmeticOperator: equivalent while no name is a prefix of another
const byLengthDesc = (a: string, b: string) => b.length - a.length;
// Stryker disable next-line MethodExpression: equivalent while no name is a prefix of another
const PROVINCE_ALT = [...PROVINCES].sort(byLengthDesc).join('|');
// Stryker disable next-line MethodExpression: equivalent while no name is a prefix of another
const CITY_ALT = [...CITIES].sort(byLengthDesc).join('|');
/** 深圳市… → 深圳…, 湖南省… → 湖南…, 广西壮族自治区… → 广西… (at the start only). */
const LEADING_DIVISION_WORD_RE = new RegExp(
  `^(${PROVINCE_ALT}|${CITY_ALT})(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)`,
);
/**
 * 浏阳市…, 沅江市…: county-level cities are too many to list; any two or three characters
 * followed by 市 and at least two more characters lose the 市. Both spellings of a name get the
 * same key, which is all a key must do (华润超市连锁 and 华润超连锁 would collide, harmlessly).
 */
const LEADING_ANY_CITY_RE = /^([\u4e00-\u9fff]{2,3})市(?=[\u4e00-\u9fff]{2})/;
/** 广东省深圳市… → 深圳…: a province written before one of its cities adds nothing. */
const LEADING_PROVINCE_BEFORE_CITY_RE = new RegExp(`^(?:${PROVINCE_ALT})(?:省|壮族自治区|回族自治区|维吾尔自治区|自治区)?(?=(?:${CITY_ALT}))`);

/** Any 1–5 CJK characters ending in an administrative-division character: (南山区), (株洲市). */
// Stryker disable next-line Regex: equivalent, only strings of 2–6 CJK characters are tested (isRemovableQualifier)
const ADMIN_DIVISION_RE = /^[\u4e00-\u9fff]{1,5}[省市区县州盟旗]$/;

/** English qualifiers, lowercase, whitespace removed. */
const EN_QUALIFIERS: ReadonlySet<string> = new Set([
  'china', 'prc', 'thepeoplesrepublicofchina', 'hongkong', 'hk', 'macau', 'macao', 'taiwan', 'asia', 'asiapacific',
  'apac', 'greaterchina', 'beijing', 'shanghai', 'shenzhen', 'guangzhou', 'tianjin', 'chongqing', 'suzhou',
  'hangzhou', 'singapore', 'usa', 'us', 'uk', 'international', 'group',
]);

function isRemovableQualifier(inner: string): boolean {
  // Stryker disable next-line Regex: equivalent, removing one run of whitespace or each character of it is the same
  const s = inner.replace(/\s+/g, '');
  if (/^[\u4e00-\u9fff]{2,6}$/.test(s)) return CJK_QUALIFIERS.has(s) || ADMIN_DIVISION_RE.test(s);
  // The guard is for the reader: EN_QUALIFIERS holds only a–z words, so no other text is found in it.
  // Stryker disable next-line ConditionalExpression,Regex: equivalent, see above
  if (/^[a-z.' ]+$/.test(inner)) return EN_QUALIFIERS.has(s.replace(/[.']/g, ''));
  return false;
}

const EMOJI_RE = /[\p{Extended_Pictographic}\u{1F1E6}-\u{1F1FF}\u{1F3FB}-\u{1F3FF}\uFE0E\uFE0F\u20E3]/gu;

/** Chinese legal-form suffixes, longest first. Whitespace between the characters is tolerated. */
const CN_SUFFIXES = [
  // Stryker disable next-line StringLiteral: equivalent, the loop in normalizeOnce strips 有限公司 and then 股份
  '股份有限公司',
  '有限责任公司', '有限公司',
  // Stryker disable next-line StringLiteral: equivalent, the loop in normalizeOnce strips 公司 and then 股份
  '股份公司',
  '总公司', '集团', '股份',
];
const CN_SUFFIX_RE = new RegExp(
  `(?:${CN_SUFFIXES.map((s) => Array.from(s).join('\\s*')).join('|')}|(?<!分\\s*)公\\s*司)\\s*$`,
);

/** English legal-form suffixes (lowercase regex sources), longest first. */
const EN_SUFFIXES = [
  // Stryker disable next-line StringLiteral: equivalent, the loop in normalizeOnce strips ltd, the dangling ",." and then co
  'co\\.?\\s*,?\\s*ltd\\.?',
  // Stryker disable next-line StringLiteral: equivalent, the loop in normalizeOnce strips limited and then co
  'co\\.?\\s*,?\\s*limited',
  // Stryker disable next-line StringLiteral: equivalent, the loop in normalizeOnce strips limited and then company
  'company\\s*limited',
  'incorporated',
  'corporation',
  'limited',
  'company',
  'group',
  'gmbh',
  'l\\.?\\s*l\\.?\\s*c\\.?',
  'l\\.?\\s*l\\.?\\s*p\\.?',
  'ltd\\.?',
  'inc\\.?',
  'corp\\.?',
  'plc\\.?',
  'pte\\.?',
  'pty\\.?',
  'co\\.?',
  'ag',
];
const EN_SUFFIX_RE = new RegExp(`(?<![a-z0-9])(?:${EN_SUFFIXES.join('|')})\\s*$`);

/** Punctuation left dangling once a suffix is gone: "星河," / "acme &" / "foo -". */
const TRAILING_JUNK = new Set([
  '.', ',', '。', ';', '、', '&', '-', '_', '/', '·',
  // Stryker disable next-line StringLiteral: equivalent, whitespace is removed at the end and the suffix patterns allow it; NFKC turns '，' into ','
  ' ', '，',
]);

function trimTrailingJunk(s: string): string {
  let end = s.length;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, s[-1] is undefined, which is no junk
  while (end > 0 && TRAILING_JUNK.has(s[end - 1])) end--;
  // Stryker disable next-line ConditionalExpression: equivalent, slicing the whole string returns it unchanged
  return end === s.length ? s : s.slice(0, end);
}

/**
 * Apply a suffix regex to the last characters only, so that stripping many suffixes from a
 * very long string stays linear. No suffix match is anywhere near this long, so a match
 * never starts at the window's first character and look-behinds see the real predecessor.
 */
const SUFFIX_WINDOW = 64;
function stripSuffix(s: string, re: RegExp): string {
  if (s.length <= SUFFIX_WINDOW) return s.replace(re, '');
  const cut = s.length - SUFFIX_WINDOW;
  return s.slice(0, cut) + s.slice(cut).replace(re, '');
}

function normalizeOnce(input: string): string {
  let s = stripInvisible(input).replace(EMOJI_RE, '').normalize('NFKC').toLowerCase();
  s = s.replace(/[【〔〖\[]/g, '(').replace(/[】〕〗\]]/g, ')');
  // Stryker disable next-line MethodExpression,Regex: equivalent, all whitespace is removed below, the suffix patterns allow any run of it and trailing spaces are junk
  s = s.replace(/\s+/g, ' ').trim();
  // Replace a removable qualifier by a space so that English words stay separated.
  s = s.replace(/\(([^()]*)\)/g, (whole, inner: string) =>
    // Stryker disable next-line MethodExpression: equivalent, isRemovableQualifier ignores spaces
    isRemovableQualifier(inner.trim()) ? ' ' : whole,
  );
  for (;;) {
    const before = s;
    s = trimTrailingJunk(s);
    s = stripSuffix(s, CN_SUFFIX_RE);
    s = trimTrailingJunk(s);
    s = stripSuffix(s, EN_SUFFIX_RE);
    if (s === before) break;
  }
  // Stryker disable next-line Regex: equivalent, removing one run of whitespace or each character of it is the same
  s = s.replace(/\s+/g, '');
  s = s.replace(LEADING_PROVINCE_BEFORE_CITY_RE, '');
  s = s.replace(LEADING_DIVISION_WORD_RE, '$1');
  return s.replace(LEADING_ANY_CITY_RE, '$1');
}

/**
 * Normalise a company name into the first-contact registry key (see the file comment).
 * Returns '' when nothing identifying remains; never throws.
 */
export function normalizeCompanyName(name: string): string {
  let current = normalizeOnce(name ?? '');
  // Run to a fixed point so the function is idempotent even for odd inputs
  // (e.g. "foo.l td" only shows its "ltd" once whitespace is gone).
  // A pass after the fixed point returns its input, so passes beyond it change nothing; no input
  // seen (corpus, hostile-input specs) needs more than three passes, far from the bound.
  // Stryker disable next-line EqualityOperator,UpdateOperator: equivalent, see above
  for (let i = 0; i < 8; i++) {
    const next = normalizeOnce(current);
    // Stryker disable next-line ConditionalExpression: equivalent, see above
    if (next === current) break;
    current = next;
  }
  return current;
}
