//! Help text shared by several commands: the exit-code table and each command's examples.

/// The exit-code table, shared by the top-level help and `check --help`.
macro_rules! exit_status {
    () => {
        "Exit status:
  0  the gate passed (warnings allowed)
  1  the gate failed: at least one finding of severity deny
  2  wasmgate could not decide: bad usage, bad config, unreadable input, no artifacts,
     policy compile or runtime error, policy timeout"
    };
}

pub(crate) const EXIT_STATUS: &str = exit_status!();

pub(crate) const CHECK_EXAMPLES: &str = concat!(
    "Examples:
  wasmgate check                           # artifacts from wasmgate.toml or the default search
  wasmgate check dist/app.wasm             # one file
  wasmgate check 'dist/**/*.wasm' pkg/     # globs and directories
  wasmgate check --no-compress             # quick local or pre-commit run
  wasmgate check --format json > report.json
  wasmgate check --policy policies/ --namespace wasmgate.release
  wasmgate check --attest decision.intoto.json --attest-key gate.key

",
    exit_status!()
);

pub(crate) const FACTS_EXAMPLES: &str = "\
Examples:
  wasmgate facts dist/app.wasm             # the input document policies see, as JSON
  wasmgate facts --no-compress | jq '.artifacts[].imports'

Exit status:
  0  the document was written
  2  it could not be built (no artifacts, unreadable file, bad config)";

pub(crate) const BASELINE_EXAMPLES: &str = "\
Examples:
  wasmgate baseline                        # accept the current artifacts
  git add .wasmgate/baseline.json && git commit -m 'Accept wasm sizes'

`check` compares each artifact with the baseline as committed at the merge-base.

Exit status:
  0  the baseline was written
  2  it could not be (no artifacts, unreadable file, bad config)";
