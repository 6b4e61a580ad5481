//! The shared output of `list`, `check` and `prune`: the JSON object of
//! DESIGN §8 and its text rendering for people.

use std::fmt::Write as _;

use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crumbs::check::Problem;
use crumbs::classify::{Classified, Scope};
use crumbs::model::{Cookie, Expiry};
use crumbs::plan::Action;
use crumbs::session::{Decision, Session};

fn rfc3339(t: i64) -> Option<String> {
    OffsetDateTime::from_unix_timestamp(t)
        .ok()
        .and_then(|d| d.format(&Rfc3339).ok())
}

fn expiry_text(e: Expiry) -> String {
    match e {
        Expiry::Session => "session".into(),
        Expiry::At(t) => OffsetDateTime::from_unix_timestamp(t)
            .map(|d| d.date().to_string())
            .unwrap_or_else(|_| t.to_string()),
    }
}

fn flags_text(c: &Cookie) -> String {
    let mut f = Vec::new();
    if c.secure {
        f.push("secure");
    }
    if c.http_only {
        f.push("httponly");
    }
    if c.same_site != crumbs::model::SameSite::Unset {
        f.push(c.same_site.as_str());
    }
    f.join(",")
}

/// Per-category keep/remove counts, in policy order.
fn by_category(s: &Session, d: &Decision) -> Vec<(usize, usize, usize)> {
    let mut counts = vec![(0usize, 0usize); s.policy.doc.categories.len()];
    for c in &s.classified {
        if let Some(i) = c.category {
            if d.plan.actions[c.index].is_remove() {
                counts[i].1 += 1;
            } else {
                counts[i].0 += 1;
            }
        }
    }
    counts
        .into_iter()
        .enumerate()
        .map(|(i, (k, r))| (i, k, r))
        .collect()
}

/// The `--json` object.
pub fn json(s: &Session, d: &Decision, problems: &[Problem], show_values: bool, now: i64) -> Value {
    let doc = &s.policy.doc;
    let cookies = s.jar.cookies();
    let rows: Vec<Value> = s
        .classified
        .iter()
        .map(|c| cookie_json(s, d, c, &cookies[c.index], show_values, now))
        .collect();
    let keep = d.plan.actions.iter().filter(|a| !a.is_remove()).count();
    let remove = d.plan.actions.len() - keep;
    let mut by_cat = serde_json::Map::new();
    for (i, k, r) in by_category(s, d) {
        by_cat.insert(
            doc.categories[i].id.clone(),
            json!({"keep": k, "remove": r}),
        );
    }
    let categories: serde_json::Map<String, Value> = d
        .resolved
        .granted
        .iter()
        .map(|(id, g)| (id.clone(), Value::Bool(*g)))
        .collect();
    json!({
        "jar": {"path": s.jar.path.display().to_string(), "format": s.jar.format().as_str()},
        "site": s.site,
        "policy": {"name": doc.name, "revision": doc.revision, "hash": s.policy.hash},
        "consent": {
            "source": d.resolved.source.as_str(),
            "state": d.resolved.state.as_str(),
            "categories": categories,
        },
        "cookies": rows,
        "summary": {"total": cookies.len(), "keep": keep, "remove": remove, "by_category": by_cat},
        "problems": problems.iter().map(|p| json!({"kind": p.kind, "cookie": p.cookie, "message": p.message})).collect::<Vec<_>>(),
    })
}

fn cookie_json(
    s: &Session,
    d: &Decision,
    c: &Classified,
    cookie: &Cookie,
    show_values: bool,
    now: i64,
) -> Value {
    let doc = &s.policy.doc;
    let decl = c.declaration.map(|i| &doc.cookies[i]);
    let category = c.category.map(|i| doc.categories[i].id.clone());
    let (expires, session) = match cookie.expiry {
        Expiry::Session => (None, true),
        Expiry::At(t) => (rfc3339(t), false),
    };
    let mut v = json!({
        "name": cookie.name,
        "domain": cookie.domain,
        "host_only": cookie.host_only,
        "path": cookie.path,
        "secure": cookie.secure,
        "http_only": cookie.http_only,
        "same_site": cookie.same_site.as_str(),
        "expires": expires,
        "session": session,
        "expired": cookie.expiry.is_expired(now),
        "scope": c.scope.as_str(),
        "category": category,
        "declared": c.declaration.is_some(),
        "provider": decl.map(|x| x.provider.clone()),
        "purpose": decl.map(|x| x.purpose.clone()),
        "action": d.plan.actions[c.index].as_str(),
        "reason": d.plan.actions[c.index].reason(),
    });
    if show_values && let Some(o) = v.as_object_mut() {
        o.insert("value".into(), Value::String(cookie.value.clone()));
    }
    v
}

fn consent_line(d: &Decision) -> String {
    let r = &d.resolved;
    let granted: Vec<&str> = r
        .granted
        .iter()
        .filter(|(_, g)| *g)
        .map(|(id, _)| id.as_str())
        .collect();
    let until = d
        .value
        .as_ref()
        .or(r.found.as_ref())
        .map(|v| format!(", until {}", v.expires.date()))
        .unwrap_or_default();
    let state = r.state.as_str();
    let source = r.source.as_str();
    format!(
        "{state} (from {source}{until}); granted: {}",
        granted.join(", ")
    )
}

/// The grouped text view for people.
pub fn text(s: &Session, d: &Decision, problems: &[Problem], show_values: bool) -> String {
    let doc = &s.policy.doc;
    let cookies = s.jar.cookies();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "jar:     {} ({}, {} cookies)",
        s.jar.path.display(),
        s.jar.format().as_str(),
        cookies.len()
    );
    let _ = writeln!(out, "site:    {}", s.site);
    let _ = writeln!(
        out,
        "policy:  {}, revision {} ({})",
        doc.name, doc.revision, s.policy.hash
    );
    let _ = writeln!(out, "consent: {}", consent_line(d));
    let counts = by_category(s, d);
    for (i, cat) in doc.categories.iter().enumerate() {
        let rows: Vec<&Classified> = s
            .classified
            .iter()
            .filter(|c| c.category == Some(i))
            .collect();
        let (_, keep, remove) = counts[i];
        let lock = if cat.required { " [required]" } else { "" };
        let undeclared = rows.iter().filter(|c| c.undeclared()).count();
        let und = if undeclared > 0 {
            format!(", {undeclared} undeclared")
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "\n{}{lock}: {} cookies (keep {keep}, remove {remove}{und})",
            cat.label,
            rows.len()
        );
        for c in rows {
            row(&mut out, s, d, c, &cookies[c.index], show_values);
        }
    }
    let others: Vec<&Classified> = s
        .classified
        .iter()
        .filter(|c| c.scope == Scope::OtherSite)
        .collect();
    let _ = writeln!(
        out,
        "\nOther sites (never touched): {} cookies",
        others.len()
    );
    for c in others {
        row(&mut out, s, d, c, &cookies[c.index], show_values);
    }
    let remove = d.plan.remove_count();
    let _ = writeln!(
        out,
        "\nsummary: {} cookies, keep {}, remove {remove}",
        cookies.len(),
        cookies.len() - remove
    );
    if !problems.is_empty() {
        let _ = writeln!(out, "\nproblems ({}):", problems.len());
        for p in problems {
            let _ = writeln!(out, "  [{}] {}", p.kind, p.message);
        }
    }
    out
}

fn row(
    out: &mut String,
    s: &Session,
    d: &Decision,
    c: &Classified,
    cookie: &Cookie,
    show_values: bool,
) {
    let action = d.plan.actions[c.index];
    let mark = match action {
        Action::Remove(_) => "remove",
        Action::Keep(_) => "keep  ",
    };
    let undeclared = if c.undeclared() { "  (undeclared)" } else { "" };
    let line = format!(
        "  {mark}  {:<24} {:<34} {:<12} {:<10} {}{undeclared}",
        cookie.name,
        crumbs::check::cookie_label(cookie),
        cookie.path,
        expiry_text(cookie.expiry),
        flags_text(cookie)
    );
    let _ = writeln!(out, "{}", line.trim_end());
    if let Some(decl) = c.declaration.map(|i| &s.policy.doc.cookies[i]) {
        let _ = writeln!(
            out,
            "          {} · {} · {}",
            decl.provider, decl.function, decl.purpose
        );
    }
    if show_values {
        let _ = writeln!(out, "          value: {}", cookie.value);
    }
}
