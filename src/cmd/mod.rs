//! One file per subcommand: resolve the flags, call the library, print the outcome. The
//! exit code is decided once, in `main`.

pub mod build;
pub mod check;
pub mod init;
pub mod pdf;
pub mod serve;
