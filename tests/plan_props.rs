//! Property: whatever the jar and the consent, the plan never removes a
//! required, preferences or other-site cookie, removes only refused or
//! (asked-for) expired in-scope cookies, and gives every cookie one action.

use crumbs::classify::{Relation, classify};
use crumbs::consent::Grants;
use crumbs::model::{Cookie, CookieKey, Expiry, SetCookie};
use crumbs::plan::{Action, PlanInput, RemoveReason, plan};
use crumbs::policy::Policy;
use proptest::prelude::*;

const POLICY: &str = r#"{
  "schema": 1, "name": "Test", "publisher": "T", "sites": ["*.portal.test"],
  "revision": "1", "consent_lifetime_days": 30, "preferences_cookie": "prefs",
  "categories": [
    {"id": "necessary", "label": "Necessary", "required": true, "description": ""},
    {"id": "statistical", "label": "Statistical", "required": false, "description": ""},
    {"id": "first-party", "label": "First", "required": false, "description": ""},
    {"id": "third-party", "label": "Third", "required": false, "description": ""}
  ],
  "cookies": [
    {"names": ["sessionid", "prefs"], "category": "necessary", "provider": "P", "function": "f", "purpose": "p"},
    {"names": ["_ga", "_ga_*"], "category": "statistical", "provider": "G", "function": "f", "purpose": "p"},
    {"names": ["IDE"], "domain": ".ads.test", "category": "third-party", "provider": "A", "function": "f", "purpose": "p"}
  ],
  "undeclared": {"first_party": "first-party", "third_party": "third-party"}
}"#;

const SITE: &str = "a.portal.test";

fn cookie_strategy() -> impl Strategy<Value = (String, String, bool, Option<i64>)> {
    (
        prop::sample::select(vec![
            "sessionid",
            "prefs",
            "_ga",
            "_ga_X1",
            "IDE",
            "other",
            "x",
        ]),
        prop::sample::select(vec![
            "a.portal.test",
            "portal.test",
            "b.portal.test",
            "ads.test",
            "x.ads.test",
            "else.org",
        ]),
        any::<bool>(),
        prop::option::of(0i64..2_000),
    )
        .prop_map(|(n, d, h, e)| (n.to_string(), d.to_string(), h, e))
}

proptest! {
    #[test]
    fn plan_keeps_what_it_must(
        raw in prop::collection::vec(cookie_strategy(), 0..40),
        stat in any::<bool>(), first in any::<bool>(), third in any::<bool>(),
        drop_expired in any::<bool>(), write in any::<bool>(),
    ) {
        let policy = Policy::from_json(POLICY, "test").unwrap();
        let cookies: Vec<Cookie> = raw.iter().enumerate().map(|(i, (n, d, h, e))| Cookie {
            value: "v".into(), host_only: *h, expiry: e.map_or(Expiry::Session, Expiry::At),
            ..Cookie::basic(n, d, CookieKey::Line(i))
        }).collect();
        let classified = classify(&cookies, &policy, SITE);
        let granted = Grants::new(&policy.doc, |c| match c.id.as_str() {
            "statistical" => stat,
            "first-party" => first,
            "third-party" => third,
            _ => false,
        });
        let p = plan(PlanInput {
            cookies: &cookies, classified: &classified, policy: &policy, site: SITE,
            granted: &granted, write: write.then_some(("newvalue", 5_000)), drop_expired, marked: &[], now: 1_000,
        });
        prop_assert_eq!(p.actions.len(), cookies.len());
        let prefs_written = p.set.is_some();
        for c in &classified {
            let a = p.actions[c.index];
            let cat = c.category_idx().map(|i| &policy.doc.categories[i]);
            match a {
                Action::Remove(RemoveReason::DuplicatePreferences) => {
                    prop_assert!(c.preferences && write);
                }
                Action::Remove(why) => {
                    prop_assert!(c.relation != Relation::OtherSite);
                    prop_assert!(!c.preferences);
                    prop_assert!(!cat.unwrap().required);
                    if why == RemoveReason::Refused {
                        let id = &cat.unwrap().id;
                        prop_assert!(!granted.is_granted(id));
                    } else {
                        prop_assert!(drop_expired && cookies[c.index].expiry.is_expired(1_000));
                    }
                }
                Action::Keep(_) => {}
            }
        }
        // The counts every face shows are the actions', per category.
        for (i, n) in p.by_category.iter().enumerate() {
            let mine: Vec<Action> = classified.iter().filter(|c| c.category_idx() == Some(i)).map(|c| p.actions[c.index]).collect();
            prop_assert_eq!(n.remove, mine.iter().filter(|a| a.is_remove()).count());
            prop_assert_eq!(n.keep, mine.iter().filter(|a| !a.is_remove()).count());
        }
        prop_assert_eq!(p.by_category.len(), policy.doc.categories.len());
        prop_assert_eq!(p.by_category.iter().map(|n| n.remove).sum::<usize>(), p.remove_count());
        // Exactly one preferences cookie for the site remains when one is written.
        if write {
            let kept_prefs = classified.iter().filter(|c| c.preferences && !p.actions[c.index].is_remove()).count();
            let adds = matches!(p.set, Some(SetCookie::Add(_))) as usize;
            prop_assert_eq!(kept_prefs + adds, 1);
        } else {
            prop_assert!(!prefs_written);
        }
    }
}

/// Issue #15 item 6: a marked cookie goes whatever its category or site
/// (a required one, another site's), is counted in its category, and the
/// preferences cookie a write replaces is kept, as it holds the consent.
#[test]
fn marked_cookies_go_whatever_their_category() {
    let policy = Policy::from_json(POLICY, "test").expect("policy");
    let raw = [
        ("sessionid", "a.portal.test"),
        ("other", "else.org"),
        ("prefs", "a.portal.test"),
        ("_ga", "portal.test"),
    ];
    let cookies: Vec<Cookie> = raw
        .iter()
        .enumerate()
        .map(|(i, (n, d))| Cookie {
            value: "v".into(),
            ..Cookie::basic(n, d, CookieKey::Line(i))
        })
        .collect();
    let classified = classify(&cookies, &policy, SITE);
    let granted = Grants::new(&policy.doc, |_| true);
    let input = |marked: &'static [usize], write| PlanInput {
        cookies: &cookies,
        classified: &classified,
        policy: &policy,
        site: SITE,
        granted: &granted,
        write,
        drop_expired: false,
        marked,
        now: 1_000,
    };
    let none = plan(input(&[], Some(("newvalue", 5_000))));
    assert_eq!(none.remove_count(), 0);
    let p = plan(input(&[0, 1, 2], Some(("newvalue", 5_000))));
    let marked = Action::Remove(RemoveReason::Marked);
    assert_eq!(p.actions[0], marked, "required, yet marked");
    assert_eq!(p.actions[1], marked, "another site's, yet marked");
    assert!(!p.actions[2].is_remove(), "it holds the consent written");
    assert!(!p.actions[3].is_remove());
    assert_eq!(p.by_category[0].remove, 1, "counted in its category");
    assert_eq!(p.remove_count(), 2);
    assert_eq!(marked.reason(), "marked for removal");
    // Without a write, a marked preferences cookie goes too.
    let p = plan(input(&[2], None));
    assert_eq!(p.actions[2], marked);
}
