//! Compile-time checks: each mistake in `ui-tests/fail` must fail with the message recorded
//! next to it, and every supported form in `ui-tests/pass` must compile.
//! `cargo test -p mcp-ui-tests` runs them alone (`Cargo.toml` says why they are a package).

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("fail/*.rs");
    cases.pass("pass/*.rs");
}
