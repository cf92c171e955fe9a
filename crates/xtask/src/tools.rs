//! Installing what the tests need on a fresh machine.
