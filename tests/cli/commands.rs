//! `init` (the English and Chinese samples) and the --as-of flag.

use std::fs;

use crate::support::Plan;

#[test]
fn init_writes_a_sample_that_builds_and_refuses_to_overwrite() {
    let dir = Plan::empty();
    dir.run(&["init", "plan"]).succeeds();
    assert!(dir.path().join("plan/content/plan.yaml").is_file());
    assert!(dir.path().join("plan/data/sales.csv").is_file());
    assert_eq!(
        fs::read_to_string(dir.path().join("plan/.gitignore")).unwrap(),
        "public/\n"
    );
    let run = dir.run(&["build", "--root", "plan"]).succeeds();
    assert!(
        run.stderr
            .contains("built 2026 Sales Department Business Plan"),
        "{}",
        run.stderr
    );
    assert!(dir.path().join("plan/public/index.html").is_file());
    let again = dir.run(&["init", "plan"]).fails_with(1);
    assert!(
        again.stderr.contains("refusing to overwrite"),
        "{}",
        again.stderr
    );
    // --lang zh-CN writes the Chinese sample: Chinese plan, a GBK sales export with
    // Chinese headers mapped by `columns:`, and it builds cleanly.
    dir.run(&["init", "zh", "--lang", "zh-CN"]).succeeds();
    let plan = fs::read_to_string(dir.path().join("zh/content/plan.yaml")).unwrap();
    assert!(plan.contains("language: zh-CN"));
    assert!(plan.contains("encoding: gbk"));
    let sales = fs::read(dir.path().join("zh/data/sales.csv")).unwrap();
    assert!(
        std::str::from_utf8(&sales).is_err(),
        "the sales export is GBK, not UTF-8"
    );
    let run = dir.run(&["build", "--root", "zh", "--strict"]).succeeds();
    assert!(run.stderr.contains("0 warnings"), "{}", run.stderr);
    let index = fs::read_to_string(dir.path().join("zh/public/index.html")).unwrap();
    assert!(index.contains("<html lang=\"zh-CN\">"));
    assert!(index.contains("云雾茶业有限公司"));
    assert!(index.contains("年度目标"));
}

#[test]
fn as_of_flag_overrides_the_plan() {
    // With as_of moved to 2027-04-30, YTD target = April's 834 and the actual is 440.
    let run = Plan::fixture("hand_april")
        .run(&["build", "--as-of", "2027-04-30"])
        .succeeds();
    let t = &run.model()["targets"];
    assert_eq!(t["ytd_target"], 834.0);
    assert_eq!(t["ytd_actual"], 440.0);
}
