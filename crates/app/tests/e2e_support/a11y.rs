//! The accessibility check: axe-core (WCAG 2 A and AA rules plus axe's best
//! practices) injected into the page; "serious" and "critical" violations
//! fail the test.

use super::browser::Browser;
use serde::Deserialize;
use std::path::PathBuf;

/// Violations known and accepted for now, as (rule id, page label). Each
/// entry is a product defect waiting for a fix; keep this list empty.
const KNOWN: &[(&str, &str)] = &[];

#[derive(Debug, Deserialize)]
struct Outcome {
    ok: bool,
    #[serde(default)]
    error: String,
    #[serde(default)]
    violations: Vec<Violation>,
}

#[derive(Debug, Deserialize)]
struct Violation {
    id: String,
    impact: Option<String>,
    help: String,
    #[serde(rename = "helpUrl")]
    help_url: String,
    nodes: Vec<Node>,
}

#[derive(Debug, Deserialize)]
struct Node {
    target: serde_json::Value,
    html: String,
    summary: Option<String>,
}

const RUN: &str = r#"
const done = arguments[arguments.length - 1];
axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'best-practice'], resultTypes: ['violations'] })
  .then(r => done({
    ok: true,
    violations: r.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map(n => ({ target: n.target, html: n.html, summary: n.failureSummary }))
    }))
  }))
  .catch(e => done({ ok: false, error: String((e && e.stack) || e) }));
"#;

/// Runs axe on pages and collects what must fail the test.
pub struct Axe {
    source: String,
    failures: Vec<String>,
    pub pages: Vec<String>,
}

impl Axe {
    /// Reads axe.min.js from `DANCHU_AXE_JS`, else from the workspace's
    /// tests/e2e/node_modules (installed by ./scripts/test).
    pub fn load() -> Axe {
        let path = std::env::var_os("DANCHU_AXE_JS")
            .map(PathBuf::from)
            .unwrap_or_else(|| super::workspace_dir().join("tests/e2e/node_modules/axe-core/axe.min.js"));
        let source = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!("cannot read axe-core at {} ({e}): run ./scripts/test, or `npm ci` in tests/e2e, or set DANCHU_AXE_JS", path.display())
        });
        Axe { source, failures: Vec::new(), pages: Vec::new() }
    }

    /// Proves the check can fail: a page with an unlabelled field and an
    /// image without text must give serious or critical violations.
    pub async fn self_test(&self, b: &Browser) {
        b.client
            .goto("data:text/html;charset=utf-8,<!doctype html><html lang=en><title>t</title><main><img src=x.png><input></main>")
            .await
            .expect("open the axe self-test page");
        let found = self.violations(b, "self-test").await;
        let severe: Vec<&str> =
            found.iter().filter(|v| matches!(v.impact.as_deref(), Some("serious" | "critical"))).map(|v| v.id.as_str()).collect();
        assert!(
            severe.contains(&"image-alt") && severe.contains(&"label"),
            "axe-core does not report known violations (image-alt, label); it found {severe:?}"
        );
    }

    async fn violations(&self, b: &Browser, page: &str) -> Vec<Violation> {
        let loaded = b.client.execute("return typeof window.axe === 'object';", vec![]).await.expect("probe axe");
        if loaded != serde_json::Value::Bool(true) {
            b.client.execute(&self.source, vec![]).await.unwrap_or_else(|e| panic!("inject axe-core on {page}: {e}"));
        }
        let raw = b.client.execute_async(RUN, vec![]).await.unwrap_or_else(|e| panic!("axe.run on {page}: {e}"));
        let out: Outcome = serde_json::from_value(raw.clone()).unwrap_or_else(|e| panic!("axe result on {page} ({e}): {raw}"));
        assert!(out.ok, "axe.run failed on {page}: {}", out.error);
        out.violations
    }

    /// Checks the page open in `b` and remembers its serious and critical
    /// violations under `page`. Every violation is printed.
    pub async fn check(&mut self, b: &Browser, page: &str) {
        let violations = self.violations(b, page).await;
        let url = b.path().await;
        self.pages.push(format!("{page} ({url})"));
        if violations.is_empty() {
            println!("axe: {page} ({url}): no violation");
        }
        for v in &violations {
            let impact = v.impact.as_deref().unwrap_or("unknown");
            let mut text = format!("axe: {page} ({url}): [{impact}] {} — {} ({})", v.id, v.help, v.help_url);
            for n in &v.nodes {
                text.push_str(&format!("\n    at {}: {}", n.target, n.html));
                if let Some(s) = &n.summary {
                    for line in s.lines() {
                        text.push_str(&format!("\n      {line}"));
                    }
                }
            }
            println!("{text}");
            let severe = matches!(impact, "serious" | "critical");
            let known = KNOWN.iter().any(|(rule, p)| *rule == v.id && *p == page);
            if severe && known {
                println!("    (known defect, listed in e2e_support/a11y.rs KNOWN: not failing)");
            } else if severe {
                self.failures.push(text);
            }
        }
    }

    /// Fails with every serious or critical violation found so far.
    pub fn assert_clean(&self) {
        assert!(
            self.failures.is_empty(),
            "axe-core found {} serious or critical accessibility violation(s):\n{}",
            self.failures.len(),
            self.failures.join("\n")
        );
    }
}
