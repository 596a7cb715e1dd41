// The member list a simulator was given: a callback (the admin API, a test fixture) that may be
// absent, fail or not be ready yet. When it fails, the last list that loaded stands in.

export class MemberDirectory<M extends object, K extends keyof M> {
  private lastGood?: M[];

  /** `idKey` names the member's platform account (a member without one is left out). */
  constructor(
    private readonly load: (() => Promise<M[]>) | undefined,
    private readonly idKey: K,
  ) {}

  /** The members, [] when there is no list. Never rejects. */
  async list(): Promise<M[]> {
    if (!this.load) return [];
    try {
      const list = await this.load();
      if (Array.isArray(list)) {
        this.lastGood = list.filter((m) => m && typeof m[this.idKey] === 'string' && m[this.idKey]);
        return this.lastGood;
      }
    } catch {
      // fall back to the last list that loaded
    }
    return this.lastGood ?? [];
  }

  /** The accounts in the directory, or undefined when there is none (everyone counts as valid). */
  async ids(): Promise<Set<string> | undefined> {
    const list = await this.list();
    return list.length ? new Set(list.map((m) => m[this.idKey] as string)) : undefined;
  }

  /** The last list that loaded, without asking again; undefined before the first. */
  get loaded(): M[] | undefined {
    return this.lastGood;
  }
}
