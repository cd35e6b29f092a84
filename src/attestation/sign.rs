//! Signing a report's decision: the key `--attest-key` names, and the envelope written.

use std::path::Path;

use ed25519_dalek::SigningKey;

use super::{dsse, statement};
use crate::diag::Error;
use crate::report::Report;
use crate::untrusted::{self, Kind};
use crate::wasmsig::keys;

/// The signing key at `path` (a wasmsign2 key file or PEM), read as a key file.
pub fn signing_key(path: &Path) -> Result<SigningKey, Error> {
    let bytes = untrusted::read_command_file(path, Kind::Key)?;
    keys::secret_key(&bytes).map_err(|e| Error::Key {
        path: path.display().to_string(),
        message: e.0,
    })
}

/// The envelope of `report`'s decision signed with `key`, as pretty JSON with a final
/// newline; None for a report that decided nothing. `time` is recorded when given.
pub fn envelope(report: &Report, key: &SigningKey, time: Option<String>) -> Option<String> {
    let statement = statement::of(report, time)?;
    let payload = serde_json::to_vec(&statement).ok()?;
    let envelope = dsse::sign(dsse::IN_TOTO, &payload, key);
    let mut text = serde_json::to_string_pretty(&envelope).ok()?;
    text.push('\n');
    Some(text)
}
