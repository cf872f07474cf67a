//! What the app keeps between commands: the built-in receiver of demo mode (at most one).

use live::ReceiverHandle;
use tauri::async_runtime::Mutex;

/// The running demo receiver, if any. Replaced on a second start; stopped on app exit (dropping
/// the handle stops it).
#[derive(Default)]
pub struct DemoReceiver(pub Mutex<Option<ReceiverHandle>>);
