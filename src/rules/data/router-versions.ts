/**
 * What we know about FireLens router images: which Fluent Bit each aws-for-fluent-bit release ships, and
 * which Fluent Bit (or aws-for-fluent-bit) versions carry known crash or hang bugs.
 *
 * Facts are from aws/aws-for-fluent-bit's CHANGELOG.md and release PRs (fix versions from `git tag --contains`
 * on fluent/fluent-bit; each bug below links its sources) and from recordings of real Fluent Bit 1.8.3,
 * 1.9.10 and 4.2.8. A version this table does not know is reported as unknown, never as safe. The table is
 * documented in docs/rules/FLP202.md.
 */
// The recordings: test/fixtures/fluent-bit/ (README items 1 and 2).

// The table and its reading live in the model (src/model/known-bugs.ts), where `simulate` reads them too.

export {
  type BugCondition,
  type BugTrigger,
  bugLabel,
  bugsFor,
  compareVersions,
  describeVersion,
  fluentBitForAws,
  formatVersion,
  HEALTH_ENDPOINT_SAFE_FROM,
  inRange,
  KNOWN_BUGS,
  type KnownBug,
  MUTABLE_TAGS,
  parseVersion,
  shortLink,
  type Version,
  type VersionRange,
} from "../../model/index.js";
