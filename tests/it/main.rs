//! Integration tests: one binary, every test on SQLite and PostgreSQL.

mod builders;
mod harness;

mod accounts;
mod board;
mod businesses;
mod calls;
mod cases;
mod cases_access;
mod cli;
mod contact;
mod diagnostic;
mod diagnostic_journey;
mod directory;
mod directory_index;
mod everywhere;
mod faults;
mod federation;
mod funding;
mod guides;
mod impact;
mod journeys_directory;
mod journeys_workshops;
mod loans;
mod needs;
mod needs_replies;
mod nul_bytes;
mod openapi;
mod ops;
mod privacy;
mod setup;
mod shell;
mod sponsors;
mod stores;
mod testimonies;
mod workshops;
