//! Compile-time checks: each mistake in `ui-tests/fail` must fail with the message recorded
//! next to it, and every supported form in `ui-tests/pass` must compile.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("ui-tests/fail/*.rs");
    cases.pass("ui-tests/pass/*.rs");
}
