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
    // The board's copy: printed twice so the contents carry page numbers, bookmarks that
    // read as the headings (each once), salesplan as creator, the plan's title.
    let file = salesplan::pdf::file::PdfFile::parse(pdf).expect("a PDF with an xref table");
    let outline = file.outline();
    let top: Vec<(&str, Option<usize>)> = outline
        .iter()
        .filter(|i| i.depth == 0)
        .map(|i| (i.title.as_str(), i.page))
        .collect();
    // Cover on page 1, contents on page 2, the one planned chapter from page 3; the
    // other five chapters are "not planned yet" pages after it.
    assert_eq!(
        top[0],
        (
            "Hand-derived fixture — April fiscal year, history seasonality",
            Some(1)
        )
    );
    assert_eq!(top[1], ("Sales targets & strategy", Some(3)));
    for item in &outline {
        let half = item.title.len() / 2;
        assert!(
            item.title.len() < 2 || item.title[..half] != item.title[half..],
            "a bookmark repeats its title: {}",
            item.title
        );
    }
    let creator = file.info("Creator").unwrap_or_default();
    assert!(creator.starts_with("salesplan "), "Creator: {creator}");
    assert_eq!(
        file.info("Title").as_deref(),
        Some("Hand-derived fixture — April fiscal year, history seasonality")
    );
    assert!(
        !run.out.join(".print-numbered.html").exists(),
        "the second print's page is removed"
    );
}
