//! The bookkeeping of one climb: the steps recorded so far, the rung being climbed and its start,
//! and the one deadline every rung (and every probe of a verification) shares.

use super::progress::Progress;
use super::report::StepName;
use crate::transport::Failure;
use setup_core::report::{Status, Step};
use setup_core::text::Text;
use std::future::Future;
use std::time::Duration;
use strum::IntoEnumIterator;
use tokio::time::{Instant, timeout_at};

/// The steps so far, the rung being climbed and the deadline. A probe after the first continues
/// from a copy of the climb that holds the DNS step ([`Clone`]).
#[derive(Debug, Clone)]
pub struct Climb {
    pub started: Instant,
    pub deadline: Instant,
    pub timeout: Duration,
    pub steps: Vec<Step>,
    current: StepName,
    rung_started: Instant,
    progress: Progress,
    probe: usize,
}

impl Climb {
    pub fn new(timeout: Duration, progress: Progress) -> Self {
        let now = Instant::now();
        Climb {
            started: now,
            deadline: now + timeout,
            timeout,
            steps: Vec::new(),
            current: StepName::Dns,
            rung_started: now,
            progress,
            probe: 0,
        }
    }

    /// A copy for probe `index` (it holds the steps so far, e.g. DNS); its rungs are reported
    /// under that index.
    pub fn for_probe(&self, index: usize) -> Self {
        Climb {
            probe: index,
            ..self.clone()
        }
    }

    pub fn begin(&mut self, name: StepName) {
        self.current = name;
        self.rung_started = Instant::now();
    }

    /// How long is left before the deadline.
    pub fn remaining(&self) -> Duration {
        self.deadline.saturating_duration_since(Instant::now())
    }

    /// Runs `fut` until the deadline; past it, `on_timeout(waited_ms)`.
    pub async fn bounded<T>(
        &self,
        fut: impl Future<Output = Result<T, Failure>>,
        on_timeout: impl FnOnce(u128) -> Failure,
    ) -> Result<T, Failure> {
        match timeout_at(self.deadline, fut).await {
            Ok(result) => result,
            Err(_) => Err(on_timeout(self.rung_started.elapsed().as_millis())),
        }
    }

    fn push(&mut self, name: StepName, status: Status, detail: Text, elapsed: Duration) {
        let step = Step::new(name, status, detail, millis(elapsed));
        self.progress.emit(self.probe, &step);
        self.steps.push(step);
    }

    /// The current rung passed.
    pub fn pass(&mut self, detail: Text) {
        self.finish(Status::Pass, detail);
    }

    /// The current rung passed with `status` (`pass`, or `warn` when a warning belongs to it).
    pub fn finish(&mut self, status: Status, detail: Text) {
        self.push(self.current, status, detail, self.rung_started.elapsed());
    }

    /// A rung that did not run (an earlier one failed, or it does not apply): status `skip`.
    pub fn not_run(&mut self, name: StepName, detail: Text) {
        self.push(name, Status::Skip, detail, Duration::ZERO);
    }

    /// The current rung failed: record it and skip every later one.
    pub fn fail(&mut self, detail: Text) {
        let failed = self.current;
        self.push(failed, Status::Fail, detail, self.rung_started.elapsed());
        let (label, label_zh) = step_label(failed);
        for name in StepName::iter() {
            if !self.steps.iter().any(|s| s.name == <&str>::from(name)) {
                self.not_run(
                    name,
                    Text::new(
                        format!("not run: the {label} step failed"),
                        format!("未执行：{label_zh}步骤失败"),
                    ),
                );
            }
        }
    }
}

/// A rung's name in a detail: English, then Chinese.
fn step_label(name: StepName) -> (&'static str, &'static str) {
    match name {
        StepName::Dns => ("DNS", "DNS "),
        StepName::Tcp => ("TCP", "TCP "),
        StepName::Tls => ("TLS", "TLS "),
        StepName::Http => ("HTTP", "HTTP "),
        StepName::Reply => ("reply", "应答"),
    }
}

pub fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}
