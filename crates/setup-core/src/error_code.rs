//! The stable codes of every error the core and the live checks answer with, in one enum: the CLI
//! prints them in `--json`, the app sends them over IPC, and a code without a translation fails a
//! test in the app (`src-tauri/src/error.rs`).

crate::snake_case_enum! {
    /// One error code; serialised (and `as_str`) in snake_case, e.g. `secrets_file_missing`.
    #[derive(strum::Display)]
    pub enum ErrorCode {
        // Plan and secrets files.
        FileReadFailed,
        FileWriteFailed,
        FileParseFailed,
        FileVersionMissing,
        FileVersionUnsupported,
        FileExists,
        SecretsFileMissing,
        PlanInvalid,
        PlanIncomplete,
        DomainMissing,
        UsersNotPositive,
        // TLS material.
        TlsFileExists,
        TlsFileTooLarge,
        TlsWriteFailed,
        TlsDomainInvalid,
        TlsRandomFailed,
        TlsGenerationFailed,
        TlsFileUnreadable,
        TlsFileWrongContent,
        // The bundle, rotation and the support pack.
        SecretLeak,
        TargetNotABundle,
        BundleHasOtherFiles,
        TargetExists,
        OutputHoldsPlan,
        BundleWriteFailed,
        NoPreviousPair,
        ReportUnreadable,
        // A pasted capture.
        EchostrAndBody,
        BodyTooLarge,
        // The live checks' input.
        InvalidUrl,
        InvalidCredentials,
        InvalidPem,
        DemoCertificateFailed,
        ListenFailed,
        TlsSetup,
        ZeroTimeout,
        EmptyCorpId,
        InvalidCorpId,
        EmptySecret,
        InvalidApiBase,
        // The error-code lookup.
        UnknownCode,
    }
}

impl ErrorCode {
    /// The code as text (`secrets_file_missing`).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}
