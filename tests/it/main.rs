//! Integration tests: one binary, every test on SQLite and PostgreSQL.

mod harness;

mod accounts;
mod board;
mod businesses;
mod cli;
mod contact;
mod diagnostic;
mod directory;
mod journeys_directory;
mod journeys_workshops;
mod needs;
mod ops;
mod setup;
mod shell;
mod workshops;
