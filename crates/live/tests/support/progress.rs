//! A progress sink for tests: it records every step the check sends, with the probe that sent it
//! and when it arrived. Include it with `#[path = "support/progress.rs"] mod progress;`.
//! Not every test reads every field of [`Sent`].
#![allow(dead_code)]

use live::{Progress, Status};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// One step as the progress sink received it.
#[derive(Debug, Clone)]
pub struct Sent {
    pub probe: usize,
    pub name: String,
    pub status: Status,
    pub detail: String,
    pub at: Instant,
}

/// What the sink has received so far, in order.
pub type Seen = Arc<Mutex<Vec<Sent>>>;

/// A progress sink and the list it records into.
pub fn recording() -> (Progress, Seen) {
    let seen: Seen = Arc::default();
    let sink = Arc::clone(&seen);
    let progress = Progress::to(move |probe, step| {
        sink.lock().unwrap().push(Sent {
            probe,
            name: step.name.clone(),
            status: step.status,
            detail: step.detail.en.clone(),
            at: Instant::now(),
        })
    });
    (progress, seen)
}
