import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Compares a typed password with the configured one in constant time: both are hashed first, so
 * neither the length nor the first differing character shows in the timing.
 */
export function passwordMatches(candidate: string, password: string): boolean {
  const a = createHash("sha256").update(candidate, "utf8").digest();
  const b = createHash("sha256").update(password, "utf8").digest();
  return timingSafeEqual(a, b);
}
