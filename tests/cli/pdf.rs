//! pdf: printing the print edition with Chromium, and the message when there is none.

use std::fs;

use crate::support::Plan;

#[test]
fn pdf_without_a_browser_says_how_to_install_one() {
    let plan = Plan::fixture("hand_april");
    let empty = Plan::empty();
    let run = plan
        .run_with_env(&["pdf"], &[("PATH", empty.path().to_str().unwrap())])
        .fails_with(1);
    assert!(
        run.stderr.contains("no Chromium or Chrome found"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("apt-get install chromium fonts-noto-cjk"),
        "{}",
        run.stderr
    );
    assert!(
        !run.out.exists(),
        "nothing is built without a browser to print with"
    );
}

#[test]
fn pdf_prints_the_print_edition_with_an_outline() {
    let found = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()).any(|dir| {
        ["chromium", "chromium-browser", "google-chrome"]
            .iter()
            .any(|b| dir.join(b).is_file())
    });
    if !found {
        eprintln!("skipped: no Chromium or Chrome on PATH (Debian: apt-get install chromium)");
        return;
    }
    let run = Plan::fixture("hand_april")
        .run(&["pdf", "--out", "board/plan.pdf"])
        .succeeds();
    let pdf = fs::read(run.out.parent().unwrap().join("board/plan.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    // One bookmark per chapter heading (Chromium's --generate-pdf-document-outline).
    assert!(
        pdf.windows(9).any(|w| w == b"/Outlines"),
        "the PDF has a document outline"
    );
    // A4 portrait (210 × 297 mm = 595.28 × 841.89 pt; Chromium writes 594.96 × 841.92).
    let a4: &[u8] = b"/MediaBox [0 0 594.95996 841.91998]";
    assert!(pdf.windows(a4.len()).any(|w| w == a4), "A4 pages");
}
