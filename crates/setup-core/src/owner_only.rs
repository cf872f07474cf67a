//! Owner-only access for secrets files and folders: mode 0600 (files) or 0700 (folders) on Unix;
//! on Windows a protected access list (nothing inherited from the parent folder) whose one entry
//! gives the current user full control, inherited by whatever a folder later holds.

use std::io;
use std::path::Path;

/// Restricts the file or folder at `path` so that only the current user can open it. Replaces
/// whatever access it had; the path must exist.
pub fn restrict(path: &Path) -> io::Result<()> {
    let is_dir = std::fs::metadata(path)?.is_dir();
    platform::restrict(path, is_dir)
}

#[cfg(unix)]
mod platform {
    use std::io;
    use std::os::unix::fs::PermissionsExt;
    use std::path::Path;

    pub(super) fn restrict(path: &Path, is_dir: bool) -> io::Result<()> {
        let mode = if is_dir { 0o700 } else { 0o600 };
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
    }
}

#[cfg(windows)]
mod platform {
    use std::io;
    use std::os::windows::ffi::OsStrExt;
    use std::path::Path;
    use std::ptr::{null, null_mut};
    use windows_sys::Win32::Foundation::{
        CloseHandle, ERROR_SUCCESS, HANDLE, LocalFree, WIN32_ERROR,
    };
    use windows_sys::Win32::Security::Authorization::{
        EXPLICIT_ACCESS_W, NO_MULTIPLE_TRUSTEE, SE_FILE_OBJECT, SET_ACCESS, SetEntriesInAclW,
        SetNamedSecurityInfoW, TRUSTEE_IS_SID, TRUSTEE_IS_USER, TRUSTEE_W,
    };
    use windows_sys::Win32::Security::{
        ACL, DACL_SECURITY_INFORMATION, GetTokenInformation, NO_INHERITANCE,
        PROTECTED_DACL_SECURITY_INFORMATION, PSID, SUB_CONTAINERS_AND_OBJECTS_INHERIT, TOKEN_QUERY,
        TOKEN_USER, TokenUser,
    };
    use windows_sys::Win32::Storage::FileSystem::FILE_ALL_ACCESS;
    use windows_sys::Win32::System::Threading::{GetCurrentProcess, OpenProcessToken};

    pub(super) fn restrict(path: &Path, is_dir: bool) -> io::Result<()> {
        let user = CurrentUser::from_process_token()?;
        let entry = EXPLICIT_ACCESS_W {
            grfAccessPermissions: FILE_ALL_ACCESS,
            grfAccessMode: SET_ACCESS,
            grfInheritance: if is_dir {
                SUB_CONTAINERS_AND_OBJECTS_INHERIT
            } else {
                NO_INHERITANCE
            },
            Trustee: TRUSTEE_W {
                pMultipleTrustee: null_mut(),
                MultipleTrusteeOperation: NO_MULTIPLE_TRUSTEE,
                TrusteeForm: TRUSTEE_IS_SID,
                TrusteeType: TRUSTEE_IS_USER,
                ptstrName: user.sid().cast(),
            },
        };
        let mut acl: *mut ACL = null_mut();
        // SAFETY: `entry` names a valid SID that `user` keeps alive; the new list is written to `acl`.
        check(unsafe { SetEntriesInAclW(1, &entry, null(), &mut acl) })?;
        let wide_path = wide(path);
        // SAFETY: `wide_path` is NUL-terminated and `acl` is the valid list made above.
        let result = unsafe {
            SetNamedSecurityInfoW(
                wide_path.as_ptr(),
                SE_FILE_OBJECT,
                DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
                null_mut(),
                null_mut(),
                acl,
                null(),
            )
        };
        // SAFETY: SetEntriesInAclW allocated `acl` with LocalAlloc; it is not used after this.
        unsafe { LocalFree(acl.cast()) };
        check(result)
    }

    /// A NUL-terminated UTF-16 copy of `path`, as the wide Windows calls take it.
    pub(super) fn wide(path: &Path) -> Vec<u16> {
        path.as_os_str().encode_wide().chain(Some(0)).collect()
    }

    fn check(code: WIN32_ERROR) -> io::Result<()> {
        match code {
            ERROR_SUCCESS => Ok(()),
            code => Err(io::Error::from_raw_os_error(code as i32)),
        }
    }

    /// The current user as the process token names it: a `TOKEN_USER` in a buffer aligned for it.
    pub(super) struct CurrentUser(Vec<u64>);

    impl CurrentUser {
        pub(super) fn from_process_token() -> io::Result<Self> {
            let mut token: HANDLE = null_mut();
            // SAFETY: GetCurrentProcess returns a pseudo-handle; `token` receives a handle we own.
            if unsafe { OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &mut token) } == 0 {
                return Err(io::Error::last_os_error());
            }
            let mut len = 0u32;
            // SAFETY: a size query with no buffer; it fails and writes the size needed to `len`.
            unsafe { GetTokenInformation(token, TokenUser, null_mut(), 0, &mut len) };
            let mut buf = vec![0u64; (len as usize).div_ceil(8)];
            // SAFETY: `buf` holds at least `len` bytes, aligned for TOKEN_USER.
            let ok = unsafe {
                GetTokenInformation(token, TokenUser, buf.as_mut_ptr().cast(), len, &mut len)
            };
            let error = io::Error::last_os_error();
            // SAFETY: `token` was opened above and is closed once.
            unsafe { CloseHandle(token) };
            if ok == 0 {
                return Err(error);
            }
            Ok(CurrentUser(buf))
        }

        /// The user's SID; valid while `self` lives.
        pub(super) fn sid(&self) -> PSID {
            // SAFETY: GetTokenInformation filled the buffer with a TOKEN_USER.
            unsafe { (*self.0.as_ptr().cast::<TOKEN_USER>()).User.Sid }
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use windows_sys::Win32::Security::Authorization::GetNamedSecurityInfoW;
        use windows_sys::Win32::Security::{
            ACCESS_ALLOWED_ACE, EqualSid, GetAce, PSECURITY_DESCRIPTOR,
        };

        /// The entries of the access list of `path`: (ACE type, access mask, is the current user).
        fn entries(path: &Path) -> Vec<(u8, u32, bool)> {
            let user = CurrentUser::from_process_token().expect("current user");
            let wide_path = wide(path);
            let mut dacl: *mut ACL = null_mut();
            let mut descriptor: PSECURITY_DESCRIPTOR = null_mut();
            // SAFETY: `wide_path` is NUL-terminated; the call allocates `descriptor`, which owns `dacl`.
            let code = unsafe {
                GetNamedSecurityInfoW(
                    wide_path.as_ptr(),
                    SE_FILE_OBJECT,
                    DACL_SECURITY_INFORMATION,
                    null_mut(),
                    null_mut(),
                    &mut dacl,
                    null_mut(),
                    &mut descriptor,
                )
            };
            check(code).expect("read the access list");
            // SAFETY: `dacl` points into `descriptor`, alive until the LocalFree below.
            let count = unsafe { (*dacl).AceCount };
            let out = (0..count)
                .map(|i| {
                    let mut ace = null_mut();
                    // SAFETY: `i` is below the list's entry count.
                    assert_ne!(unsafe { GetAce(dacl, i.into(), &mut ace) }, 0, "entry {i}");
                    let ace = ace.cast::<ACCESS_ALLOWED_ACE>();
                    // SAFETY: every entry starts with a header; an allowed entry holds its SID at SidStart.
                    unsafe {
                        let sid = std::ptr::addr_of_mut!((*ace).SidStart).cast();
                        (
                            (*ace).Header.AceType,
                            (*ace).Mask,
                            EqualSid(sid, user.sid()) != 0,
                        )
                    }
                })
                .collect();
            // SAFETY: allocated by GetNamedSecurityInfoW; `dacl` is not used after this.
            unsafe { LocalFree(descriptor) };
            out
        }

        #[test]
        fn a_restricted_file_allows_the_current_user_alone() -> io::Result<()> {
            let dir = tempfile::tempdir()?;
            let path = dir.path().join("plan.secrets.toml");
            std::fs::write(&path, "token = \"x\"")?;
            super::super::restrict(&path)?;
            // Type 0 is ACCESS_ALLOWED_ACE_TYPE.
            assert_eq!(entries(&path), vec![(0, FILE_ALL_ACCESS, true)]);
            Ok(())
        }

        #[test]
        fn a_restricted_folder_allows_the_current_user_alone() -> io::Result<()> {
            let dir = tempfile::tempdir()?;
            let secrets = dir.path().join("secrets");
            std::fs::create_dir(&secrets)?;
            super::super::restrict(&secrets)?;
            assert_eq!(entries(&secrets), vec![(0, FILE_ALL_ACCESS, true)]);
            Ok(())
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::path::PathBuf;

    /// A new temporary folder holding the file `name` with `content`; the folder is removed when
    /// the returned handle is dropped.
    pub(crate) fn temp_file(name: &str, content: &str) -> io::Result<(tempfile::TempDir, PathBuf)> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join(name);
        std::fs::write(&path, content)?;
        Ok((dir, path))
    }

    /// The permission bits of `path` (0 if it cannot be read).
    #[cfg(unix)]
    pub(crate) fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path)
            .map(|m| m.permissions().mode() & 0o777)
            .unwrap_or(0)
    }

    #[test]
    fn the_owner_can_still_read_and_replace_a_restricted_file() -> io::Result<()> {
        let (_dir, path) = temp_file("privkey.pem", "old")?;
        restrict(&path)?;
        assert_eq!(std::fs::read_to_string(&path)?, "old");
        std::fs::write(&path, "new")?;
        assert_eq!(std::fs::read_to_string(&path)?, "new");
        Ok(())
    }

    #[test]
    fn restricting_a_missing_path_is_a_not_found_error() {
        let dir = tempfile::tempdir().expect("temp dir");
        let err = restrict(&dir.path().join("missing")).expect_err("nothing to restrict");
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
    }

    #[cfg(unix)]
    #[test]
    fn a_world_readable_file_becomes_0600() -> io::Result<()> {
        use std::os::unix::fs::PermissionsExt;
        let (_dir, path) = temp_file("plan.secrets.toml", "token = \"x\"")?;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o666))?;
        restrict(&path)?;
        assert_eq!(mode(&path), 0o600);
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn a_world_readable_folder_becomes_0700() -> io::Result<()> {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir()?;
        let secrets = dir.path().join("secrets");
        std::fs::create_dir(&secrets)?;
        std::fs::set_permissions(&secrets, std::fs::Permissions::from_mode(0o755))?;
        restrict(&secrets)?;
        assert_eq!(mode(&secrets), 0o700);
        Ok(())
    }
}
