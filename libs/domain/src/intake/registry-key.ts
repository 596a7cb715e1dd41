/**
 * The first-contact registry key of a company: the normalised name (normalizeCompanyName:
 * width, brackets, region qualifiers, legal-form suffixes) with the administrative suffix of a
 * leading place name dropped, so 深圳市星河智能科技有限公司 and 深圳星河智能科技有限公司 are one
 * company. Only a 2–3 character place followed by 市/省 and at least two more characters is
 * touched, once (北京市市政工程 keeps its second 市); what this misses the trigram near-match catches.
 */
import { normalizeCompanyName } from '../lead/company-name';

const LEADING_PLACE_SUFFIX = /^([\u4e00-\u9fff]{2,3})[市省](?=[\u4e00-\u9fff]{2})/u;

export function companyRegistryKey(name: string): string {
  return registryKeyOfNormalized(normalizeCompanyName(name));
}

/** Same as companyRegistryKey for a name that is already normalised. */
export function registryKeyOfNormalized(normalized: string): string {
  return normalized.replace(LEADING_PLACE_SUFFIX, '$1');
}
