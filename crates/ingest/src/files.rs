//! Finding input files and opening them safely: only regular files are
//! read. A named pipe would block the run, a device (`/dev/zero`) has no
//! size to check and no end; both are refused with a reason, whether named
//! directly or found inside a folder.

use crate::Problem;
use std::fs::{File, FileType, Metadata};
use std::path::{Path, PathBuf};

/// What a path is when it is not a regular file or a directory.
pub fn special_kind(file_type: &FileType) -> Option<&'static str> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return Some("a named pipe (FIFO)");
        }
        if file_type.is_socket() {
            return Some("a socket");
        }
        if file_type.is_char_device() {
            return Some("a character device");
        }
        if file_type.is_block_device() {
            return Some("a block device");
        }
    }
    (!file_type.is_file() && !file_type.is_dir()).then_some("not a file or folder")
}

/// The reason a path given by `metadata` cannot be read as a file.
fn refusal(meta: &Metadata) -> Option<String> {
    if let Some(kind) = special_kind(&meta.file_type()) {
        return Some(format!("{kind}, not a regular file"));
    }
    meta.is_dir().then(|| "is a folder".to_string())
}

fn cannot_read(e: &std::io::Error) -> String {
    if e.kind() == std::io::ErrorKind::NotFound {
        "path does not exist".into()
    } else {
        format!("cannot read: {e}")
    }
}

/// Opens a regular file for reading, with its size. Special files are
/// refused before they are opened; the file is opened without blocking and
/// checked again, so a path swapped for a pipe in between cannot hang the
/// run.
pub(crate) fn open_regular(path: &Path) -> Result<(File, u64), String> {
    let meta = std::fs::metadata(path).map_err(|e| cannot_read(&e))?;
    if let Some(why) = refusal(&meta) {
        return Err(why);
    }
    let file = open_nonblocking(path).map_err(|e| cannot_read(&e))?;
    let meta = file.metadata().map_err(|e| cannot_read(&e))?;
    if let Some(why) = refusal(&meta) {
        return Err(why);
    }
    Ok((file, meta.len()))
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    // Reads from regular files ignore O_NONBLOCK; opening a FIFO with it
    // returns at once instead of waiting for a writer.
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    File::open(path)
}

/// Expands paths into the regular files under them, sorted; hidden entries
/// inside folders are ignored. Paths that do not exist and special files
/// (pipes, sockets, devices), named directly or found in a folder, are
/// reported with the reason.
pub fn discover(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<Problem>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        let label = path.display().to_string();
        match std::fs::metadata(path) {
            Err(e) => problems.push(Problem::skipped(&label, cannot_read(&e))),
            Ok(m) if m.is_dir() => walk(path, &label, &mut files, &mut problems),
            Ok(m) => match refusal(&m) {
                Some(why) => problems.push(Problem::skipped(&label, why)),
                None => files.push(path.clone()),
            },
        }
    }
    (files, problems)
}

fn walk(root: &Path, label: &str, files: &mut Vec<PathBuf>, problems: &mut Vec<Problem>) {
    let walker = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => files.push(e.into_path()),
            Ok(e) if e.file_type().is_dir() => {}
            Ok(e) => {
                let kind = special_kind(&e.file_type()).unwrap_or("not a file or folder");
                problems.push(Problem::skipped(
                    &e.path().display().to_string(),
                    format!("{kind}, not a regular file"),
                ));
            }
            Err(e) => {
                let at = e
                    .path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|| label.to_string());
                problems.push(Problem::skipped(&at, format!("cannot read: {e}")));
            }
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn mkfifo(path: &Path) {
        let status = std::process::Command::new("mkfifo")
            .arg(path)
            .status()
            .expect("mkfifo runs");
        assert!(status.success());
    }

    #[test]
    fn special_files_are_refused_with_a_reason() {
        let dir = std::env::temp_dir().join(format!("dossier-special-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("in")).unwrap();
        std::fs::write(dir.join("in/good.txt"), "A good article.").unwrap();
        mkfifo(&dir.join("in/pipe.txt"));
        let _sock = std::os::unix::net::UnixListener::bind(dir.join("in/sock")).unwrap();
        std::os::unix::fs::symlink("/dev/zero", dir.join("in/zero.txt")).unwrap();
        mkfifo(&dir.join("direct-pipe"));

        let (files, problems) = discover(&[
            dir.join("in"),
            dir.join("direct-pipe"),
            PathBuf::from("/dev/zero"),
        ]);
        assert_eq!(files, vec![dir.join("in/good.txt")]);
        let msgs: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        let expect = [
            ("in/pipe.txt", "a named pipe (FIFO), not a regular file"),
            ("in/sock", "a socket, not a regular file"),
            ("in/zero.txt", "a character device, not a regular file"),
            ("direct-pipe", "a named pipe (FIFO), not a regular file"),
            ("/dev/zero", "a character device, not a regular file"),
        ];
        assert_eq!(msgs.len(), expect.len(), "{msgs:?}");
        for (name, why) in expect {
            assert!(
                msgs.iter().any(|m| m.contains(name) && m.ends_with(why)),
                "{name}: {msgs:?}"
            );
        }
        // Opening directly refuses them too, without blocking.
        for p in [dir.join("in/pipe.txt"), PathBuf::from("/dev/zero")] {
            let err = open_regular(&p).unwrap_err();
            assert!(err.contains("not a regular file"), "{err}");
        }
        assert_eq!(open_regular(&dir.join("in")).unwrap_err(), "is a folder");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn opening_a_pipe_without_a_writer_returns_at_once() {
        let dir = std::env::temp_dir().join(format!("dossier-fifo-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let fifo = dir.join("p");
        mkfifo(&fifo);
        // Even when the path check is bypassed, the non-blocking open and
        // the check of the opened file refuse it.
        let file = open_nonblocking(&fifo).expect("a non-blocking open succeeds");
        let meta = file.metadata().unwrap();
        assert!(refusal(&meta).unwrap().contains("named pipe"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
