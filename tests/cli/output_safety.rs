//! Output safety: refused --out folders, a failed or killed build leaves the previous
//! output whole, check writes nothing.

use std::fs;

use crate::support::{snapshot, Plan};

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let plan = Plan::fixture("hand_april");
    let first = plan.run(&["build"]).succeeds();
    let before = first.file("data/targets_monthly.csv");
    // Break the plan: shares no longer sum to 1.
    let targets = fs::read_to_string(plan.path().join("content/targets.yaml")).unwrap();
    plan.write(
        "content/targets.yaml",
        &targets.replace("share: 0.3 ", "share: 0.2 "),
    );
    let second = plan.run(&["build"]).fails_with(1);
    assert!(second.stderr.contains("shares sum to"), "{}", second.stderr);
    assert!(
        second.stderr.contains("public/ left unchanged"),
        "{}",
        second.stderr
    );
    assert_eq!(second.file("data/targets_monthly.csv"), before);
    assert!(second.out.join("index.html").exists());
}

#[test]
fn dangerous_out_folders_are_refused() {
    let plan = Plan::fixture("hand_april");
    // Each refusal names the option to change, and why.
    for (out, why) in [
        (".", "it is the project folder or a folder above it"),
        ("..", "it is the project folder or a folder above it"),
        ("content", "inside the project's content/ folder"),
        ("data", "inside the project's data/ folder"),
        ("content/site", "inside the project's content/ folder"),
        ("content/plan.yaml", "inside the project's content/ folder"),
    ] {
        let run = plan.run(&["build", "--out", out]).fails_with(1);
        assert!(
            run.stderr.contains("error: refusing --out ") && run.stderr.contains(why),
            "--out {out}: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains("choose another --out"),
            "{}",
            run.stderr
        );
    }
    plan.write("a-file.txt", "x");
    let run = plan.run(&["build", "--out", "a-file.txt"]).fails_with(1);
    assert!(
        run.stderr.contains("refusing --out ")
            && run
                .stderr
                .contains("it is a file; choose a folder for --out"),
        "{}",
        run.stderr
    );
    assert!(
        plan.path().join("content/plan.yaml").exists(),
        "nothing was deleted"
    );
    // A non-empty folder salesplan did not write is not replaced either.
    plan.write("elsewhere/keep.txt", "mine");
    let run = plan.run(&["build", "--out", "elsewhere"]).fails_with(1);
    assert!(
        run.stderr.contains("refusing --out ")
            && run.stderr.contains("choose another --out or empty it"),
        "{}",
        run.stderr
    );
    assert_eq!(
        fs::read_to_string(plan.path().join("elsewhere/keep.txt")).unwrap(),
        "mine"
    );
    // A fresh folder is fine.
    plan.run(&["build", "--out", "site"]).succeeds();
    assert!(plan.path().join("site/index.html").exists());
}

#[test]
fn check_writes_nothing() {
    let plan = Plan::fixture("hand_april");
    let run = plan.run(&["check"]).succeeds();
    assert!(
        run.stderr
            .contains("check: content/plan.yaml is valid as of 2027-06-12"),
        "{}",
        run.stderr
    );
    assert!(!run.out.exists());
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_old_or_the_new_site_whole() {
    // Two versions of one plan, A and B (different titles), built once each without
    // interruption: the only two states public/ may ever be in.
    let plan = Plan::conformance("a_targets_april");
    let yaml = fs::read_to_string(plan.path().join("content/plan.yaml")).unwrap();
    let version = |title: &str| yaml.replace("Test A — April fiscal year", title);
    let public = plan.path().join("public");
    plan.write("content/plan.yaml", &version("Version B"));
    plan.run(&["build"]).succeeds();
    let b = snapshot(&public);
    plan.write("content/plan.yaml", &version("Version A"));
    let started = std::time::Instant::now();
    plan.run(&["build"]).succeeds();
    let build_time = started.elapsed();
    let a = snapshot(&public);
    assert_ne!(a, b);

    // Build the other version and kill -9 it after a delay that sweeps the whole build,
    // from start-up to the swap at its end; then look at public/ before anything else runs.
    let rounds = 16u32;
    for round in 0..rounds {
        let current = snapshot(&public);
        let (next, title) = if current == a {
            (&b, "Version B")
        } else {
            (&a, "Version A")
        };
        plan.write("content/plan.yaml", &version(title));
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_salesplan"))
            .arg("build")
            .current_dir(plan.path())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(build_time * (round + 1) / rounds);
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();
        let after = snapshot(&public);
        assert!(
            after == current || after == *next,
            "round {round}: public/ is neither the old nor the new build"
        );
    }
    // Whatever was left beside it, the next build cleans up and completes.
    plan.write("content/plan.yaml", &version("Version A"));
    plan.run(&["build"]).succeeds();
    assert_eq!(snapshot(&public), a);
    let leftovers: Vec<_> = fs::read_dir(plan.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn an_output_that_cannot_be_written_is_exit_code_4_not_a_plan_error() {
    // `--out` under a regular file: the folder cannot be created. The plan is fine, so
    // this is the machine's problem (exit 4), not the plan's (exit 1).
    let plan = Plan::fixture("hand_april");
    plan.write("occupied", "a file, not a folder");
    let run = plan.run(&["build", "--out", "occupied/site"]).fails_with(4);
    assert!(run.stderr.contains("error: "), "{}", run.stderr);
    assert!(run.stderr.contains("occupied"), "{}", run.stderr);
    assert_eq!(
        fs::read_to_string(plan.path().join("occupied")).unwrap(),
        "a file, not a folder"
    );
}
