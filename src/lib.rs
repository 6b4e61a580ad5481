//! crumbs: a terminal cookie-consent manager. The engine (jar, policy,
//! classify, consent, plan) knows nothing of the terminal; `cli` and `tui` are faces.

pub mod atomic;
pub mod check;
pub mod chunks;
pub mod classify;
pub mod consent;
pub mod demo;
pub mod dirs;
pub mod domain;
pub mod human;
pub mod jar;
pub mod json_error;
pub mod known;
pub mod lint;
pub mod live;
pub mod model;
pub mod plan;
pub mod policy;
pub mod remove;
pub mod scopes;
pub mod session;
pub mod tui;
pub mod turns;
pub mod undo;
