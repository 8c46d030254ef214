export function formatTokens(n: number): string {
  return n === 1 ? "1 token" : `${n.toLocaleString("en-US")} tokens`;
}
