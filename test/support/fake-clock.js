// Preloaded into a service (NODE_OPTIONS=--require) to run it with its clock set to
// FAKE_CLOCK_AT_MS at start, then advancing normally: lets fixed protocol vectors with old
// timestamps pass the freshness checks they would otherwise (rightly) fail.
const at = Number(process.env.FAKE_CLOCK_AT_MS);
if (Number.isFinite(at) && at > 0) {
  const real = Date.now;
  const offset = real() - at;
  Date.now = () => real() - offset;
}
