//! Progress of a climb: each rung handed to the caller as it is recorded (which probe, the step),
//! so a face can show the ladder while it climbs. The steps are redacted like the report's.

use crate::credentials::Credentials;
use setup_core::report::Step;
use setup_core::text::Text;
use std::fmt;
use std::sync::Arc;

/// The callback: the probe's index (0 = the first) and the step just recorded.
pub type ProgressFn = dyn Fn(usize, &Step) + Send + Sync;

/// Where the rungs go as they are recorded; [`Progress::none`] (the default) drops them.
#[derive(Clone, Default)]
pub struct Progress(Option<Arc<ProgressFn>>);

impl Progress {
    pub fn none() -> Self {
        Progress(None)
    }

    pub fn to(sink: impl Fn(usize, &Step) + Send + Sync + 'static) -> Self {
        Progress(Some(Arc::new(sink)))
    }

    /// The same sink, with every step's detail passed through [`Credentials::redact`] first.
    pub fn redacted(&self, credentials: &Credentials) -> Self {
        match &self.0 {
            None => Progress(None),
            Some(sink) => {
                let sink = Arc::clone(sink);
                let credentials = credentials.clone();
                Progress::to(move |probe, step| {
                    let detail = Text::new(
                        credentials.redact(&step.detail.en),
                        credentials.redact(&step.detail.zh),
                    );
                    sink(
                        probe,
                        &Step {
                            detail,
                            ..step.clone()
                        },
                    );
                })
            }
        }
    }

    pub fn emit(&self, probe: usize, step: &Step) {
        if let Some(sink) = &self.0 {
            sink(probe, step);
        }
    }
}

impl fmt::Debug for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() {
            "Progress(sink)"
        } else {
            "Progress(none)"
        })
    }
}
