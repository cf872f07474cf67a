// Generated from the Rust types by src-tauri/src/bindings.rs (ts-rs). Do not edit.

export type AppInfo = { name: string, version: string, };

export type IpcError = { 
/**
 * Stable, snake_case; the UI's message catalogue is keyed by it.
 */
code: string, 
/**
 * English explanation, for logs and as the fallback when the UI lacks a translation.
 */
message: string, 
/**
 * Values the translated message needs (never secrets).
 */
params: { [key in string]: string }, };

export type BandwidthAdvice = { users: number, mbps: number, };
