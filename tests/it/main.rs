//! Integration tests: one binary, every test on SQLite and PostgreSQL.

mod harness;

mod cli;
mod contact;
mod ops;
mod shell;
