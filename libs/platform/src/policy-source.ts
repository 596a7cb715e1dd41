import { readFileSync } from 'fs';
import { loadProfile, parsePolicyProfile, PolicyProfile } from '@zs/domain';

/**
 * The city's policy profile a service runs with: a shipped profile by id (POLICY_PROFILE), or a
 * city's own profile file (POLICY_PROFILE_FILE, JSON of the same schema, validated the same way),
 * for a city whose rules differ from every shipped one (e.g. no transfer of leads).
 */
export function loadConfiguredProfile(config: { POLICY_PROFILE: string; POLICY_PROFILE_FILE?: string }): PolicyProfile {
  if (!config.POLICY_PROFILE_FILE) return loadProfile(config.POLICY_PROFILE);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(config.POLICY_PROFILE_FILE, 'utf8'));
  } catch (e) {
    throw new Error(`POLICY_PROFILE_FILE: cannot read a JSON profile from ${config.POLICY_PROFILE_FILE}: ${(e as Error).message}`);
  }
  return parsePolicyProfile(data, `file ${config.POLICY_PROFILE_FILE}`);
}
