//! Tremplin: a platform to run digital-transition programmes for very small
//! businesses and craftspeople.

pub mod api;
pub mod app;
pub mod auth;
pub mod business;
pub mod cli;
pub mod config;
pub mod contact;
pub mod csvio;
pub mod db;
pub mod diagnostic;
pub mod home;
pub mod i18n;
pub mod ops;
pub mod outbox;
pub mod programme;
pub mod reference;
pub mod setup;
pub mod text;
pub mod web;
