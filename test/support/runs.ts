/**
 * How many cases each fast-check property tries. Every property states its own count (what CI runs, and the
 * default); `FAST_CHECK_NUM_RUNS=<n>` runs every property n times instead: fewer for a quick local pass, more to
 * hunt a rare case.
 */
const override = Number.parseInt(process.env.FAST_CHECK_NUM_RUNS ?? "", 10);

export function runs(count: number): number {
  return Number.isSafeInteger(override) && override > 0 ? override : count;
}
