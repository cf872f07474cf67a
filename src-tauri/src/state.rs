//! What the app keeps between commands: the built-in receiver of demo mode (at most one).

use live::ReceiverHandle;
use tauri::async_runtime::Mutex;

/// The running demo receiver and the certificate it serves.
pub struct RunningReceiver {
    pub handle: ReceiverHandle,
    /// Its self-signed certificate (public), trusted by Verify as an extra anchor. It names only
    /// `localhost` and `127.0.0.1`, so it can vouch for no other host.
    pub cert_pem: Vec<u8>,
}

/// The running demo receiver, if any. Replaced on a second start; stopped on app exit (dropping
/// the handle stops it).
#[derive(Default)]
pub struct DemoReceiver(pub Mutex<Option<RunningReceiver>>);
