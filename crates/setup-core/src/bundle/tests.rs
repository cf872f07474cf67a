//! The shareable-file scan on its own: every secret is found, whatever its length.

use super::*;

#[test]
fn a_short_secret_in_a_shareable_file_is_found() {
    let files = vec![
        BundleFile::new("README.md", "the app secret is abc"),
        BundleFile::new("secrets/secrets.toml", "abc"),
    ];
    match scan_shareable(&files, &["abc"]) {
        Err(BundleError::SecretLeak { path }) => assert_eq!(path, "README.md"),
        other => panic!("{other:?}"),
    }
    // Only under secrets/ is it allowed; an empty needle matches nothing.
    assert!(scan_shareable(&files[1..], &["abc", ""]).is_ok());
    assert!(scan_shareable(&files[..1], &[""]).is_ok());
}
