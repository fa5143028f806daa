//! Themes: files under themes/<name> override the built-in ones file by file.

use std::fs;

use crate::support::Plan;

#[test]
fn theme_files_override_the_built_in_ones_file_by_file() {
    let plan = Plan::fixture("hand_april");
    let plan_yaml = fs::read_to_string(plan.path().join("content/plan.yaml")).unwrap();
    plan.write("content/plan.yaml", &format!("{plan_yaml}theme: board\n"));
    // Override one template and the stylesheet; add an extra asset.
    plan.write(
        "themes/board/templates/index.html",
        "{% extends \"base.html\" %}{% block content %}<p class=\"custom\">{{ site.company }}</p>{% endblock %}",
    );
    plan.write("themes/board/static/style.css", "body { color: black; }\n");
    plan.write("themes/board/static/logo.txt", "logo");
    let run = plan.run(&["build"]).succeeds();
    assert!(run
        .file("index.html")
        .contains("<p class=\"custom\">Fixture Trading Co.</p>"));
    // base.html still comes from the built-in theme.
    assert!(run
        .file("index.html")
        .contains("<nav aria-label=\"Contents\">"));
    assert_eq!(run.file("assets/style.css"), "body { color: black; }\n");
    assert_eq!(run.file("assets/logo.txt"), "logo");
    // print.css was not overridden: the built-in one is published.
    assert!(run.file("assets/print.css").contains("@page"));
    // A broken override is a located error, not a crash.
    plan.write(
        "themes/board/templates/index.html",
        "{% extends \"base.html\" %}{% block content %}{{ nope.x }}{% endblock %}",
    );
    let run = plan.run(&["build"]).fails_with(1);
    assert!(
        run.stderr
            .contains("error: themes/board/templates/index.html:1:1: template error"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_theme_overrides_single_ui_strings_and_typos_are_located() {
    let plan = Plan::fixture("hand_april");
    let plan_yaml = fs::read_to_string(plan.path().join("content/plan.yaml")).unwrap();
    plan.write("content/plan.yaml", &format!("{plan_yaml}theme: board\n"));
    // One key of the built-in en.toml replaced; a misspelt key on line 3.
    plan.write(
        "themes/board/i18n/en.toml",
        "[ui]\ncontents = \"In this plan\"\ncontnets = \"typo\"\n",
    );
    let run = plan.run(&["build"]).succeeds();
    let index = run.file("index.html");
    assert!(
        index.contains("<nav aria-label=\"In this plan\">"),
        "{index}"
    );
    // Every other string is still the built-in one.
    assert!(index.contains("Actuals as of"));
    assert!(
        run.stderr.contains(
            "warning: themes/board/i18n/en.toml:3:1: `ui.contnets` is not a UI string salesplan uses; it is ignored"
        ),
        "{}",
        run.stderr
    );
    // A file that is not TOML is a located error and the build fails: the string opened on
    // line 2 is still unclosed where the line ends, after its 20 characters.
    plan.write("themes/board/i18n/en.toml", "[ui]\ncontents = \"unclosed\n");
    let run = plan.run(&["build"]).fails_with(1);
    assert!(
        run.stderr
            .contains("error: themes/board/i18n/en.toml:2:21: invalid TOML"),
        "{}",
        run.stderr
    );
    // A value that is not text.
    plan.write("themes/board/i18n/en.toml", "[ui]\ncontents = 3\n");
    let run = plan.run(&["build"]).fails_with(1);
    assert!(
        run.stderr
            .contains("error: themes/board/i18n/en.toml:2:1: `ui.contents` must be text in quotes"),
        "{}",
        run.stderr
    );
}
