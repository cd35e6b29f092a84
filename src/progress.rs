//! The binary's progress indicator: a bar on stderr that appears only when fact collection
//! (mostly brotli) has taken more than a second, and only on a terminal.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use wasmgate::Progress;

/// Shows a delayed progress bar.
pub(crate) struct Spinner {
    enabled: bool,
    bar: Arc<Mutex<Option<ProgressBar>>>,
    done: Arc<AtomicBool>,
}

impl Spinner {
    pub(crate) fn new(enabled: bool) -> Self {
        Spinner {
            enabled,
            bar: Arc::new(Mutex::new(None)),
            done: Arc::new(AtomicBool::new(false)),
        }
    }
}

impl Progress for Spinner {
    fn start(&self, total: usize) {
        if !self.enabled {
            return;
        }
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::hidden());
        if let Ok(style) =
            ProgressStyle::with_template("{spinner} measuring {pos}/{len} artifacts {wide_msg}")
        {
            bar.set_style(style);
        }
        if let Ok(mut slot) = self.bar.lock() {
            *slot = Some(bar.clone());
        }
        let done = Arc::clone(&self.done);
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_secs(1));
            if !done.load(Ordering::SeqCst) {
                bar.set_draw_target(ProgressDrawTarget::stderr());
                bar.enable_steady_tick(Duration::from_millis(120));
            }
        });
    }

    fn advance(&self, artifact: &str) {
        if let Ok(slot) = self.bar.lock()
            && let Some(bar) = slot.as_ref()
        {
            bar.set_message(artifact.to_string());
            bar.inc(1);
        }
    }

    fn finish(&self) {
        self.done.store(true, Ordering::SeqCst);
        if let Ok(slot) = self.bar.lock()
            && let Some(bar) = slot.as_ref()
        {
            bar.finish_and_clear();
        }
    }
}
