//! Long work the UI can cancel: each long command (a live check, a key generation, an export) runs
//! under a job id the UI chose, and `cancel_job(job)` stops it. The command's future is raced
//! against the job's cancel signal and dropped on cancel — its sockets close, its timers stop,
//! nothing after its current await point runs — and the command answers the IPC error `cancelled`.
//! Also the rung of a live check as the UI's progress channel receives it ([`LiveRung`]).

use crate::error::AppCode;
use crate::error::IpcError;
use serde::Serialize;
use setup_core::report::{Status, Step};
use setup_core::text::Text;
use std::collections::HashMap;
use std::future::Future;
use std::sync::Mutex;
use tokio::sync::oneshot;
use ts_rs::TS;

/// The cancel switch of each running job, by the UI's id.
#[derive(Default)]
pub struct Jobs(Mutex<HashMap<String, oneshot::Sender<()>>>);

/// The error a cancelled command answers.
pub fn cancelled() -> IpcError {
    IpcError::new(AppCode::Cancelled, "cancelled: the work was stopped")
}

impl Jobs {
    /// Runs `work` as job `job` (none: not cancellable) until it ends or the job is cancelled,
    /// whichever comes first; on cancel `work` is dropped unfinished. An id already running is
    /// refused (`job_busy`): each run has its own id.
    pub async fn run<T>(
        &self,
        job: Option<String>,
        work: impl Future<Output = Result<T, IpcError>>,
    ) -> Result<T, IpcError> {
        let Some(id) = job else {
            return work.await;
        };
        let (tx, rx) = oneshot::channel();
        {
            let mut jobs = self.lock()?;
            if jobs.contains_key(&id) {
                return Err(
                    IpcError::new(AppCode::JobBusy, "a job with this id is running")
                        .with_param("job", &id),
                );
            }
            jobs.insert(id.clone(), tx);
        }
        let _done = Forget { jobs: self, id };
        tokio::select! {
            biased;
            Ok(()) = rx => Err(cancelled()),
            result = work => result,
        }
    }

    /// Cancels job `job`; false when no such job runs (it ended, or never started).
    pub fn cancel(&self, job: &str) -> Result<bool, IpcError> {
        let tx = self.lock()?.remove(job);
        Ok(tx.is_some_and(|tx| tx.send(()).is_ok()))
    }

    fn lock(
        &self,
    ) -> Result<std::sync::MutexGuard<'_, HashMap<String, oneshot::Sender<()>>>, IpcError> {
        self.0
            .lock()
            .map_err(|_| IpcError::new(AppCode::State, "state poisoned"))
    }
}

/// Removes a job's entry however its run ends (finished, cancelled, or dropped by the IPC).
struct Forget<'a> {
    jobs: &'a Jobs,
    id: String,
}

impl Drop for Forget<'_> {
    fn drop(&mut self) {
        if let Ok(mut jobs) = self.jobs.0.lock() {
            jobs.remove(&self.id);
        }
    }
}

/// Stops the running job `job` (its command then answers `cancelled`); false when it is not
/// running (already finished: its result stands).
#[tauri::command(rename_all = "snake_case")]
pub fn cancel_job(jobs: tauri::State<'_, Jobs>, job: String) -> Result<bool, IpcError> {
    jobs.cancel(&job)
}

/// One rung of a live check as it is recorded, sent on the command's progress channel: which
/// probe climbed it (0 = the first; a verification sends several) and the step, already
/// redacted, with its detail in both languages.
#[derive(Debug, Clone, Serialize, TS)]
pub struct LiveRung {
    pub probe: u32,
    /// The step name, snake_case (`dns`, `gettoken`, `encoding`, …).
    pub name: String,
    pub status: Status,
    pub detail: Text,
    #[ts(type = "number")]
    pub elapsed_ms: u64,
}

impl LiveRung {
    pub fn of(probe: usize, step: &Step) -> Self {
        LiveRung {
            probe: u32::try_from(probe).unwrap_or(u32::MAX),
            name: step.name.clone(),
            status: step.status,
            detail: step.detail.clone(),
            elapsed_ms: step.elapsed_ms,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn rt() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    }

    #[test]
    fn a_cancelled_job_answers_cancelled_and_its_work_is_dropped_unfinished() {
        rt().block_on(async {
            let jobs = Jobs::default();
            let finished = std::sync::atomic::AtomicBool::new(false);
            let work = async {
                tokio::time::sleep(Duration::from_secs(30)).await;
                finished.store(true, std::sync::atomic::Ordering::SeqCst);
                Ok(1)
            };
            let cancel = async {
                tokio::time::sleep(Duration::from_millis(50)).await;
                assert!(jobs.cancel("j1").unwrap(), "the job runs");
            };
            let (r, ()) = tokio::join!(jobs.run(Some("j1".into()), work), cancel);
            assert_eq!(r.unwrap_err().code, "cancelled");
            assert!(!finished.load(std::sync::atomic::Ordering::SeqCst));
            assert!(!jobs.cancel("j1").unwrap(), "gone once ended");
        });
    }

    #[test]
    fn a_finished_job_keeps_its_result_and_ids_are_not_shared() {
        rt().block_on(async {
            let jobs = Jobs::default();
            assert_eq!(
                jobs.run(Some("a".into()), async { Ok(7) }).await.unwrap(),
                7
            );
            assert!(!jobs.cancel("a").unwrap());
            let long = jobs.run(Some("b".into()), async {
                tokio::time::sleep(Duration::from_millis(100)).await;
                Ok(1)
            });
            let twice = async {
                tokio::time::sleep(Duration::from_millis(10)).await;
                jobs.run(Some("b".into()), async { Ok(2) }).await
            };
            let (first, second) = tokio::join!(long, twice);
            assert_eq!(first.unwrap(), 1);
            assert_eq!(second.unwrap_err().code, "job_busy");
            // Without an id the work just runs.
            assert_eq!(jobs.run(None, async { Ok(3) }).await.unwrap(), 3);
        });
    }

    #[test]
    fn cancelling_a_check_closes_its_connection_to_a_server_that_never_answers() {
        use std::io::Read;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        // Accepts, reads the request, never answers; reports when the client closes.
        let server = std::thread::spawn(move || {
            let (mut conn, _) = listener.accept().unwrap();
            let mut buf = [0u8; 4096];
            loop {
                match conn.read(&mut buf) {
                    Ok(0) | Err(_) => return std::time::Instant::now(),
                    Ok(_) => {}
                }
            }
        });
        let creds = live::Credentials::new(
            "QDG6eK",
            "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
            "wwb697d33134e48cfc",
        );
        let url = format!(
            "http://127.0.0.1:{port}/restapi/thirdservice/we/com/inner/event/oneparty/callback/wwb697d33134e48cfc"
        );
        let options = live::LadderOptions {
            loopback_expected: true,
            ..live::LadderOptions::default()
        };
        let jobs = Jobs::default();
        let started = std::time::Instant::now();
        let (answer, cancelled_at) = rt().block_on(async {
            let check = async {
                live::verify(&url, &creds, &options)
                    .await
                    .map_err(IpcError::from)
            };
            let cancel = async {
                tokio::time::sleep(Duration::from_millis(200)).await;
                assert!(jobs.cancel("v").unwrap());
                std::time::Instant::now()
            };
            let (answer, at) = tokio::join!(jobs.run(Some("v".into()), check), cancel);
            (answer, at)
        });
        let answered = std::time::Instant::now();
        assert_eq!(answer.unwrap_err().code, "cancelled");
        assert!(
            answered - started < Duration::from_secs(1),
            "well before the 5 s timeout: {:?}",
            answered - started
        );
        let closed = server.join().unwrap();
        assert!(
            closed.saturating_duration_since(cancelled_at) < Duration::from_millis(500),
            "the server saw the connection close {:?} after the cancel",
            closed.saturating_duration_since(cancelled_at)
        );
    }
}
