//! The size collector: raw, gzip and brotli bytes of one artifact.
//!
//! Compression is the slowest step of the gate (brotli quality 11 runs at about 0.5 MiB/s), so
//! results are cached by content hash, and a pre-compressed `.gz`/`.br` sibling is used when it
//! decompresses to exactly the artifact's bytes. The cache is an optimisation only: any
//! failure to read or write it falls back to compressing.

use crate::facts::ctx::ArtifactCtx;
use std::collections::BTreeMap;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How compressed sizes are obtained.
#[derive(Debug, Clone)]
pub struct SizeOptions {
    /// False skips gzip and brotli (their fields are then null).
    pub compress: bool,
    /// gzip level, 0–9.
    pub gzip_level: u32,
    /// brotli quality, 0–11.
    pub brotli_quality: u32,
    /// brotli window, log2 bytes (10–24).
    pub brotli_window: u32,
    /// Where computed sizes are cached; None disables the cache.
    pub cache_dir: Option<PathBuf>,
    /// Use `ARTIFACT.gz` / `ARTIFACT.br` siblings when they match the artifact.
    pub use_siblings: bool,
    /// Compressed sizes already known by content hash (gzip, brotli), measured with these
    /// settings: the accepted sizes of unchanged artifacts.
    pub known: BTreeMap<String, (u64, u64)>,
}

impl Default for SizeOptions {
    fn default() -> Self {
        SizeOptions {
            compress: true,
            gzip_level: 9,
            brotli_quality: 11,
            brotli_window: 22,
            cache_dir: None,
            use_siblings: true,
            known: BTreeMap::new(),
        }
    }
}

/// Sizes of one artifact in bytes.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct SizeFacts {
    /// Size of the file in bytes.
    pub raw: u64,
    /// gzip-compressed size; null with `--no-compress`.
    pub gzip: Option<u64>,
    /// brotli-compressed size; null with `--no-compress`.
    pub brotli: Option<u64>,
    /// Where the gzip figure came from: `computed`, `cache`, `sibling` or `baseline`.
    pub gzip_source: Option<SizeSource>,
    /// Where the brotli figure came from: `computed`, `cache`, `sibling` or `baseline`.
    pub brotli_source: Option<SizeSource>,
}

/// Where a compressed size came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SizeSource {
    /// Compressed by this run.
    Computed,
    /// Read from the size cache (same content hash and settings).
    Cache,
    /// Measured from a `.gz`/`.br` file next to the artifact that decompresses to its bytes.
    Sibling,
    /// The accepted size in the baseline: the artifact is byte-for-byte unchanged.
    Baseline,
}

#[derive(Clone, Copy)]
enum Codec {
    Gzip,
    Brotli,
}

/// The sizes of `raw` bytes measured without compression (`--no-compress`).
pub fn uncompressed(raw: u64) -> SizeFacts {
    SizeFacts {
        raw,
        gzip: None,
        brotli: None,
        gzip_source: None,
        brotli_source: None,
    }
}

/// Measures the artifact's bytes; the cache and the known sizes are keyed by its SHA-256.
pub fn collect(ctx: &ArtifactCtx<'_>, options: &SizeOptions) -> SizeFacts {
    let (path, bytes, sha256) = (ctx.path, ctx.bytes, ctx.sha256.as_str());
    let raw = bytes.len() as u64;
    if !options.compress {
        return uncompressed(raw);
    }
    if let Some(&(gzip, brotli)) = options.known.get(sha256) {
        return SizeFacts {
            raw,
            gzip: Some(gzip),
            brotli: Some(brotli),
            gzip_source: Some(SizeSource::Baseline),
            brotli_source: Some(SizeSource::Baseline),
        };
    }
    let ((gzip, gzip_source), (brotli, brotli_source)) = rayon::join(
        || measure(Codec::Gzip, path, bytes, sha256, options),
        || measure(Codec::Brotli, path, bytes, sha256, options),
    );
    SizeFacts {
        raw,
        gzip: Some(gzip),
        brotli: Some(brotli),
        gzip_source: Some(gzip_source),
        brotli_source: Some(brotli_source),
    }
}

fn measure(
    codec: Codec,
    path: &Path,
    bytes: &[u8],
    sha256: &str,
    options: &SizeOptions,
) -> (u64, SizeSource) {
    if options.use_siblings
        && let Some(size) = sibling_size(codec, path, bytes)
    {
        return (size, SizeSource::Sibling);
    }
    let key = cache_key(codec, sha256, options);
    let cached = options
        .cache_dir
        .as_ref()
        .and_then(|dir| read_cache(&dir.join(&key)));
    if let Some(size) = cached {
        return (size, SizeSource::Cache);
    }
    let size = compressed_len(codec, bytes, options);
    if let Some(dir) = &options.cache_dir {
        // A cache that cannot be written only costs time on the next run.
        let _ = write_cache(dir, &key, size);
    }
    (size, SizeSource::Computed)
}

fn compressed_len(codec: Codec, bytes: &[u8], options: &SizeOptions) -> u64 {
    let mut counter = ByteCounter(0);
    // Writing into a counter cannot fail, so the results carry no information.
    match codec {
        Codec::Gzip => {
            let level = flate2::Compression::new(options.gzip_level.min(9));
            let mut encoder = flate2::write::GzEncoder::new(&mut counter, level);
            let _ = encoder.write_all(bytes);
            let _ = encoder.finish();
        }
        Codec::Brotli => {
            let params = brotli::enc::BrotliEncoderParams {
                quality: options.brotli_quality.min(11) as i32,
                lgwin: options.brotli_window.clamp(10, 24) as i32,
                size_hint: bytes.len(),
                ..Default::default()
            };
            // The whole input in one buffer: the encoder's output depends on how input is fed,
            // and one-shot compression is what `brotli -q 11` and Node's brotliCompressSync do.
            let mut input = vec![0u8; bytes.len().max(1)];
            let mut output = vec![0u8; 64 * 1024];
            let _ = brotli::BrotliCompressCustomAlloc(
                &mut &bytes[..],
                &mut counter,
                &mut input,
                &mut output,
                &params,
                brotli::enc::StandardAlloc::default(),
            );
        }
    }
    counter.0
}

/// Counts bytes instead of storing them: only the compressed length matters.
struct ByteCounter(u64);

impl Write for ByteCounter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The size of `PATH.gz` / `PATH.br` if it is a regular file that decompresses, as a
/// standard stream, to exactly `bytes` within the size and time bounds. A multi-member gzip
/// or a large-window brotli stream (not RFC 7932, which browsers do not accept) never counts.
fn sibling_size(codec: Codec, path: &Path, bytes: &[u8]) -> Option<u64> {
    let extension = match codec {
        Codec::Gzip => "gz",
        Codec::Brotli => "br",
    };
    let mut name = path.file_name()?.to_os_string();
    name.push(".");
    name.push(extension);
    let sibling = path.with_file_name(name);
    let compressed = crate::untrusted::read(
        &sibling,
        crate::untrusted::Kind::Sibling(bytes.len() as u64),
    )
    .ok()?;
    // WBITS 0b0010001 (LSB first) marks the large-window extension: not RFC 7932.
    if let Codec::Brotli = codec
        && compressed.first().is_some_and(|first| first & 0x7f == 0x11)
    {
        return None;
    }
    let input = Deadline::new(&compressed[..]);
    // Decompression is bounded by the artifact's own length: a bomb stops at one byte more.
    let limit = bytes.len() as u64 + 1;
    let mut decompressed = Vec::with_capacity(bytes.len());
    let read = match codec {
        Codec::Gzip => {
            let mut decoder = flate2::bufread::GzDecoder::new(input);
            let read = (&mut decoder).take(limit).read_to_end(&mut decompressed);
            // Anything after the first member (a second member) is not one standard stream.
            if !decoder.into_inner().inner.is_empty() {
                return None;
            }
            read
        }
        Codec::Brotli => brotli::Decompressor::new(input, 64 * 1024)
            .take(limit)
            .read_to_end(&mut decompressed),
    };
    (read.is_ok() && decompressed == bytes).then_some(compressed.len() as u64)
}

/// A reader that gives up after a few seconds: a sibling is an optimisation, never a stall.
struct Deadline<'a> {
    inner: &'a [u8],
    until: std::time::Instant,
}

impl<'a> Deadline<'a> {
    fn new(inner: &'a [u8]) -> Self {
        Deadline {
            inner,
            until: std::time::Instant::now() + std::time::Duration::from_secs(5),
        }
    }
}

impl Deadline<'_> {
    fn check(&self) -> io::Result<()> {
        if std::time::Instant::now() > self.until {
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "sibling took too long",
            ));
        }
        Ok(())
    }
}

impl Read for Deadline<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.check()?;
        self.inner.read(buf)
    }
}

// Buffered, so that the gzip decoder stops exactly at the end of the first member and what
// follows it can be seen.
impl io::BufRead for Deadline<'_> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.check()?;
        Ok(self.inner)
    }

    fn consume(&mut self, amount: usize) {
        self.inner = &self.inner[amount.min(self.inner.len())..];
    }
}

/// The key names the content, the settings and the wasmgate version: another encoder version
/// may compress differently, so an upgrade recomputes rather than trusting old figures.
fn cache_key(codec: Codec, sha256: &str, options: &SizeOptions) -> String {
    let version = env!("CARGO_PKG_VERSION");
    let key = match codec {
        Codec::Gzip => format!("{sha256}.gzip-{}", options.gzip_level),
        Codec::Brotli => format!(
            "{sha256}.brotli-{}-w{}",
            options.brotli_quality, options.brotli_window
        ),
    };
    format!("{key}.v{version}")
}

/// An entry is one small number in a regular file: anything else (a link to `/dev/zero`, a
/// FIFO, a huge file) is no entry.
fn read_cache(path: &Path) -> Option<u64> {
    let bytes = crate::untrusted::read(path, crate::untrusted::Kind::CacheEntry).ok()?;
    std::str::from_utf8(&bytes).ok()?.trim().parse().ok()
}

fn write_cache(dir: &Path, key: &str, size: u64) -> io::Result<()> {
    crate::untrusted::write_entry(dir, key, format!("{size}\n").as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compressed_sizes_match_real_encoders() {
        let bytes: Vec<u8> = (0..20_000u32).map(|i| (i % 251) as u8).collect();
        let options = SizeOptions::default();
        let gzip = compressed_len(Codec::Gzip, &bytes, &options);
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(9));
        encoder.write_all(&bytes).unwrap();
        assert_eq!(gzip, encoder.finish().unwrap().len() as u64);
        let brotli = compressed_len(Codec::Brotli, &bytes, &options);
        // Decompresses to the input, and is the stream the brotli library makes in one shot.
        let mut out = Vec::new();
        let params = brotli::enc::BrotliEncoderParams {
            quality: 11,
            lgwin: 22,
            size_hint: bytes.len(),
            ..Default::default()
        };
        let mut input = vec![0u8; bytes.len()];
        let mut output = vec![0u8; 4096];
        brotli::BrotliCompressCustomAlloc(
            &mut &bytes[..],
            &mut out,
            &mut input,
            &mut output,
            &params,
            brotli::enc::StandardAlloc::default(),
        )
        .unwrap();
        assert_eq!(brotli, out.len() as u64);
        let mut round = Vec::new();
        brotli::BrotliDecompress(&mut &out[..], &mut round).unwrap();
        assert_eq!(round, bytes);
        assert!(brotli < bytes.len() as u64 / 10);
    }
}
