//! The git commit a plan was built from, for the print cover and the page footers. Read
//! from git itself, never from the clock, so two builds of one commit are identical.

use std::path::Path;
use std::process::{Command, Stdio};

use chrono::NaiveDate;

/// The commit HEAD points at in the repository that holds ROOT.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceVersion {
    /// Full hexadecimal commit id.
    pub commit: String,
    /// The committer date (the day the change landed), in the committer's time zone.
    pub date: NaiveDate,
    /// Whether content/, data/ or themes/ differ from that commit (edited, added or
    /// deleted files that git does not ignore).
    pub uncommitted_changes: bool,
}

impl SourceVersion {
    /// The 12-digit abbreviation shown to readers.
    pub fn short(&self) -> &str {
        &self.commit[..self.commit.len().min(12)]
    }
}

/// `None` outside a repository, before the first commit, or without a usable `git`.
pub fn source_version(root: &Path) -> Option<SourceVersion> {
    let head = git(root, &["log", "-1", "--format=%H %cs", "HEAD"])?;
    let (commit, date) = head.trim().split_once(' ')?;
    if commit.len() < 7 || !commit.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    let status = git(
        root,
        &[
            "status",
            "--porcelain",
            "--untracked-files=normal",
            "--",
            "content",
            "data",
            "themes",
        ],
    )?;
    Some(SourceVersion {
        commit: commit.to_string(),
        date,
        uncommitted_changes: !status.trim().is_empty(),
    })
}

/// Runs `git -C root ARGS` with the user's and system's configuration out of the way
/// (no pager, no colour, no locale-dependent output); stdout when it succeeded.
fn git(root: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["-c", "core.quotepath=off", "-c", "color.ui=never"])
        .args(args)
        .env("GIT_PAGER", "cat")
        .env("LC_ALL", "C")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}
