//! Integration tests: one binary, every test on SQLite and PostgreSQL.

mod harness;

mod accounts;
mod board;
mod businesses;
mod cli;
mod contact;
mod diagnostic;
mod directory;
mod directory_index;
mod needs;
mod ops;
mod setup;
mod shell;
mod workshops;
