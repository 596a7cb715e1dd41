import bcrypt from 'bcryptjs';

/**
 * Passwords of admin accounts: bcrypt (bcryptjs, pure JavaScript, no native build; ADR 0021).
 * Cost 10 takes about 60-100 ms per check on one core, slow enough against guessing offline and
 * fast enough for sign-in on a small server. Shared by the gateway and the demo seed.
 */
export const ADMIN_PASSWORD_COST = 10;

/** Shortest password an account may be given (NIST SP 800-63B: at least 8). */
export const ADMIN_PASSWORD_MIN_LENGTH = 8;

export function hashAdminPassword(password: string): Promise<string> {
  return bcrypt.hash(password, ADMIN_PASSWORD_COST);
}

export function verifyAdminPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

let dummyHash: string | undefined;

/**
 * A hash of a password nobody has, compared against when the username is unknown, so timing does
 * not tell names apart. Made on first use (not at import: every service imports this library).
 */
export function adminDummyHash(): string {
  dummyHash ??= bcrypt.hashSync('not-a-password-of-anyone', ADMIN_PASSWORD_COST);
  return dummyHash;
}
